package io.cdcmesh.sink.elasticsearch.bulk;

import io.cdcmesh.common.sink.AckTracker;
import io.cdcmesh.sink.elasticsearch.request.ChangeAction;

/** One action on its way to Elasticsearch, with the acknowledgement it completes. */
record BulkItem(ChangeAction action, AckTracker.Entry entry) {}
