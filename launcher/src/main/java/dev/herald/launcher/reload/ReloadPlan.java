package dev.herald.launcher.reload;

import dev.herald.ingest.SourceOptions;
import dev.herald.launcher.config.DestinationConfig;
import dev.herald.launcher.config.HeraldConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a config reload changes, from the running config and the new one: destinations and
 * sources added, removed, changed and unchanged (by id), and the settings that only a restart
 * can change. Pure: no I/O.
 *
 * @param restartRequired settings that differ but cannot change while Herald runs, as config paths
 */
public record ReloadPlan(List<String> added, List<String> removed, List<String> changed, List<String> unchanged,
    List<String> sourcesAdded, List<String> sourcesRemoved, List<String> sourcesChanged,
    List<String> restartRequired) {

  public static ReloadPlan of(HeraldConfig running, HeraldConfig next) {
    Map<String, DestinationConfig> before = byId(running.destinations());
    Map<String, DestinationConfig> after = byId(next.destinations());
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    after.forEach((id, d) -> {
      DestinationConfig old = before.get(id);
      if (old == null) added.add(id);
      else if (old.runsLike(d)) unchanged.add(id);
      else changed.add(id);
    });
    List<String> removed = before.keySet().stream().filter(id -> !after.containsKey(id)).toList();

    Map<String, SourceOptions> sourcesBefore = new LinkedHashMap<>();
    running.sources().forEach(s -> sourcesBefore.put(s.id(), s));
    List<String> sourcesAdded = new ArrayList<>();
    List<String> sourcesChanged = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (SourceOptions s : next.sources()) {
      seen.add(s.id());
      SourceOptions old = sourcesBefore.get(s.id());
      if (old == null) sourcesAdded.add(s.id());
      else if (!old.equals(s)) sourcesChanged.add(s.id());
    }
    List<String> sourcesRemoved = sourcesBefore.keySet().stream().filter(id -> !seen.contains(id)).toList();
    return new ReloadPlan(added, removed, changed, unchanged, sourcesAdded, sourcesRemoved, sourcesChanged,
        restartRequired(running, next));
  }

  /** Whether the reload can be applied (nothing waits for a restart). */
  public boolean applicable() {
    return restartRequired.isEmpty();
  }

  /**
   * The settings read once at start: the ingest listener and its limits, the admin API, the log,
   * the plugins folder and dead-letter retention.
   */
  static List<String> restartRequired(HeraldConfig a, HeraldConfig b) {
    List<String> out = new ArrayList<>();
    differs(out, "server.host", a.server().host(), b.server().host());
    differs(out, "server.port", a.server().port(), b.server().port());
    differs(out, "server.trustProxy", a.server().trustProxy(), b.server().trustProxy());
    differs(out, "server.corsOrigins", a.server().corsOrigins(), b.server().corsOrigins());
    differs(out, "server.tls", a.server().tls(), b.server().tls());
    differs(out, "server.requestReadTimeout", a.server().requestReadTimeout(), b.server().requestReadTimeout());
    differs(out, "admin", a.admin(), b.admin());
    differs(out, "ingest", a.ingest(), b.ingest());
    differs(out, "log.type", a.log().type(), b.log().type());
    differs(out, "log.dir", a.log().dir(), b.log().dir());
    if (a.log().type() == b.log().type() && Objects.equals(a.log().dir(), b.log().dir())) {
      differs(out, "log", a.log(), b.log());
    }
    differs(out, "plugins.dir", a.plugins(), b.plugins());
    differs(out, "deadLetters", a.deadLetters(), b.deadLetters());
    return out;
  }

  private static void differs(List<String> out, String path, Object a, Object b) {
    if (!Objects.equals(a, b)) out.add(path);
  }

  private static Map<String, DestinationConfig> byId(List<DestinationConfig> destinations) {
    Map<String, DestinationConfig> out = new LinkedHashMap<>();
    destinations.forEach(d -> out.put(d.id(), d));
    return out;
  }
}
