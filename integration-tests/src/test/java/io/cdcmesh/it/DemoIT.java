package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code cdc-mesh demo} as the README runs it: it starts its own MariaDB, Elasticsearch and HiveServer2, drives the
 * workload and checks its own proof, exiting 0 only when the index equals the database, the audit holds every change
 * once, and the late June event was skipped as stale.
 */
class DemoIT {
    @Test
    void theDemoPassesItsOwnProofAndStopsEverythingItStarted() throws Exception {
        CdcMeshRuntime.Result demo = CdcMeshRuntime.run(io.cdcmesh.servers.WorkDir.fresh("demo-it"), Map.of(), 600, "demo");
        assertThat(demo.exitCode()).as(demo.output()).isZero();
        assertThat(demo.output())
                .contains("the launch date of title 42: source 2027-07-16, Elasticsearch 2027-07-16; the late June event was"
                        + " skipped as stale (1 stale) OK")
                .containsPattern("UPDATE +2027-07-16 -> 2027-06-18")
                .containsPattern("UPDATE +2027-06-18 -> 2027-07-16")
                .contains("demo passed")
                .doesNotContain("MISMATCH");
        // Quiet unless something is wrong: no warnings (a starting HiveServer2 used to give ~200), and the binlog
        // client's java.util.logging lines go through the same log, at its level.
        assertThat(demo.output().lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))).as("warnings").isEmpty();
        assertThat(demo.output()).doesNotContain("INFO: ").doesNotContain("com.github.shyiko.mysql.binlog.BinaryLogClient");
        assertThat(demo.output().lines().filter(line -> line.contains("ready on 127.0.0.1"))).as("one line per server ready")
                .hasSize(3);
        // Each server the test kit started printed "(pid N)"; none may outlive the demo.
        java.util.regex.Matcher pids = java.util.regex.Pattern.compile("\\(pid (\\d+)\\)").matcher(demo.output());
        int servers = 0;
        while (pids.find()) {
            servers++;
            long pid = Long.parseLong(pids.group(1));
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("server pid " + pid + " still running").isFalse();
        }
        assertThat(servers).as("servers the demo reported starting").isGreaterThanOrEqualTo(3);
        // The servers' data (rows, the pipeline's offsets and dead letters) sit under one owner-only folder.
        java.nio.file.Path demoFiles = CdcMeshRuntime.jar().resolveSibling("demo");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(demoFiles)))
                .as(demoFiles.toString()).isEqualTo("rwx------");
    }

    @Test
    void theDemosClassPathHasNoTestFramework() throws Exception {
        java.nio.file.Path classpath = CdcMeshRuntime.jar().resolveSibling("demo.classpath");
        assertThat(java.nio.file.Files.readString(classpath).split(java.io.File.pathSeparator))
                .as("the demo's class path (servers/, not testkit/)").isNotEmpty()
                .noneMatch(entry -> entry.contains("junit") || entry.contains("cdc-mesh-testkit"));
    }
}
