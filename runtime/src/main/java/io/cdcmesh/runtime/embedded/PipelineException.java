package io.cdcmesh.runtime.embedded;

/** A pipeline that can't run, with where in its file the problem is (line 0 when the file has no place for it). */
public final class PipelineException extends RuntimeException {
    public PipelineException(String message) {
        super(message);
    }

    public PipelineException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "file:line: message", or "file: message" without a line. */
    public static PipelineException at(String file, int line, String message) {
        return new PipelineException(line > 0 ? file + ":" + line + ": " + message : file + ": " + message);
    }
}
