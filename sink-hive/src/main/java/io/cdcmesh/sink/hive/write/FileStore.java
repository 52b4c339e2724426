package io.cdcmesh.sink.hive.write;

import io.cdcmesh.common.event.ChangeEventView;
import io.cdcmesh.sink.hive.schema.AuditColumn;
import io.cdcmesh.sink.hive.schema.AuditEvent;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.kafka.common.TopicPartition;

/**
 * Data files in audit tables' partition directories, through Hadoop's FileSystem API.
 *
 * <p>A file holds the rows of one flush of one topic partition into one table partition and is named for them:
 * {@code <topic>+<partition>+<first offset>+<last offset>+<position>+<ordinal>.<txt|orc|parquet>}, the position and
 * ordinal being those of its last row, the highest (files of older releases have no ordinal). It is written under the
 * table's {@code .cdcmesh-tmp/} directory (which Hive ignores, as every name starting with '.') and renamed into
 * place, so a reader never sees half a file and a crash leaves either the whole file or none. The names are how a
 * task that takes over a topic partition learns what is already in the table ({@link #recover}).
 */
public final class FileStore implements RowStore {
    /** Kafka topic names have no '+'. The ordinal is left out where the last row has none (and by older releases). */
    private static final Pattern NAME = Pattern.compile("([^+]+)\\+(\\d+)\\+(\\d+)\\+(\\d+)\\+(-?\\d+)(?:\\+(\\d+))?\\.(txt|orc|parquet)");
    private static final String TMP = ".cdcmesh-tmp";
    static final int UUID_COLUMN = AuditEvent.EVENT_COLUMNS.indexOf(AuditEvent.EVENT_COLUMNS.stream()
            .filter(c -> c.name().equals("uuid")).findFirst().orElseThrow());
    static final int POSITION_COLUMN = AuditEvent.EVENT_COLUMNS.indexOf(AuditEvent.EVENT_COLUMNS.stream()
            .filter(c -> c.name().equals("position")).findFirst().orElseThrow());

    private final Configuration configuration;
    private final HiveCatalog catalog;
    private final String partitionField;

    public FileStore(Configuration configuration, HiveCatalog catalog, String partitionField) {
        this.configuration = configuration;
        this.catalog = catalog;
        this.partitionField = partitionField;
    }

    /** Registers the partition at its directory, then writes the rows as one file there, in the table's format. */
    @Override
    public void write(AuditTable table, List<AuditColumn> columns, String partitionValue, TopicPartition tp, List<AuditEvent> rows) {
        String directory = table.location() + "/" + partitionField + "=" + partitionValue;
        catalog.addPartition(table, partitionValue, directory);
        // The watermark admitted these rows in (position, ordinal) order: the last is the highest.
        AuditEvent last = rows.get(rows.size() - 1);
        DataFormat format = table.format();
        String name = fileName(tp.topic(), tp.partition(), rows.get(0).offset(), last.offset(), last.position(), last.ordinal(),
                format.extension());
        write(directory, name, (fs, tmp) -> format.write(configuration, fs, tmp, new RowLayout(columns), rows));
    }

    public static String fileName(String topic, int partition, long firstOffset, long lastOffset, long position, long ordinal,
            String extension) {
        return topic + "+" + partition + "+" + firstOffset + "+" + lastOffset + "+" + position
                + (ordinal == ChangeEventView.NO_ORDINAL ? "" : "+" + ordinal) + "." + extension;
    }

    /** Writes one data file to a temporary path. */
    interface FileWriter {
        void write(FileSystem fs, Path tmp) throws IOException;
    }

    /** Writes a file atomically (temporary file, then rename); a file of that name already there is kept. */
    void write(String directory, String name, FileWriter data) {
        try {
            Path target = new Path(directory, name);
            FileSystem fs = fileSystem(target);
            Path tmp = new Path(new Path(target.getParent().getParent(), TMP), name + "." + UUID.randomUUID());
            data.write(fs, tmp);
            fs.mkdirs(target.getParent());
            if (fs.exists(target)) {
                fs.delete(tmp, false);
                return;
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("rename of " + tmp + " to " + target + " failed");
            }
        } catch (IOException e) {
            throw new HiveUnavailableException("Cannot write " + directory + "/" + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * What {@code table} holds of one topic partition, from its file names (and the uuids in the last files of older
     * releases, whose names have no ordinal); also removes that topic partition's temporary files, left by a task that
     * died mid-write.
     */
    @Override
    public Watermark recover(AuditTable table, TopicPartition tp) {
        String topic = tp.topic();
        int partition = tp.partition();
        try {
            Path root = new Path(table.location());
            FileSystem fs = fileSystem(root);
            if (!fs.exists(root)) {
                return new Watermark();
            }
            String prefix = topic + "+" + partition + "+";
            Path tmp = new Path(root, TMP);
            if (fs.exists(tmp)) {
                for (FileStatus file : fs.listStatus(tmp)) {
                    if (file.getPath().getName().startsWith(prefix)) {
                        fs.delete(file.getPath(), false);
                    }
                }
            }
            long max = -1;
            long maxOrdinal = ChangeEventView.NO_ORDINAL;
            long offsetAtMax = -1;
            List<Path> withoutOrdinal = new ArrayList<>();
            for (FileStatus dir : fs.listStatus(root)) {
                if (!dir.isDirectory() || dir.getPath().getName().startsWith(".")) {
                    continue;
                }
                for (FileStatus file : fs.listStatus(dir.getPath())) {
                    Matcher m = NAME.matcher(file.getPath().getName());
                    if (!m.matches() || !m.group(1).equals(topic) || Integer.parseInt(m.group(2)) != partition) {
                        continue;
                    }
                    long position = Long.parseLong(m.group(5));
                    if (position > max) {
                        max = position;
                        maxOrdinal = ChangeEventView.NO_ORDINAL;
                        offsetAtMax = -1;
                        withoutOrdinal.clear();
                    }
                    if (position < max) {
                        continue;
                    }
                    long lastOffset = Long.parseLong(m.group(4));
                    if (m.group(6) == null) {
                        withoutOrdinal.add(file.getPath());
                        continue;
                    }
                    long ordinal = Long.parseLong(m.group(6));
                    if (ordinal > maxOrdinal || ordinal == maxOrdinal && lastOffset > offsetAtMax) {
                        maxOrdinal = ordinal;
                        offsetAtMax = lastOffset;
                    }
                }
            }
            Set<String> uuids = new HashSet<>();
            for (Path file : withoutOrdinal) {
                Matcher m = NAME.matcher(file.getName());
                if (m.matches()) {
                    DataFormat.ofExtension(m.group(7)).uuidsAt(configuration, fs, file, max, uuids);
                }
            }
            return new Watermark(max, maxOrdinal, offsetAtMax, uuids);
        } catch (IOException e) {
            throw new HiveUnavailableException("Cannot list " + table.location() + ": " + e.getMessage(), e);
        }
    }

    private FileSystem fileSystem(Path path) throws IOException {
        FileSystem fs = FileSystem.get(URI.create(path.toString()), configuration);
        fs.setWriteChecksum(false);
        return fs;
    }
}
