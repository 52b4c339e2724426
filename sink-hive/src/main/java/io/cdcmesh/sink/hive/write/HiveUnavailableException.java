package io.cdcmesh.sink.hive.write;

/** HiveServer2 or the file system could not be reached or timed out: the write may succeed if tried again. */
public final class HiveUnavailableException extends RuntimeException {
    public HiveUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
