package io.cdcmesh.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetSequenceTest {
    @TempDir
    Path dir;

    @Test
    void numbersGrowAndAreNeverHandedOutTwiceAcrossARestart() throws Exception {
        Path file = dir.resolve("offset-sequence");
        OffsetSequence first = new OffsetSequence(file);
        long a = first.next();
        long b = first.next();
        assertThat(b).isEqualTo(a + 1);
        assertThat(Files.readString(file).trim()).isEqualTo(Long.toString(a + OffsetSequence.BLOCK));
        // A crash here: the next process starts above everything the first one may have handed out.
        OffsetSequence second = new OffsetSequence(file);
        assertThat(second.next()).isGreaterThan(b).isEqualTo(a + OffsetSequence.BLOCK);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as("owner-only, as all of data.dir")
                .isEqualTo("rw-------");
    }
}
