package dev.herald.destination.amplitude;

import dev.herald.destination.testkit.ConfigDocs;
import org.junit.jupiter.api.Test;

/** The README's amplitude config table is generated from the spec; this fails, printing the table, when they differ. */
class ConfigDocsTest {

  @Test
  void theReadmesConfigTableIsTheSpecs() {
    ConfigDocs.assertDocumented(ConfigDocs.readme(), "amplitude", new AmplitudeDestinationFactory().configSpec());
  }
}
