package io.cdcmesh.servers;

import io.cdcmesh.common.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Per-run directories for servers' data, under {@code target/testkit} of the module running the tests (or the demo's
 * folder). The root is owner-only (0700): the servers' data files hold rows, and some hold passwords.
 */
public final class WorkDir {
    private WorkDir() {}

    public static Path root() {
        return Path.of(System.getProperty("cdcmesh.testkit.dir", "target/testkit")).toAbsolutePath();
    }

    /** An empty directory for {@code name}, cleared if an earlier run left one. */
    public static Path fresh(String name) {
        Path dir = root().resolve(name);
        try {
            OwnerOnly.directories(root());
            Binaries.deleteTree(dir);
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + dir, e);
        }
    }
}
