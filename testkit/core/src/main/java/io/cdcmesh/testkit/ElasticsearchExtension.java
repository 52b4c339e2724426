package io.cdcmesh.testkit;

import io.cdcmesh.servers.ElasticsearchServer;

/** Gives tests an {@link ElasticsearchServer} parameter: one real Elasticsearch node for the whole run. */
public final class ElasticsearchExtension extends OncePerRunExtension<ElasticsearchServer> {
    public ElasticsearchExtension() {
        super(ElasticsearchServer.class, ElasticsearchServer::launch);
    }
}
