package dev.herald.destination.segment;

import dev.herald.destination.testkit.ConfigDocs;
import org.junit.jupiter.api.Test;

/** The README's segment config table is generated from the spec; this fails, printing the table, when they differ. */
class ConfigDocsTest {

  @Test
  void theReadmesConfigTableIsTheSpecs() {
    ConfigDocs.assertDocumented(ConfigDocs.readme(), "segment", new SegmentDestinationFactory().configSpec());
  }
}
