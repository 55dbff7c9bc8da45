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
    List<String> out = new ArrayList<>();
    if (config.server().trustProxy()) out.add("server.trustProxy");
    if (!config.server().corsOrigins().isEmpty()) out.add("server.corsOrigins");
    if (!config.ingest().dedupWindow().equals(IngestConfig.DEFAULT.dedupWindow())) out.add("ingest.dedupWindow");
    for (int i = 0; i < config.sources().size(); i++) {
      SourceConfig s = config.sources().get(i);
      if (s.ipPolicy() != SourceConfig.IpPolicy.KEEP) out.add("sources[" + i + "].ipPolicy");
      if (s.rateLimit() != null) out.add("sources[" + i + "].rateLimit");
    }
    return out.stream().map(path -> path + ": accepted but not enforced by this version of Herald").toList();
  }
}
