package io.cdcmesh.sink.hive.write;

/** HiveServer2 or the file system did not complete a step (unreachable, timed out, contended): it is tried again. */
public final class HiveUnavailableException extends RuntimeException {
    public HiveUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
