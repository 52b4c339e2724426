package io.cdcmesh.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {
    @TempDir
    Path temp;

    @Test
    void newFoldersAreOwnerOnlyAndNewFilesToo() throws Exception {
        Path dir = OwnerOnly.directories(temp.resolve("data/dead-letter"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("data")))).isEqualTo("rwx------");

        Path file = dir.resolve("orders.jsonl");
        try (FileChannel ignored = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                OwnerOnly.fileAttributes())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void anExistingFileOrFolderIsNarrowed() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("old"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = Files.writeString(dir.resolve("offsets.dat"), "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        OwnerOnly.directories(dir);
        OwnerOnly.restrict(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aFileALibraryWillWriteIsMadeOwnerOnlyBeforehandAndAnExistingOneNarrowed() throws Exception {
        Path fresh = OwnerOnly.file(temp.resolve("schema-history.dat"));
        assertThat(Files.size(fresh)).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rw-------");
        // A library that opens it to write keeps its mode.
        Files.writeString(fresh, "history", StandardOpenOption.APPEND);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rw-------");

        Path old = Files.writeString(temp.resolve("source-offsets.dat"), "offsets");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        OwnerOnly.file(old);
        assertThat(Files.readString(old)).isEqualTo("offsets");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(old))).isEqualTo("rw-------");
    }
}
