package io.cdcmesh.testkit;

import io.cdcmesh.servers.SchemaRegistryServer;

/** Gives tests a {@link SchemaRegistryServer} parameter: one real schema registry for the whole run. */
public final class SchemaRegistryExtension extends OncePerRunExtension<SchemaRegistryServer> {
    public SchemaRegistryExtension() {
        super(SchemaRegistryServer.class, SchemaRegistryServer::launch);
    }
}
