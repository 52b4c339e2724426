package io.cdcmesh.transforms;

import io.cdcmesh.testkit.ConfigDocs;
import io.cdcmesh.transforms.predicates.ChangeTypeIs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** CONFIG.md is generated from the ConfigDefs; this fails when it is out of date. */
class ConfigReferenceTest {
    @Test
    void configReferenceMatchesTheConfigDefs() {
        new ConfigDocs("cdc-mesh transforms: configuration reference",
                "Every key of every transform and predicate in this plugin, with its type, default and allowed values.")
                .section("NormalizeChangeEvent", NormalizeChangeEvent.class.getName(), NormalizeChangeEvent.OVERVIEW_DOC,
                        NormalizeChangeEvent.CONFIG_DEF)
                .section("FilterChangeEvent", FilterChangeEvent.class.getName(), FilterChangeEvent.OVERVIEW_DOC,
                        FilterChangeEvent.CONFIG_DEF)
                .section("DropDuplicates", DropDuplicates.class.getName(), DropDuplicates.OVERVIEW_DOC,
                        DropDuplicates.CONFIG_DEF)
                .section("ChangeTypeIs (predicate)", ChangeTypeIs.class.getName(), ChangeTypeIs.OVERVIEW_DOC,
                        ChangeTypeIs.CONFIG_DEF)
                .checkOrUpdate(Path.of("CONFIG.md"));
    }
}
