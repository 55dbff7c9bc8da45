package dev.herald.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The latest figures of every scenario as one Markdown table with the issue's aims beside them:
 * reads the last line of each {@code bench/results/*.jsonl} (only lines written at or after
 * {@code since}, when given), prints the table and writes it to {@code bench/results/latest.md}.
 * Usage: {@code Summary [since (ISO-8601 instant)]}; bench/all.sh passes its start time.
 */
public final class Summary {
  private final List<String> rows = new ArrayList<>();
  private final List<String> sources = new ArrayList<>();
  private final List<Long> rss = new ArrayList<>();
  private final String since;
  private final Path results;

  private Summary(Path results, String since) {
    this.results = results;
    this.since = since;
  }

  public static void main(String[] args) throws IOException {
    Path root = Path.of(System.getProperty("herald.root", ".")).toAbsolutePath().normalize();
    Summary summary = new Summary(root.resolve("bench/results"), args.length > 0 ? args[0] : "");
    String markdown = summary.table(ResultsLog.header(root));
    Files.writeString(Files.createDirectories(root.resolve("bench/results")).resolve("latest.md"), markdown);
    System.out.println(markdown);
    System.out.println("(written to bench/results/latest.md)");
  }

  private String table(JsonObject now) throws IOException {
    ingest(latest("ingest"));
    kafka(latest("kafka"));
    drain(latest("drain"));
    latency(latest("latency"));
    long peak = rss.stream().mapToLong(Long::longValue).max().orElse(-1);
    rows.add(row("peak RSS of Herald's process tree, any scenario", peak < 0 ? null : peak + " MB", "", "",
        "≤ 512 MB", peak < 0 ? null : peak <= 512));
    StringBuilder md = new StringBuilder();
    md.append("| scenario | Herald | yardstick, same run | ratio | aim | met |\n|---|---|---|---|---|---|\n");
    rows.forEach(r -> md.append(r).append('\n'));
    md.append("\nTable written ").append(now.getString("time")).append(" at commit ").append(now.getString("commit"))
        .append(" on ").append(now.getInteger("cpus")).append(" CPUs; from:\n");
    sources.forEach(s -> md.append("- ").append(s).append('\n'));
    return md.toString();
  }

  private void ingest(JsonObject line) {
    if (line == null) {
      rows.add(row("`/v1/batch`, `/v1/track`, gzip `/v1/batch` (bench/run.sh)", null, "", "", "", null));
      return;
    }
    source("bench/run.sh", line, line.getDouble("seconds") + " s per run, " + line.getInteger("connections") + " connections");
    rss.add(line.getLong("heraldPeakRssMb", -1L));
    for (Object o : line.getJsonArray("scenarios", new JsonArray())) {
      JsonObject s = (JsonObject) o;
      JsonObject herald = s.getJsonObject("herald");
      switch (s.getString("scenario")) {
        case "batch" -> {
          double ev = herald.getDouble("eventsPerSecond");
          double ratio = s.getDouble("ratioParseOnly");
          rows.add(row("`/v1/batch`, 100 events per request", events(ev),
              "parse-only " + events(s.getJsonObject("parseOnly").getDouble("eventsPerSecond")), fixed(ratio),
              "≥ 0.5× parse-only and ≥ 200,000 events/s", ratio >= 0.5 && ev >= 200_000));
        }
        case "gzip_batch" -> rows.add(row("gzip `/v1/batch`, 100 events per request",
            events(herald.getDouble("eventsPerSecond")),
            "parse-only " + events(s.getJsonObject("parseOnly").getDouble("eventsPerSecond")),
            fixed(s.getDouble("ratioParseOnly")), "(reported)", null));
        case "track" -> {
          double ratio = s.getDouble("ratioTrivial");
          rows.add(row("`/v1/track`, 1 event per request", requests(herald.getDouble("requestsPerSecond")),
              "trivial " + requests(s.getJsonObject("trivial").getDouble("requestsPerSecond")), fixed(ratio),
              "≥ 0.4× trivial", ratio >= 0.4));
        }
        default -> { }
      }
    }
  }

  private void kafka(JsonObject line) {
    if (line == null) {
      rows.add(row("Kafka mode `/v1/batch` (bench/kafka.sh)", null, "", "", "≥ 0.6× ProducerPerformance", null));
      return;
    }
    // One line holds every Herald run of bench/kafka.sh (ingest only and/or delivering) beside one PP run.
    double pp = line.getDouble("producerPerformanceRecordsPerSecond", 0.0);
    io.vertx.core.json.JsonArray runs = line.getJsonArray("herald", new io.vertx.core.json.JsonArray());
    source("bench/kafka.sh", line, line.getDouble("seconds") + " s, " + line.getString("compression"));
    for (int i = 0; i < runs.size(); i++) {
      JsonObject run = runs.getJsonObject(i);
      boolean deliver = run.getBoolean("deliver", true);
      rss.add(run.getLong("peakRssMb", -1L));
      double ratio = run.getDouble("ratioProducerPerformance", 0.0);
      rows.add(row("Kafka mode `/v1/batch`, " + (deliver ? "http destination delivering" : "ingest only"),
          events(run.getDouble("eventsPerSecond", 0.0)), "ProducerPerformance " + events(pp), fixed(ratio),
          "≥ 0.6× ProducerPerformance (ingest only)", deliver ? null : ratio >= 0.6));
    }
  }

  private void drain(JsonObject line) {
    if (line == null) {
      rows.add(row("backlog drain (bench/drain.sh)", null, "", "", "≥ 200,000 events/s to http and to Amplitude", null));
      return;
    }
    long n = line.getLong("events");
    source("bench/drain.sh", line, String.format(Locale.ROOT, "%,d events", n));
    rss.add(line.getLong("peakRssMb", -1L));
    JsonObject once = line.getJsonObject("exactlyOnce", new JsonObject());
    double http = line.getDouble("drainHttpEventsPerSecond", Double.NaN);
    double amp = line.getDouble("drainAmplitudeEventsPerSecond", Double.NaN);
    rows.add(row(String.format(Locale.ROOT, "backlog drain to http, %,d events", n), events(http), "", "",
        "≥ 200,000 events/s", http >= 200_000));
    rows.add(row(String.format(Locale.ROOT, "backlog drain to Amplitude, %,d events", n), events(amp), "", "",
        "≥ 200,000 events/s", amp >= 200_000));
    rows.add(row("heap with that backlog (live destination delivering)", line.getLong("peakHeapUsedMb")
        + " MB used at peak, " + line.getLong("peakHeapCommittedMb") + " MB committed, max " + line.getLong("heapMaxMb")
        + " MB", "", "", "bounded, default settings", null));
    rows.add(row("every event arrived exactly once (drain)", "live: " + once.getString("live") + "; http: "
        + once.getString("http") + "; Amplitude: " + once.getString("amplitude"), "", "", "exactly once",
        once.stream().allMatch(e -> "exactly once".equals(e.getValue()))));
  }

  private void latency(JsonObject line) {
    if (line == null) {
      rows.add(row("ingest→arrival at 50 % load (bench/latency.sh)", null, "", "", "p99 ≤ 50 ms", null));
      return;
    }
    source("bench/latency.sh", line, line.getDouble("seconds") + " s at "
        + events(line.getDouble("eventsPerSecond")));
    rss.add(line.getLong("peakRssMb", -1L));
    double p99 = line.getDouble("arrivalP99Ms");
    String overloaded = line.getString("overloaded");
    boolean clean = "exactly once".equals(line.getString("exactlyOnce")) && line.getLong("failed", 0L) == 0
        && overloaded == null;
    String figures = String.format(Locale.ROOT, "p50 %.1f / p99 %.1f / max %.1f ms", line.getDouble("arrivalP50Ms"),
        p99, line.getDouble("arrivalMaxMs"));
    if (!clean) {
      figures += " (" + (overloaded != null ? "overloaded: " + overloaded : line.getLong("failed", 0L)
          + " failed requests; " + line.getString("exactlyOnce")) + ")";
    }
    rows.add(row("ingest→arrival at 50 % of the `/v1/batch` maximum (" + events(line.getDouble("eventsPerSecond"))
        + ", open loop)", figures, "", "", "p99 ≤ 50 ms", clean ? p99 <= 50 : Boolean.FALSE));
  }

  /** The last line of {@code <name>.jsonl} written at or after {@link #since}, or null. */
  private JsonObject latest(String name) throws IOException {
    Path file = results.resolve(name + ".jsonl");
    if (!Files.exists(file)) return null;
    List<String> lines = Files.readAllLines(file);
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).isBlank()) continue;
      JsonObject line = new JsonObject(lines.get(i));
      return line.getString("time", "").compareTo(since) >= 0 ? line : null;
    }
    return null;
  }

  private void source(String command, JsonObject line, String settings) {
    sources.add("`" + command + "`: " + line.getString("time") + ", commit " + line.getString("commit") + ", "
        + line.getInteger("cpus") + " CPUs, " + settings);
  }

  private static String row(String scenario, String herald, String yardstick, String ratio, String aim, Boolean met) {
    return "| " + scenario + " | " + (herald == null ? "not measured" : herald) + " | " + yardstick + " | " + ratio
        + " | " + aim + " | " + (met == null ? "" : met ? "yes" : "**no**") + " |";
  }

  private static String events(double perSecond) {
    return Double.isNaN(perSecond) ? "not drained" : String.format(Locale.ROOT, "%,.0f events/s", perSecond);
  }

  private static String requests(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f req/s", perSecond);
  }

  private static String fixed(double ratio) {
    return String.format(Locale.ROOT, "%.2f", ratio);
  }
}
