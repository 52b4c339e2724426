package io.cdcmesh.runtime.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code cdc-mesh demo}: runs the demo (module {@code demo/}) in its own JVM, with the class path and Elasticsearch
 * node its build left next to cdc-mesh.jar. The demo's servers come from {@code servers/}, so they are not in this jar.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the demo: MariaDB, Elasticsearch and HiveServer2 on 127.0.0.1, a live workload through an"
                + " embedded pipeline, and side-by-side proof at the end.",
                "%nEverything it starts it stops; its files stay in runtime/target/demo."})
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Path home = CdcMesh.distributionDir();
        Path classpath = home == null ? null : home.resolve("demo.classpath");
        if (classpath == null || !Files.isRegularFile(classpath)) {
            System.err.println("cdc-mesh: the demo is not built (no " + classpath + "); run scripts/demo.sh, or"
                    + " mvn -q -pl demo -am package -DskipTests");
            return CdcMesh.INVALID;
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.add("-Dcdcmesh.es.node=" + home.resolve("es-node"));
        command.add("-Dcdcmesh.testkit.dir=" + home.resolve("demo"));
        command.add("-Dcdcmesh.plugin.path=" + CdcMesh.defaultPluginPath());
        command.add("-cp");
        command.add(Files.readString(classpath).trim());
        command.add("io.cdcmesh.demo.Demo");
        Process demo = new ProcessBuilder(command).inheritIO().start();
        Thread stop = new Thread(demo::destroy, "cdc-mesh-demo-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        int exit = demo.waitFor();
        Runtime.getRuntime().removeShutdownHook(stop);
        return exit;
    }
}
