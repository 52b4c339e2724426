package io.cdcmesh.sink.hive.schema;

/** A column of an audit table: its Hive name (lower case, checked) and Hive type (upper case). */
public record AuditColumn(String name, String type) {
    public String ddl() {
        return HiveNames.quote(name) + " " + type;
    }
}
