package io.cdcmesh.testkit;

/** Gives tests a {@link SchemaRegistryServer} parameter: one real schema registry for the whole run. */
public final class SchemaRegistryExtension extends OncePerRunExtension<SchemaRegistryServer> {
    public SchemaRegistryExtension() {
        super(SchemaRegistryServer.class, SchemaRegistryServer::launch);
    }
}
