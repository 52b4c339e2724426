package io.cdcmesh.common;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that may hold rows or secrets (dead letters, offsets, schema history) readable by their owner only: folders
 * 0700, files 0600, as they are created; on a file system without POSIX permissions, as the system makes them.
 */
public final class OwnerOnly {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {}

    /** Creates the folder and its missing parents, each new one 0700; an existing one is narrowed to 0700. */
    public static Path directories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (!POSIX) {
            return Files.createDirectories(absolute);
        }
        if (absolute.getParent() != null && !Files.isDirectory(absolute.getParent())) {
            directories(absolute.getParent());
        }
        if (!Files.isDirectory(absolute)) {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(DIRECTORY));
        }
        Files.setPosixFilePermissions(absolute, DIRECTORY);
        return absolute;
    }

    /** The attribute that makes a new file 0600 (none where POSIX permissions don't exist). */
    public static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /**
     * Makes sure {@code file} exists and is 0600: created empty if missing, narrowed if not. For files a library
     * creates with the default mode; it writes into the file it finds and keeps its mode.
     */
    public static Path file(Path file) throws IOException {
        if (Files.exists(file)) {
            restrict(file);
        } else {
            Files.createFile(file, fileAttributes());
        }
        return file;
    }

    /** Narrows an existing file to 0600 (one created before this rule, or by a library). */
    public static void restrict(Path file) throws IOException {
        if (POSIX && Files.exists(file)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }
}
