package dev.herald.destination.file;

import dev.herald.destination.testkit.ConfigDocs;
import org.junit.jupiter.api.Test;

/** The README's file config table is generated from the spec; this fails, printing the table, when they differ. */
class ConfigDocsTest {

  @Test
  void theReadmesConfigTableIsTheSpecs() {
    ConfigDocs.assertDocumented(ConfigDocs.readme(), "file", new FileDestinationFactory().configSpec());
  }
}
