package io.cdcmesh.sink.elasticsearch.transport;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConfig;
import java.net.URI;
import java.util.List;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.elasticsearch.client.RestClient;

/** Builds the Elasticsearch client from the connector's connection settings. */
public final class ClientFactory {
    private ClientFactory() {}

    public static ElasticsearchClient create(ElasticsearchSinkConfig config) {
        List<URI> urls = config.urls();
        HttpHost[] hosts = urls.stream()
                .map(u -> new HttpHost(u.getHost(), u.getPort() > 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 9200),
                        u.getScheme()))
                .toArray(HttpHost[]::new);
        int connectTimeout = config.getInt(ElasticsearchSinkConfig.CONNECTION_TIMEOUT_MS);
        int readTimeout = config.getInt(ElasticsearchSinkConfig.READ_TIMEOUT_MS);
        String user = config.username();
        RestClient rest = RestClient.builder(hosts)
                .setRequestConfigCallback(rc -> rc.setConnectTimeout(connectTimeout).setSocketTimeout(readTimeout))
                .setHttpClientConfigCallback(http -> {
                    if (user != null) {
                        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                        credentials.setCredentials(AuthScope.ANY,
                                new UsernamePasswordCredentials(user, config.password().value()));
                        http.setDefaultCredentialsProvider(credentials);
                    }
                    return http;
                })
                .build();
        return new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper(new ObjectMapper())));
    }
}
