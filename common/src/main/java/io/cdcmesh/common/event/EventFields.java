package io.cdcmesh.common.event;

/**
 * Field and header names of cdc-mesh's normalized change event, written by {@code NormalizeChangeEvent} and read by
 * every sink: one list, so that a renamed field can't be missed in one place.
 */
public final class EventFields {
    public static final String UUID = "uuid";
    public static final String TYPE = "type";
    public static final String TS = "ts";
    public static final String ENTITY = "entity";
    public static final String ID = "id";
    public static final String POSITION = "position";
    /** The change's place within its position (docs/positions.md); optional: events of older releases lack it. */
    public static final String ORDINAL = "ordinal";
    public static final String BEFORE = "before";
    public static final String AFTER = "after";

    public static final String HEADER_TYPE = "cdc.type";
    public static final String HEADER_UUID = "cdc.uuid";
    public static final String HEADER_POSITION = "cdc.position";

    private EventFields() {}
}
