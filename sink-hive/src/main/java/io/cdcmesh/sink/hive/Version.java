package io.cdcmesh.sink.hive;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** cdc-mesh's own version, from a Maven-filtered resource. */
public final class Version {
    public static final String VERSION = load();

    private Version() {}

    private static String load() {
        Properties props = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            // "unknown" below
        }
        return props.getProperty("version", "unknown");
    }
}
