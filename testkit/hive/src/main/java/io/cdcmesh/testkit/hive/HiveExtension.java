package io.cdcmesh.testkit.hive;

import io.cdcmesh.servers.hive.HiveServer;
import io.cdcmesh.testkit.OncePerRunExtension;

/** Gives tests a {@link HiveServer} parameter: one real HiveServer2 for the whole run. */
public final class HiveExtension extends OncePerRunExtension<HiveServer> {
    public HiveExtension() {
        super(HiveServer.class, HiveServer::launch);
    }
}
