package io.cdcmesh.sink.elasticsearch.transport;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import java.util.List;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

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
        Password apiKey = config.getPassword(ElasticsearchSinkConfig.CONNECTION_API_KEY);
        RestClientBuilder builder = RestClient.builder(hosts);
        if (apiKey != null && !apiKey.value().isEmpty()) {
            builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "ApiKey " + apiKey.value())});
        }
        RestClient rest = builder
                .setRequestConfigCallback(rc -> rc.setConnectTimeout(connectTimeout).setSocketTimeout(readTimeout))
                .setHttpClientConfigCallback(http -> {
                    SSLContext tls = sslContext(config);
                    if (tls != null) {
                        http.setSSLContext(tls);
                    }
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

    /** An SSL context trusting the configured trust store, or null for the JVM's default trust. */
    static SSLContext sslContext(ElasticsearchSinkConfig config) {
        String location = config.getString(ElasticsearchSinkConfig.TRUSTSTORE_LOCATION);
        if (location == null || location.isBlank()) {
            return null;
        }
        Password password = config.getPassword(ElasticsearchSinkConfig.TRUSTSTORE_PASSWORD);
        char[] secret = password == null ? null : password.value().toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore store = KeyStore.getInstance(config.getString(ElasticsearchSinkConfig.TRUSTSTORE_TYPE).trim().toUpperCase(Locale.ROOT));
            store.load(in, secret);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(ElasticsearchSinkConfig.TRUSTSTORE_LOCATION, location,
                    "Cannot load the trust store: " + e.getMessage());
        }
    }
}
