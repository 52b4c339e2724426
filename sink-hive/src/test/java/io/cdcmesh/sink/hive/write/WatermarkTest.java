package io.cdcmesh.sink.hive.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.sink.hive.schema.AuditEvent;
import java.util.Set;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class WatermarkTest {
    private static final Schema ROW = SchemaBuilder.struct().optional().field("id", Schema.INT32_SCHEMA).build();
    private static final Schema EVENT = SchemaBuilder.struct().field("uuid", Schema.STRING_SCHEMA).field("type", Schema.STRING_SCHEMA)
            .field("ts", Schema.INT64_SCHEMA).field("entity", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA)
            .field("position", Schema.INT64_SCHEMA).field("before", ROW).field("after", ROW).build();

    @Test
    void eventsBelowTheMarkOrAtItWithAKnownUuidAreAlreadyWritten() {
        Watermark mark = new Watermark(100, Set.of("snap-1", "snap-2"));
        assertThat(mark.admits(event("old", 99))).isFalse();
        assertThat(mark.admits(event("snap-1", 100))).isFalse();
        assertThat(mark.admits(event("snap-3", 100))).isTrue();
        assertThat(mark.admits(event("new", 101))).isTrue();
    }

    @Test
    void writingAboveTheMarkMovesItAndForgetsTheUuidsBelow() {
        Watermark mark = new Watermark();
        mark.written(event("a", 5));
        mark.written(event("b", 5));
        assertThat(mark.admits(event("b", 5))).isFalse();
        mark.written(event("c", 7));
        assertThat(mark.admits(event("a", 5))).isFalse();
        assertThat(mark.admits(event("c", 7))).isFalse();
        assertThat(mark.position()).isEqualTo(7);
        assertThat(mark).hasToString("position 7 (1 uuids at it)");
    }

    private static AuditEvent event(String uuid, long position) {
        Struct value = new Struct(EVENT).put("uuid", uuid).put("type", "READ").put("ts", 0L).put("entity", "db.t")
                .put("id", "1").put("position", position).put("after", new Struct(ROW).put("id", 1));
        return AuditEvent.of(new SinkRecord("t", 0, null, null, EVENT, value, 0));
    }
}
