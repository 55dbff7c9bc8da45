package dev.herald.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.herald.destination.api.DestinationFactory;
import dev.herald.launcher.plugins.PluginCatalog;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginClassLoader;

/** The plugin JARs Herald's build produces load as isolated PF4J plugins sharing the host's API classes. */
class BuiltInPluginsTest {

  @Test
  void builtInPluginsLoadThroughPf4jWithHostClassesFromTheParent(@TempDir Path dir) throws Exception {
    PluginJars.copyInto(dir);
    try (PluginCatalog catalog = PluginCatalog.load(dir)) {
      assertEquals(List.of(), catalog.problems());
      for (String type : List.of("http", "file")) {
        PluginCatalog.Offer offer = catalog.offer(type);
        assertNotNull(offer, type + " not offered: " + catalog.offers().keySet());
        ClassLoader loader = offer.factory().getClass().getClassLoader();
        assertInstanceOf(PluginClassLoader.class, loader);
        assertSame(DestinationFactory.class, loader.loadClass(DestinationFactory.class.getName()));
        assertSame(Vertx.class, loader.loadClass("io.vertx.core.Vertx"));
      }
    }
  }
}
