package io.cdcmesh.runtime.embedded;

import io.cdcmesh.common.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;

/**
 * The Kafka offsets the embedded runtime gives the records it hands to sinks. There is no Kafka, so the runtime makes
 * them up: one sequence for the whole pipeline, growing, and never handing out a number twice, even across a crash
 * (sinks name files and track progress by offset). Numbers are reserved in blocks whose upper end is written to
 * {@code file} (through a temporary file, forced to disk, then renamed) before the first number of the block is used;
 * after a crash the sequence starts at the last reserved end.
 */
final class OffsetSequence {
    static final long BLOCK = 1_000_000;

    private final Path file;
    private long next;
    private long reservedEnd;

    OffsetSequence(Path file) {
        this.file = file;
        try {
            long start = Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()) : 0;
            next = start;
            reservedEnd = start;
        } catch (IOException | NumberFormatException e) {
            throw new PipelineException("Cannot read the offset sequence in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The next offset; single-threaded. */
    long next() {
        if (next >= reservedEnd) {
            reserve(next + BLOCK);
        }
        return next++;
    }

    private void reserve(long end) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // Owner-only like everything under data.dir; the rename gives the file the temporary file's mode.
            Files.deleteIfExists(tmp);
            OwnerOnly.file(tmp);
            Files.writeString(tmp, Long.toString(end), StandardCharsets.US_ASCII);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot reserve offsets up to " + end + " in " + file, e);
        }
        reservedEnd = end;
    }
}
