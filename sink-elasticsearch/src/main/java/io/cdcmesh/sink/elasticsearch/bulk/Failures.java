package io.cdcmesh.sink.elasticsearch.bulk;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.apache.kafka.connect.errors.ConnectException;
import org.elasticsearch.client.ResponseException;

/**
 * Decides, once, what a failure of a bulk request means: retry it (the node or the source database is busy,
 * restarting or unreachable: HTTP 429 and 5xx, connection errors, timeouts, transient SQL states), or stop the task
 * with a message naming the cause and the fix (refused credentials, a request the node will never take, a lookup
 * query that can never work, this sink's own stop decisions, anything unexpected). Nothing unrecognized is retried:
 * a catch-all retry turns one bad record into a task that reports RUNNING and never moves again.
 */
final class Failures {
    private Failures() {}

    /** What to do about a failure: retry after a backoff, or fail the task with {@code reason}. */
    record Verdict(boolean retry, String reason) {
        static Verdict retry(String reason) {
            return new Verdict(true, reason);
        }

        static Verdict fail(String reason) {
            return new Verdict(false, reason);
        }
    }

    static Verdict classify(Throwable failure) {
        if (failure instanceof ConnectException) {
            return Verdict.fail(failure.getMessage());
        }
        if (failure instanceof ResponseException e) {
            return byStatus(e.getResponse().getStatusLine().getStatusCode(), e.getMessage());
        }
        if (failure instanceof ElasticsearchException e) {
            return byStatus(e.status(), e.getMessage());
        }
        if (failure instanceof TransportException e) {
            // No status: the request got no HTTP answer (connection refused or reset, timeout).
            return e.statusCode() <= 0 ? Verdict.retry(e.getMessage()) : byStatus(e.statusCode(), e.getMessage());
        }
        if (failure instanceof IOException) {
            return Verdict.retry(failure.getClass().getSimpleName() + ": " + failure.getMessage());
        }
        if (failure instanceof SQLException e) {
            return sql(e);
        }
        return Verdict.fail("unexpected " + failure.getClass().getName() + " while writing to Elasticsearch (a defect:"
                + " please report it with the worker's log)");
    }

    /** By the HTTP status Elasticsearch answered a whole request with. */
    static Verdict byStatus(int status, String message) {
        if (status == 429 || status >= 500) {
            return Verdict.retry("status " + status + ": " + message);
        }
        if (status == 401 || status == 403) {
            return Verdict.fail("Elasticsearch refused the connector's credentials (HTTP " + status
                    + "): check connection.username and connection.password, or connection.api.key, and the user's privileges");
        }
        if (status == 413) {
            return Verdict.fail("Elasticsearch refused a bulk request as too large (HTTP 413): set bulk.size.bytes below the"
                    + " node's http.max_content_length");
        }
        return Verdict.fail("Elasticsearch refused a bulk request with status " + status + ": " + message);
    }

    /**
     * A lookup query's failure: connection trouble, lock timeouts and deadlocks pass; a missing table, column or
     * grant never will, so the task stops naming it.
     */
    static Verdict sql(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        int code = e.getErrorCode();
        boolean transientState = state.startsWith("08") || state.startsWith("40") || state.equals("HYT00");
        boolean transientCode = code == 1205 || code == 1213 || code == 2006 || code == 2013 || code == 1040 || code == 1053;
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException || transientState || transientCode) {
            return Verdict.retry("lookup query: SQLState " + state + ", error " + code + ": " + e.getMessage());
        }
        return Verdict.fail("The lookup query against the source failed and cannot pass by retrying (SQLState " + state
                + ", error " + code + "): " + e.getMessage() + ". Check lookup.url and lookup.user, that the user may SELECT"
                + " the table, and that the table and its key columns exist");
    }
}
