package io.cdcmesh.sink.hive;

import io.cdcmesh.testkit.RecordingSinkContext;
import io.cdcmesh.servers.hive.HiveServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Sink tasks a test starts, driven as a worker would (initialize, start, open), all stopped by {@link #close()}. */
final class SinkTasks implements AutoCloseable {
    private final List<HiveAuditSinkTask> started = new ArrayList<>();

    /** A task writing into database {@code db} of the test kit's HiveServer2, with {@code overrides} on top. */
    HiveAuditSinkTask start(HiveServer hive, String db, RecordingSinkContext context, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("hive.jdbc.url", hive.jdbcUrl());
        props.put("hive.database", db);
        props.put("table.location", hive.externalWarehouse().resolveSibling("audit").toUri().toString());
        props.putAll(overrides);
        HiveAuditSinkTask task = new HiveAuditSinkTask();
        task.initialize(context);
        task.start(props);
        task.open(context.assignment);
        started.add(task);
        return task;
    }

    @Override
    public void close() {
        started.forEach(HiveAuditSinkTask::stop);
    }
}
