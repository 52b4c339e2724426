package io.cdcmesh.sink.elasticsearch.bulk;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.sink.elasticsearch.request.ChangeAction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;

/**
 * One {@code _bulk} request through the low-level REST client, written and read with Jackson's streaming API
 * ({@link BulkBody}): the typed client's BulkRequest writes each NDJSON line to the socket separately and reads every
 * field of every item back, which cost this sink more CPU than the documents themselves.
 */
final class RestBulk implements BulkSender.Transport {
    /**
     * What the sink reads of a bulk response ({@link BulkBody#response}): Elasticsearch leaves out the rest of each
     * item (index, id, version, shards, sequence number), which it would otherwise write, and the client read, for
     * every document. The error of a request refused as a whole stays in, for the message that reports it.
     */
    static final String RESPONSE_FIELDS = "errors,items.*.status,items.*.error.type,items.*.error.reason,error.type,error.reason,status";

    private static final ContentType NDJSON = ContentType.create("application/x-ndjson", StandardCharsets.UTF_8);

    private final RestClient rest;
    private final ObjectMapper mapper;

    RestBulk(RestClient rest, ObjectMapper mapper) {
        this.rest = rest;
        this.mapper = mapper;
    }

    @Override
    public BulkBody.Results bulk(List<ChangeAction> actions) throws IOException {
        Request request = new Request("POST", "/_bulk");
        request.addParameter("filter_path", RESPONSE_FIELDS);
        BulkBody.Bytes body = BulkBody.request(mapper, actions);
        request.setEntity(new ByteArrayEntity(body.buffer(), 0, body.length(), NDJSON));
        Response response = rest.performRequest(request);
        try (InputStream in = response.getEntity().getContent()) {
            return BulkBody.response(mapper, in, actions.size());
        }
    }
}
