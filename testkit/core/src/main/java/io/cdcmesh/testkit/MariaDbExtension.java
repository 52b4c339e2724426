package io.cdcmesh.testkit;

import io.cdcmesh.servers.MariaDbServer;

/** Gives tests a {@link MariaDbServer} parameter: one real MariaDB for the whole run. */
public final class MariaDbExtension extends OncePerRunExtension<MariaDbServer> {
    public MariaDbExtension() {
        super(MariaDbServer.class, MariaDbServer::launch);
    }
}
