package dev.herald.launcher.plugins;

import dev.herald.destination.api.DestinationFactory;
import dev.herald.launcher.config.ConfigProblem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The destination types the plugins folder offers. Loading reads JARs: call {@link #load}
 * off the event loop. A plugin that cannot load or start, and two plugins claiming one type,
 * are problems that fail start-up.
 */
public final class PluginCatalog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PluginCatalog.class);

  /** A factory and the plugin it came from. */
  public record Offer(String type, String pluginId, DestinationFactory factory) {}

  private final HeraldPluginManager manager;
  private final Path dir;
  private volatile Map<String, Offer> offers;
  private volatile List<ConfigProblem> problems;

  private PluginCatalog(HeraldPluginManager manager, Path dir, Map<String, Offer> offers, List<ConfigProblem> problems) {
    this.manager = manager;
    this.dir = dir;
    this.offers = Collections.unmodifiableMap(offers);
    this.problems = List.copyOf(problems);
  }

  /** Loads and starts every plugin in {@code dir} and collects their destination factories. Blocking. */
  public static PluginCatalog load(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    HeraldPluginManager manager = new HeraldPluginManager(absolute);
    List<ConfigProblem> problems = new ArrayList<>();
    Map<String, Offer> offers = new TreeMap<>();
    if (!Files.isDirectory(absolute)) {
      LOG.warn("Plugins folder {} does not exist: no destination types available", absolute);
      return new PluginCatalog(manager, absolute, offers, problems);
    }
    manager.loadPlugins();
    manager.startPlugins();
    manager.loadFailures().forEach(f -> problems.add(new ConfigProblem("plugins", f)));
    for (PluginWrapper plugin : manager.getPlugins()) {
      if (plugin.getPluginState() != PluginState.STARTED) {
        problems.add(new ConfigProblem("plugins", describeNotStarted(plugin, manager.getSystemVersion())));
        continue;
      }
      for (DestinationFactory factory : manager.getExtensions(DestinationFactory.class, plugin.getPluginId())) {
        collect(plugin.getPluginId(), factory, offers, problems);
      }
    }
    LOG.info("Plugins from {}: {}", absolute, offers.isEmpty() ? "none"
        : offers.values().stream().map(o -> o.type() + " (" + o.pluginId() + ")").toList());
    return new PluginCatalog(manager, absolute, offers, problems);
  }

  private static void collect(String pluginId, DestinationFactory factory, Map<String, Offer> offers,
      List<ConfigProblem> problems) {
    String type;
    try {
      type = factory.type();
    } catch (RuntimeException e) {
      problems.add(new ConfigProblem("plugins", "plugin '" + pluginId + "': type() failed: " + e));
      return;
    }
    Offer other = offers.putIfAbsent(type, new Offer(type, pluginId, factory));
    if (other != null) {
      problems.add(new ConfigProblem("plugins", "destination type '" + type + "' is offered by two plugins, '"
          + other.pluginId() + "' and '" + pluginId + "': remove one of them"));
    }
  }

  private static String describeNotStarted(PluginWrapper plugin, String systemVersion) {
    String requires = plugin.getDescriptor().getRequires();
    String base = "plugin '" + plugin.getPluginId() + "' (" + plugin.getPluginPath().getFileName() + ") is "
        + plugin.getPluginState().toString().toLowerCase();
    if (requires != null && !requires.isBlank() && !"*".equals(requires.trim())
        && !plugin.getPluginManager().getVersionManager().checkVersionConstraint(systemVersion, requires)) {
      return base + ": it requires Herald " + requires + " and this is " + systemVersion;
    }
    Throwable failure = plugin.getFailedException();
    return failure == null ? base : base + ": " + failure;
  }

  /** What a {@link #refresh} did: the plugins it loaded, and the problems of those it could not. */
  public record Refresh(List<String> loaded, List<ConfigProblem> problems) {}

  /**
   * Loads and starts the plugin files added to the folder since the last load (a config reload);
   * their types join the offer. Afterwards {@link #problems} lists only this refresh's problems.
   * Blocking.
   */
  public synchronized Refresh refresh() {
    List<ConfigProblem> found = new ArrayList<>();
    List<String> loaded = new ArrayList<>();
    Map<String, Offer> next = new TreeMap<>(offers);
    if (Files.isDirectory(dir)) {
      java.util.Set<Path> known = new java.util.HashSet<>();
      manager.getPlugins().forEach(p -> known.add(p.getPluginPath().toAbsolutePath().normalize()));
      for (Path path : manager.pluginPaths()) {
        if (known.contains(path.toAbsolutePath().normalize())) continue;
        String id;
        try {
          id = manager.loadPlugin(path);
          manager.startPlugin(id);
        } catch (RuntimeException e) {
          found.add(new ConfigProblem("plugins", path.getFileName() + " cannot be loaded: " + e.getMessage()));
          continue;
        }
        PluginWrapper plugin = manager.getPlugin(id);
        if (plugin.getPluginState() != PluginState.STARTED) {
          found.add(new ConfigProblem("plugins", describeNotStarted(plugin, manager.getSystemVersion())));
          manager.unloadPlugin(id);
          continue;
        }
        int before = found.size();
        Map<String, Offer> mine = new TreeMap<>(next);
        for (DestinationFactory factory : manager.getExtensions(DestinationFactory.class, id)) {
          collect(id, factory, mine, found);
        }
        if (found.size() > before) {
          manager.unloadPlugin(id);
          continue;
        }
        next = mine;
        loaded.add(id);
      }
    }
    if (!loaded.isEmpty()) LOG.info("Plugins loaded from {}: {}", dir, loaded);
    offers = Collections.unmodifiableMap(next);
    problems = List.copyOf(found);
    return new Refresh(List.copyOf(loaded), List.copyOf(found));
  }

  /**
   * Unloads every plugin whose file has left the folder and none of whose types is in
   * {@code typesInUse}; a plugin in use is never unloaded. Blocking.
   *
   * @return the ids of the plugins unloaded
   */
  public synchronized List<String> unloadRemoved(java.util.Set<String> typesInUse) {
    List<String> unloaded = new ArrayList<>();
    Map<String, Offer> next = new TreeMap<>(offers);
    for (PluginWrapper plugin : List.copyOf(manager.getPlugins())) {
      String id = plugin.getPluginId();
      boolean used = next.values().stream().anyMatch(o -> o.pluginId().equals(id) && typesInUse.contains(o.type()));
      if (used || Files.exists(plugin.getPluginPath())) continue;
      next.values().removeIf(o -> o.pluginId().equals(id));
      if (manager.unloadPlugin(id)) unloaded.add(id);
    }
    if (!unloaded.isEmpty()) LOG.info("Plugins unloaded (their files left {}): {}", dir, unloaded);
    offers = Collections.unmodifiableMap(next);
    return unloaded;
  }

  /** The factory of a destination type, or null. */
  public Offer offer(String type) {
    return offers.get(type);
  }

  /** Every type on offer, sorted. */
  public Map<String, Offer> offers() {
    return offers;
  }

  /**
   * Each plugin found: id, version, state (started, failed, disabled…) and the destination types it
   * provides, for {@code GET /admin/plugins}. Reads PF4J's in-memory view only.
   */
  public JsonArray describe() {
    JsonArray out = new JsonArray();
    for (PluginWrapper plugin : manager.getPlugins()) {
      JsonArray types = new JsonArray();
      offers.values().stream().filter(o -> o.pluginId().equals(plugin.getPluginId())).forEach(o -> types.add(o.type()));
      out.add(new JsonObject()
          .put("id", plugin.getPluginId())
          .put("version", plugin.getDescriptor().getVersion())
          .put("state", plugin.getPluginState().toString().toLowerCase(java.util.Locale.ROOT))
          .put("file", plugin.getPluginPath().getFileName().toString())
          .put("types", types));
    }
    return out;
  }

  /** Problems found while loading (failed plugins, duplicate types). */
  public List<ConfigProblem> problems() {
    return problems;
  }

  public Path dir() {
    return dir;
  }

  public HeraldPluginManager manager() {
    return manager;
  }

  /** Stops and unloads every plugin. Blocking. */
  @Override
  public void close() {
    // unloadPlugins() stops each plugin first; stopPlugins() trips over its own list in PF4J 3.15
    manager.unloadPlugins();
  }
}
