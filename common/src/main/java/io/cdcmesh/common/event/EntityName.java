package io.cdcmesh.common.event;

/**
 * An event's {@code entity} split into database and table at its first dot, the one way every sink splits it:
 * {@code shop.orders} is db {@code shop}, table {@code orders}; {@code orders} (no dot) is db {@code ""}, table
 * {@code orders}; a table name may itself hold dots ({@code shop.a.b} is table {@code a.b}).
 */
public record EntityName(String db, String table) {
    public static EntityName of(String entity) {
        int dot = entity.indexOf('.');
        return dot < 0 ? new EntityName("", entity) : new EntityName(entity.substring(0, dot), entity.substring(dot + 1));
    }
}
