package dev.herald.destination.http;

import dev.herald.destination.testkit.ConfigDocs;
import org.junit.jupiter.api.Test;

/** The README's http config table is generated from the spec; this fails, printing the table, when they differ. */
class ConfigDocsTest {

  @Test
  void theReadmesConfigTableIsTheSpecs() {
    ConfigDocs.assertDocumented(ConfigDocs.readme(), "http", new HttpDestinationFactory().configSpec());
  }
}
