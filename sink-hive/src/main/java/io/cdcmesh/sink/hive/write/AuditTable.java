package io.cdcmesh.sink.hive.write;

import io.cdcmesh.sink.hive.schema.AuditColumn;
import io.cdcmesh.sink.hive.schema.HiveNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the task knows of one audit table: its columns in order, its location, and the partitions it registered. */
public final class AuditTable {
    private final String database;
    private final String name;
    private final String location;
    private final Map<String, AuditColumn> columns = new LinkedHashMap<>();
    private final Set<String> partitions = new HashSet<>();
    private final DataFormat format;

    AuditTable(String database, String name, String location, List<AuditColumn> columns, DataFormat format) {
        this.database = database;
        this.name = name;
        this.location = location;
        this.format = format;
        columns.forEach(c -> this.columns.put(c.name(), c));
    }

    public String database() {
        return database;
    }

    public String name() {
        return name;
    }

    public String qualified() {
        return HiveNames.qualified(database, name);
    }

    /** The table's directory URI, without a trailing slash. */
    public String location() {
        return location;
    }

    /** The format of the table's data files, as the metastore declares it. */
    DataFormat format() {
        return format;
    }

    public List<AuditColumn> columns() {
        return new ArrayList<>(columns.values());
    }

    public AuditColumn column(String name) {
        return columns.get(name);
    }

    void added(List<AuditColumn> added) {
        added.forEach(c -> columns.put(c.name(), c));
    }

    boolean hasPartition(String value) {
        return partitions.contains(value);
    }

    void registered(String value) {
        partitions.add(value);
    }

    @Override
    public String toString() {
        return database + "." + name;
    }
}
