package io.cdcmesh.runtime.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AvroCompatibilityTest {
    private static Schema event(String scoreType, boolean withNote) {
        String row = "{\"type\":\"record\",\"name\":\"Value\",\"namespace\":\"check.db.ratings\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"score\",\"type\":[\"null\",\"" + scoreType + "\"],\"default\":null}"
                + (withNote ? ",{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}" : "") + "]}";
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"ChangeEvent\",\"namespace\":\"check.db.ratings\",\"fields\":["
                + "{\"name\":\"uuid\",\"type\":\"string\"},{\"name\":\"before\",\"type\":[\"null\"," + row + "],\"default\":null},"
                + "{\"name\":\"after\",\"type\":[\"null\",\"check.db.ratings.Value\"],\"default\":null}]}");
    }

    @Test
    void aTypeChangeInsideTheRowImagesIsNamedByItsFieldPath() {
        List<String> problems = AvroCompatibility.problems("BACKWARD", event("string", false), event("int", false));
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("field 'before.score': ").contains("INT");
        assertThat(problems.get(1)).startsWith("field 'after.score': ").contains("INT");
    }

    @Test
    void anAddedOptionalColumnIsBackwardButNotForwardProblemFree() {
        assertThat(AvroCompatibility.problems("BACKWARD", event("int", true), event("int", false))).isEmpty();
        assertThat(AvroCompatibility.problems("FULL", event("int", true), event("int", false))).isEmpty();
        assertThat(AvroCompatibility.problems("NONE", event("string", false), event("int", false))).isEmpty();
    }

    @Test
    void transitiveLevelsUseTheirBaseRule() {
        assertThat(AvroCompatibility.problems("BACKWARD_TRANSITIVE", event("string", false), event("int", false))).isNotEmpty();
        assertThat(AvroCompatibility.problems("FORWARD", event("long", false), event("int", false)))
                .as("int data reads as long, but long data not as int").isNotEmpty();
        assertThat(AvroCompatibility.problems("BACKWARD", event("long", false), event("int", false))).isEmpty();
    }
}
