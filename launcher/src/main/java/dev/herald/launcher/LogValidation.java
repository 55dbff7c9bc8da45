package dev.herald.launcher;

import dev.herald.bus.log.embedded.LogCheck;
import dev.herald.launcher.config.DestinationConfig;
import dev.herald.launcher.config.HeraldConfig;
import dev.herald.launcher.config.LogConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code validate}'s check of the embedded log a config points at (if it exists yet): every
 * segment's records and every cursor, read-only. Kafka logs are not checked here.
 */
final class LogValidation {

  private LogValidation() {}

  /** Prints what it finds; false when the log has damage or bad cursors. */
  static boolean check(HeraldConfig config, PrintStream out, PrintStream err) {
    if (config.log().type() != LogConfig.Type.EMBEDDED) {
      return true;
    }
    Path dir = config.log().dir();
    if (!Files.isDirectory(dir)) {
      return true; // a new log starts there
    }
    Set<String> ids = config.destinations().stream().map(DestinationConfig::id)
        .collect(Collectors.toSet());
    LogCheck.Report report;
    try {
      report = LogCheck.run(dir, ids);
    } catch (IOException e) {
      err.println("log: cannot read " + dir + ": " + e.getMessage());
      return false;
    }
    report.warnings().forEach(w -> out.println("warning: log: " + w));
    if (report.errors().isEmpty()) {
      out.println("log OK: " + dir + ", " + report.summary());
      return true;
    }
    err.println("log " + dir + " (" + report.summary() + ") has " + report.errors().size()
        + " problem(s):");
    report.errors().forEach(e -> err.println("  - " + e));
    return false;
  }
}
