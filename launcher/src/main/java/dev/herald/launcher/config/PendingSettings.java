package dev.herald.launcher.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Settings the config accepts (they are part of the documented format) but this version does
 * not enforce yet. Herald warns about each one set away from its default rather than ignore
 * it silently.
 */
public final class PendingSettings {

  private PendingSettings() {}

  /** One line per setting that has no effect yet, naming its path. */
  public static List<String> describe(HeraldConfig config) {
    // server.trustProxy, server.corsOrigins, ingest.dedupWindow, sources[].ipPolicy and
    // sources[].rateLimit are enforced by ingest now; nothing accepted is unenforced at present.
    List<String> out = new ArrayList<>();
    return out.stream().map(path -> path + ": accepted but not enforced by this version of Herald").toList();
  }
}
