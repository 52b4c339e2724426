package io.cdcmesh.testkit;

import io.cdcmesh.servers.MySqlServer;

/** Gives tests a {@link MySqlServer} parameter: one real MySQL 8 for the whole run. */
public final class MySqlExtension extends OncePerRunExtension<MySqlServer> {
    public MySqlExtension() {
        super(MySqlServer.class, MySqlServer::launch);
    }
}
