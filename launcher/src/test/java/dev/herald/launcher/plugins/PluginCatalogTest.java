package dev.herald.launcher.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.DestinationFactory;
import dev.herald.launcher.config.ConfigProblem;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginClassLoader;

class PluginCatalogTest {

  @Test
  void pluginClassesComeFromThePluginButHostClassesFromTheParent(@TempDir Path dir) throws Exception {
    TestPlugins.build(dir, "acme", "acme", ">=0.1.0");
    try (PluginCatalog catalog = PluginCatalog.load(dir)) {
      assertEquals(List.of(), catalog.problems());
      PluginCatalog.Offer offer = catalog.offer("acme");
      assertNotNull(offer, "acme type not offered: " + catalog.offers());
      assertEquals("acme", offer.pluginId());
      ClassLoader pluginLoader = offer.factory().getClass().getClassLoader();
      assertInstanceOf(PluginClassLoader.class, pluginLoader);
      assertInstanceOf(HostFirstPluginClassLoader.class, pluginLoader);
      // The JAR bundles its own copies of these two; the host's must win.
      assertSame(Vertx.class, pluginLoader.loadClass("io.vertx.core.Vertx"));
      assertSame(DestinationFactory.class, pluginLoader.loadClass(DestinationFactory.class.getName()));
      assertEquals(List.of("'url' is required"), offer.factory().configSpec().validate(new io.vertx.core.json.JsonObject()));
    }
  }

  @Test
  void twoPluginsOfferingOneTypeIsAProblem(@TempDir Path dir) throws Exception {
    TestPlugins.build(dir, "acme-one", "acme", ">=0.1.0");
    TestPlugins.build(dir, "acme-two", "acme", ">=0.1.0");
    try (PluginCatalog catalog = PluginCatalog.load(dir)) {
      assertEquals(1, catalog.problems().size(), catalog.problems().toString());
      ConfigProblem p = catalog.problems().get(0);
      assertEquals("plugins", p.path());
      assertTrue(p.message().startsWith("destination type 'acme' is offered by two plugins"), p.message());
    }
  }

  @Test
  void aPluginRequiringANewerHeraldIsAProblem(@TempDir Path dir) throws Exception {
    TestPlugins.build(dir, "future", "future", ">=99.0.0");
    try (PluginCatalog catalog = PluginCatalog.load(dir)) {
      assertEquals(null, catalog.offer("future"));
      assertEquals(1, catalog.problems().size(), catalog.problems().toString());
      assertTrue(catalog.problems().get(0).message().contains("requires Herald >=99.0.0"), catalog.problems().toString());
    }
  }

  @Test
  void missingFolderOffersNothing(@TempDir Path dir) {
    try (PluginCatalog catalog = PluginCatalog.load(dir.resolve("absent"))) {
      assertTrue(catalog.offers().isEmpty());
      assertEquals(List.of(), catalog.problems());
    }
  }
}
