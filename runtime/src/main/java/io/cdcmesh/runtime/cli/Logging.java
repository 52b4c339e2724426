package io.cdcmesh.runtime.cli;

import org.slf4j.bridge.SLF4JBridgeHandler;

/** One log for the whole process: cdc-mesh's own messages at INFO, libraries' at WARN, java.util.logging included. */
public final class Logging {
    private Logging() {}

    /** Call first in a main method, before anything logs. */
    public static void configure() {
        if (System.getProperty("log4j2.configurationFile") == null) {
            // Named so that it never shadows a test's or an application's log4j2.xml when this jar is on a class path.
            System.setProperty("log4j2.configurationFile", "cdc-mesh-log4j2.xml");
        }
        // The binlog client logs through java.util.logging, which would print its own two-line INFO records.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
