package io.cdcmesh.transforms;

import org.apache.kafka.connect.errors.DataException;

/**
 * A change that cannot be given a position in the source's commit order: the source's coordinates are missing or
 * out of range, or the connector is set up so that positions would collide. This is never one bad row but a source
 * or config that cannot work, so it stops the task with the cause and the fix instead of going to a dead-letter topic:
 * every later change would be as unorderable.
 */
public class UnorderableChangeException extends DataException {
    public UnorderableChangeException(String message) {
        super(message);
    }
}
