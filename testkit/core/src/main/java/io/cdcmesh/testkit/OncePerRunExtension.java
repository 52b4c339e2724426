package io.cdcmesh.testkit;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a server the first time a test asks for it and keeps it for the rest of the run: it lives in the
 * root extension store, which closes it (and so stops its process) when the test run ends.
 */
public abstract class OncePerRunExtension<T extends AutoCloseable> implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create("io.cdcmesh.testkit");

    private final Class<T> type;
    private final Supplier<T> starter;

    protected OncePerRunExtension(Class<T> type, Supplier<T> starter) {
        this.type = type;
        this.starter = starter;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == type;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    public T server(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(type, ignored -> starter.get(), type);
    }
}
