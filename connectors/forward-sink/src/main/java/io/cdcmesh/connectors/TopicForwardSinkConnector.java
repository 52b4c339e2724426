package io.cdcmesh.connectors;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forward sink under the name it had before it moved to its own package, so that configs written for it keep
 * working.
 *
 * @deprecated use {@link io.cdcmesh.connectors.forward.TopicForwardSinkConnector}; this name will go in a later release.
 */
@Deprecated
public class TopicForwardSinkConnector extends io.cdcmesh.connectors.forward.TopicForwardSinkConnector {
    private static final Logger LOG = LoggerFactory.getLogger(TopicForwardSinkConnector.class);

    @Override
    public void start(Map<String, String> props) {
        LOG.warn("connector.class io.cdcmesh.connectors.TopicForwardSinkConnector is deprecated: use"
                + " io.cdcmesh.connectors.forward.TopicForwardSinkConnector (same settings)");
        super.start(props);
    }
}
