package dev.herald.launcher.plugins;

import dev.herald.launcher.HeraldVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PF4J over Herald's plugins folder: JAR plugins (and exploded plugin folders) loaded through
 * {@link HostFirstPluginClassLoader}, with the system version set so that a plugin's
 * {@code Plugin-Requires} is checked against this Herald. Blocking: use it off the event loop.
 */
public class HeraldPluginManager extends DefaultPluginManager {

  private static final Logger LOG = LoggerFactory.getLogger(HeraldPluginManager.class);

  public HeraldPluginManager(Path pluginsDir) {
    this(pluginsDir, HeraldVersion.pluginSystemVersion());
  }

  public HeraldPluginManager(Path pluginsDir, String systemVersion) {
    super(pluginsDir);
    setSystemVersion(systemVersion);
  }

  private final List<String> loadFailures = new ArrayList<>();

  /** Plugin files PF4J could not load (PF4J itself only logs them), each with the reason. */
  public List<String> loadFailures() {
    return List.copyOf(loadFailures);
  }

  /** The plugin files and folders in the plugins folder now. */
  public List<Path> pluginPaths() {
    return pluginRepository.getPluginPaths();
  }

  @Override
  protected PluginWrapper loadPluginFromPath(Path pluginPath) {
    try {
      return super.loadPluginFromPath(pluginPath);
    } catch (RuntimeException e) {
      if (Files.isDirectory(pluginPath) && !Files.exists(pluginPath.resolve("plugin.properties"))) {
        LOG.warn("Ignoring folder {} in the plugins folder: not a plugin ({})", pluginPath.getFileName(), e.getMessage());
        throw e;
      }
      loadFailures.add(pluginPath.getFileName() + " cannot be loaded: " + e.getMessage());
      throw e;
    }
  }

  @Override
  protected PluginLoader createPluginLoader() {
    ClassLoader host = HeraldPluginManager.class.getClassLoader();
    return new CompoundPluginLoader()
        .add(new JarPluginLoader(this) {
          @Override
          protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
            return new HostFirstPluginClassLoader(pluginManager, descriptor, host);
          }
        })
        .add(new DefaultPluginLoader(this) {
          @Override
          protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
            return new HostFirstPluginClassLoader(pluginManager, descriptor, host);
          }
        });
  }
}
