package io.cdcmesh.runtime.embedded;

import java.util.List;

/** What a running pipeline reports about itself: to the status page, the progress display, the demo. */
public interface PipelineStatus {
    /** Events the source produced. */
    long captured();

    /** Events whose source offsets may be committed: every sink made them durable or had no use for them. */
    long committed();

    /** Changes the source's transforms set aside to a dead-letter topic or file. */
    long sourceDeadLettered();

    /** What made the pipeline fail, or null while it runs (or after a clean stop). */
    Throwable failure();

    List<SinkHost> sinks();
}
