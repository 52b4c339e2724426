package io.cdcmesh.runtime.embedded;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * A connector's SMT chain from its Connect keys: {@code transforms}, {@code transforms.<alias>.type},
 * {@code transforms.<alias>.predicate}, {@code transforms.<alias>.negate}, {@code predicates},
 * {@code predicates.<name>.type}, and each plugin's own settings under its prefix. Applies them in order, as a Connect
 * worker does; a record a transform drops ends the chain.
 */
final class TransformChain<R extends ConnectRecord<R>> implements AutoCloseable {
    /** Finds a plugin class by name (the runtime's class path, then the plugin path). */
    interface ClassFinder {
        Class<?> find(String className) throws ClassNotFoundException;
    }

    private record Stage<R extends ConnectRecord<R>>(String alias, Transformation<R> transformation, Predicate<R> predicate,
            boolean negate) {}

    private final List<Stage<R>> stages;
    private final List<AutoCloseable> plugins;

    private TransformChain(List<Stage<R>> stages, List<AutoCloseable> plugins) {
        this.stages = stages;
        this.plugins = plugins;
    }

    /** Builds the chain; a problem is reported as "key: message" through {@code error} and the chain is null. */
    @SuppressWarnings("unchecked")
    static <R extends ConnectRecord<R>> TransformChain<R> build(Map<String, String> config, ClassFinder finder,
            BiConsumer<String, String> error) {
        List<AutoCloseable> plugins = new ArrayList<>();
        Map<String, Predicate<R>> predicates = new HashMap<>();
        boolean ok = true;
        for (String name : list(config.get("predicates"))) {
            String prefix = "predicates." + name + ".";
            Predicate<R> predicate = instance(config, prefix, Predicate.class, finder, error);
            if (predicate == null) {
                ok = false;
                continue;
            }
            ok &= configure(config, prefix, predicate.config(), error, () -> inOwnLoader(predicate, () -> predicate.configure(settings(config, prefix))));
            predicates.put(name, predicate);
            plugins.add(predicate);
        }
        List<Stage<R>> stages = new ArrayList<>();
        for (String alias : list(config.get("transforms"))) {
            String prefix = "transforms." + alias + ".";
            Transformation<R> transformation = instance(config, prefix, Transformation.class, finder, error);
            if (transformation == null) {
                ok = false;
                continue;
            }
            Map<String, Object> settings = settings(config, prefix);
            settings.remove("predicate");
            settings.remove("negate");
            ok &= configure(config, prefix, transformation.config(), error, () -> inOwnLoader(transformation, () -> transformation.configure(settings)));
            plugins.add(transformation);
            String predicateName = config.get(prefix + "predicate");
            Predicate<R> predicate = null;
            if (predicateName != null && !predicateName.isBlank()) {
                predicate = predicates.get(predicateName.trim());
                if (predicate == null) {
                    error.accept(prefix + "predicate", "no predicate '" + predicateName.trim() + "' is listed in 'predicates'");
                    ok = false;
                }
            }
            boolean negate = Boolean.parseBoolean(config.getOrDefault(prefix + "negate", "false").trim());
            stages.add(new Stage<>(alias, transformation, predicate, negate));
        }
        if (!ok) {
            plugins.forEach(TransformChain::closeQuietly);
            return null;
        }
        return new TransformChain<>(List.copyOf(stages), plugins);
    }

    private static void inOwnLoader(Object plugin, Runnable action) {
        Thread thread = Thread.currentThread();
        ClassLoader caller = thread.getContextClassLoader();
        thread.setContextClassLoader(plugin.getClass().getClassLoader());
        try {
            action.run();
        } finally {
            thread.setContextClassLoader(caller);
        }
    }

    private static List<String> list(String value) {
        List<String> names = new ArrayList<>();
        if (value != null) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    names.add(part.trim());
                }
            }
        }
        return names;
    }

    private static Map<String, Object> settings(Map<String, String> config, String prefix) {
        Map<String, Object> settings = new HashMap<>();
        config.forEach((key, value) -> {
            if (key.startsWith(prefix) && !key.equals(prefix + "type")) {
                settings.put(key.substring(prefix.length()), value);
            }
        });
        return settings;
    }

    @SuppressWarnings("unchecked")
    private static <T> T instance(Map<String, String> config, String prefix, Class<?> kind, ClassFinder finder,
            BiConsumer<String, String> error) {
        String key = prefix + "type";
        String className = config.get(key);
        if (className == null || className.isBlank()) {
            error.accept(key, "missing: name the " + kind.getSimpleName() + " class");
            return null;
        }
        try {
            Class<?> type = finder.find(className.trim());
            if (!kind.isAssignableFrom(type)) {
                error.accept(key, className + " is not a " + kind.getName());
                return null;
            }
            Thread thread = Thread.currentThread();
            ClassLoader caller = thread.getContextClassLoader();
            thread.setContextClassLoader(type.getClassLoader());
            try {
                return (T) type.getDeclaredConstructor().newInstance();
            } finally {
                thread.setContextClassLoader(caller);
            }
        } catch (ClassNotFoundException e) {
            error.accept(key, "class " + className + " not found on the class path or the plugin path");
        } catch (ReflectiveOperationException | LinkageError e) {
            error.accept(key, "cannot create " + className + ": " + e);
        }
        return null;
    }

    /** Each setting's own checks from the plugin's ConfigDef, then its configure(); errors on the full key. */
    private static boolean configure(Map<String, String> config, String prefix, ConfigDef def,
            BiConsumer<String, String> error, Runnable configure) {
        boolean ok = true;
        if (def != null) {
            Map<String, String> own = new HashMap<>();
            config.forEach((key, value) -> {
                if (key.startsWith(prefix)) {
                    own.put(key.substring(prefix.length()), value);
                }
            });
            for (ConfigValue value : def.validate(own)) {
                for (String message : value.errorMessages()) {
                    error.accept(prefix + value.name(), message);
                    ok = false;
                }
            }
        }
        if (ok) {
            try {
                configure.run();
            } catch (RuntimeException e) {
                error.accept(prefix + "type", e.getMessage());
                ok = false;
            }
        }
        return ok;
    }

    /**
     * The record after every stage whose predicate holds, or null if a stage dropped it. Each plugin runs with its
     * own class loader as the thread's context loader, as in a Connect worker.
     */
    R apply(R record) {
        Thread thread = Thread.currentThread();
        ClassLoader caller = thread.getContextClassLoader();
        try {
            R current = record;
            for (Stage<R> stage : stages) {
                if (stage.predicate() != null) {
                    thread.setContextClassLoader(stage.predicate().getClass().getClassLoader());
                    if (stage.predicate().test(current) == stage.negate()) {
                        continue;
                    }
                }
                thread.setContextClassLoader(stage.transformation().getClass().getClassLoader());
                current = stage.transformation().apply(current);
                if (current == null) {
                    return null;
                }
            }
            return current;
        } finally {
            thread.setContextClassLoader(caller);
        }
    }

    boolean isEmpty() {
        return stages.isEmpty();
    }

    @Override
    public void close() {
        plugins.forEach(TransformChain::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable plugin) {
        try {
            plugin.close();
        } catch (Exception e) {
            // closing a transform must not stop the others from closing
        }
    }
}
