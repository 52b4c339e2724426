package io.cdcmesh.sink.elasticsearch.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientConnectionException;
import java.time.DateTimeException;
import org.junit.jupiter.api.Test;

/** Which failure of a bulk request is retried and which stops the task: decided once, in {@link Failures}. */
class FailuresTest {
    @Test
    void busyOrFailingNodesAreRetried() {
        for (int status : new int[] {429, 500, 502, 503, 504}) {
            assertThat(Failures.byStatus(status, "x").retry()).as("HTTP %d", status).isTrue();
            assertThat(Failures.classify(elasticsearch(status)).retry()).as("typed client, HTTP %d", status).isTrue();
        }
    }

    @Test
    void connectionTroubleAndTimeoutsAreRetried() {
        assertThat(Failures.classify(new ConnectException("Connection refused")).retry()).isTrue();
        assertThat(Failures.classify(new SocketTimeoutException("60,000 milliseconds timeout")).retry()).isTrue();
        assertThat(Failures.classify(new IOException("Connection reset by peer")).retry()).isTrue();
    }

    @Test
    void refusalsThatRetryingCannotFixStopTheTaskNamingTheFix() {
        assertThat(Failures.byStatus(401, "x")).satisfies(v -> {
            assertThat(v.retry()).isFalse();
            assertThat(v.reason()).contains("connection.username");
        });
        assertThat(Failures.byStatus(403, "x").retry()).isFalse();
        assertThat(Failures.byStatus(413, "x")).satisfies(v -> {
            assertThat(v.retry()).isFalse();
            assertThat(v.reason()).contains("bulk.size.bytes");
        });
        assertThat(Failures.byStatus(400, "x").retry()).isFalse();
        assertThat(Failures.classify(elasticsearch(400)).retry()).isFalse();
    }

    @Test
    void theSinksOwnStopDecisionsAreNotRetried() {
        // behavior.on.malformed.documents=fail, or a dead-letter queue that refused a record, throw this.
        assertThat(Failures.classify(new org.apache.kafka.connect.errors.ConnectException("Cannot index the record")).retry())
                .isFalse();
    }

    @Test
    void unexpectedErrorsStopTheTaskInsteadOfLoopingForEver() {
        assertThat(Failures.classify(new DateTimeException("Invalid value for NanoOfDay"))).satisfies(v -> {
            assertThat(v.retry()).isFalse();
            assertThat(v.reason()).contains("DateTimeException").doesNotContain("NanoOfDay");
        });
        assertThat(Failures.classify(new NullPointerException()).retry()).isFalse();
    }

    @Test
    void lookupQueriesRetryConnectionTroubleAndStopOnMissingTablesOrGrants() {
        assertThat(Failures.classify(new SQLTransientConnectionException("gone", "08S01")).retry()).isTrue();
        assertThat(Failures.classify(new SQLException("Communications link failure", "08S01", 0)).retry()).isTrue();
        assertThat(Failures.classify(new SQLException("Deadlock found", "40001", 1213)).retry()).isTrue();
        assertThat(Failures.classify(new SQLException("Lock wait timeout exceeded", "HY000", 1205)).retry()).isTrue();
        assertThat(Failures.classify(new SQLSyntaxErrorException("Table 'studio.gone' doesn't exist", "42S02", 1146)))
                .satisfies(v -> {
                    assertThat(v.retry()).isFalse();
                    assertThat(v.reason()).contains("42S02").contains("doesn't exist").contains("lookup.user");
                });
        assertThat(Failures.classify(new SQLSyntaxErrorException("SELECT command denied to user", "42000", 1142)).retry())
                .isFalse();
    }

    private static ElasticsearchException elasticsearch(int status) {
        return new ElasticsearchException("bulk", ErrorResponse.of(r -> r.status(status)
                .error(ErrorCause.of(c -> c.type("t").reason("r")))));
    }
}
