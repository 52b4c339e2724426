package io.cdcmesh.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Paths a test-kit module's build wrote (classpath files, unpacked archives), recorded in a filtered properties
 * resource next to the class that reads them.
 */
public final class BuildOutputs {
    private final Properties properties = new Properties();
    private final String module;

    private BuildOutputs(String module) {
        this.module = module;
    }

    /** Reads {@code resource} next to {@code owner}; {@code module} names the module whose build makes the outputs. */
    public static BuildOutputs load(Class<?> owner, String resource, String module) {
        BuildOutputs outputs = new BuildOutputs(module);
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing next to " + owner.getName());
            }
            outputs.properties.load(in);
            return outputs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String get(String key) {
        return properties.getProperty(key);
    }

    /** The path under {@code key}, which must exist. */
    public Path path(String key) {
        Path path = Path.of(properties.getProperty(key));
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " does not exist: build " + module + " first (mvn -pl " + module + " -am package)");
        }
        return path;
    }

    /** The trimmed content of the file under {@code key}. */
    public String read(String key) {
        try {
            return Files.readString(path(key)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
