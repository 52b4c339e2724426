package io.cdcmesh.connectors.forward;

import io.cdcmesh.common.Versions;

/** cdc-mesh's own version, from a Maven-filtered resource. */
public final class Version {
    public static final String VERSION = Versions.of(Version.class);

    private Version() {}
}
