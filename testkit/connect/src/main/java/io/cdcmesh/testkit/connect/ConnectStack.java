package io.cdcmesh.testkit.connect;

import io.cdcmesh.servers.BuildOutputs;
import java.nio.file.Path;

/**
 * Where this module's build put the Connect plugin archives and the worker classpath. Both are made by building
 * {@code testkit/connect} (Maven does it before any module that depends on it).
 */
public final class ConnectStack {
    private static final BuildOutputs STACK = BuildOutputs.load(ConnectStack.class, "stack.properties", "testkit/connect");

    private ConnectStack() {}

    /** The built archives and Debezium's MySQL and MariaDB connectors: the plugin.path of workers in their own JVM. */
    public static Path pluginPath() {
        return STACK.path("plugin.path");
    }

    /** Kafka's file connector, which some in-process tests add to {@link #pluginPath()} as a plain sink. */
    public static Path extraPluginPath() {
        return STACK.path("extra.plugin.path");
    }

    /** The classpath of Connect worker JVMs: Kafka's runtime, no plugin classes. */
    public static String workerClasspath() {
        return STACK.read("worker.classpath.file");
    }

    /** The version of the plugins in {@link #pluginPath()}. */
    public static String version() {
        return STACK.get("cdcmesh.version");
    }
}
