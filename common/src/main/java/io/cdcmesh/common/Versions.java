package io.cdcmesh.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** cdc-mesh's own version, from the Maven-filtered {@code version.properties} next to a plugin's class. */
public final class Versions {
    private Versions() {}

    public static String of(Class<?> owner) {
        Properties props = new Properties();
        try (InputStream in = owner.getResourceAsStream("version.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            // "unknown" below
        }
        return props.getProperty("version", "unknown");
    }
}
