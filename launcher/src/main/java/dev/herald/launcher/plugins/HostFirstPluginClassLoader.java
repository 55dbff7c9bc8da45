package dev.herald.launcher.plugins;

import java.util.List;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin class loader that always takes the host's shared libraries from the parent, so a
 * plugin that bundles its own copy by mistake still sees the one {@code Vertx},
 * {@code JsonObject} or {@code DestinationFactory} class Herald uses (otherwise: a
 * ClassCastException or two Netty event loops).
 */
public class HostFirstPluginClassLoader extends PluginClassLoader {

  /** Package prefixes always loaded by the parent class loader. */
  public static final List<String> HOST_PACKAGES = List.of(
      "io.vertx.", "io.netty.", "com.fasterxml.jackson.", "org.slf4j.", "dev.herald.destination.api.");

  public HostFirstPluginClassLoader(PluginManager pluginManager, PluginDescriptor descriptor, ClassLoader parent) {
    super(pluginManager, descriptor, parent);
  }

  @Override
  protected boolean shouldDelegateToParent(String className) {
    if (super.shouldDelegateToParent(className)) return true;
    for (String prefix : HOST_PACKAGES) {
      if (className.startsWith(prefix)) return true;
    }
    return false;
  }
}
