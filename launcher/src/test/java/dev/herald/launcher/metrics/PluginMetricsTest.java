package dev.herald.launcher.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.DestinationMetrics;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A plugin's own meters: named after its type, tagged with the destination, gone with it. */
class PluginMetricsTest {

  private final HeraldMetrics metrics = new HeraldMetrics(HeraldMetrics.newRegistry());

  @Test
  void aPluginsCounterAndGaugeAreExportedUnderItsTypeTaggedWithTheDestination() {
    PluginMetrics plugin = new PluginMetrics(metrics, "crm-eu", "my-crm");
    DestinationMetrics.Counter throttled = plugin.counter("throttled_users", "reason", "quota");
    throttled.increment();
    throttled.increment(2);
    AtomicInteger queue = new AtomicInteger(7);
    plugin.gauge("queue_size", queue::get);

    String text = metrics.registry().scrape();
    assertTrue(text.contains("herald_plugin_my_crm_throttled_users_total{destination=\"crm-eu\",reason=\"quota\"} 3.0"),
        text);
    assertTrue(text.contains("herald_plugin_my_crm_queue_size{destination=\"crm-eu\"} 7.0"), text);

    plugin.close();
    assertFalse(metrics.registry().scrape().contains("herald_plugin_my_crm"), "removed with the destination");
    metrics.close();
  }

  @Test
  void badNamesAndOddTagListsFailAtOnce() {
    PluginMetrics plugin = new PluginMetrics(metrics, "d", "t");
    assertThrows(IllegalArgumentException.class, () -> plugin.counter("Bad-Name"));
    assertThrows(IllegalArgumentException.class, () -> plugin.counter("ok", "key-without-value"));
    assertEquals(DestinationMetrics.Counter.NONE, DestinationMetrics.NONE.counter("anything"));
    metrics.close();
  }
}
