package io.cdcmesh.runtime.cli;

import io.cdcmesh.runtime.embedded.EmbeddedPipeline;
import io.cdcmesh.runtime.embedded.PipelineException;
import io.cdcmesh.runtime.embedded.PipelineFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cdc-mesh run pipeline.json}: the whole pipeline in this process until stopped (Ctrl-C, SIGTERM). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a pipeline in this process, with no Kafka.",
                "%nThe source connector runs on Debezium's embedded engine, then its transforms, then every sink's"
                        + " transforms and task. The pipeline file is checked entirely (keys, ${env:..} references, each"
                        + " connector's validate()) before anything starts. Source offsets are kept in the runtime's"
                        + " data.dir and committed only for what every sink has durably written, so a restart after"
                        + " kill -9 loses nothing."})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PIPELINE", description = "the pipeline file (JSON: runtime, source, sinks)")
    Path pipelineFile;

    @Option(names = "--plugin-path", description = "folders holding the sink plugins (default: the runtime's plugin.path,"
            + " else the plugins folder next to cdc-mesh.jar)")
    String pluginPath;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        EmbeddedPipeline pipeline;
        try {
            pipeline = EmbeddedPipeline.prepare(PipelineFile.read(pipelineFile),
                    pluginPath != null ? pluginPath : CdcMesh.defaultPluginPath());
        } catch (PipelineException e) {
            err.println(e.getMessage());
            return CdcMesh.INVALID;
        }
        Thread hook = new Thread(pipeline::stop, "cdc-mesh-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Progress progress = new Progress(pipeline, System.console() != null ? System.out : null);
        try {
            pipeline.start();
            progress.start();
            Throwable failure = pipeline.awaitTermination();
            if (failure != null) {
                err.println("cdc-mesh: the pipeline failed: " + failure);
                return CdcMesh.FAILED;
            }
            return 0;
        } finally {
            progress.stop();
            pipeline.close();
        }
    }
}
