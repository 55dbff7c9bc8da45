package dev.herald.launcher.admin;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-second rates over the last minutes, for the status page's charts: every
 * {@value #INTERVAL_SECONDS} s it reads the destinations' delivered counts and the sources'
 * accepted and rejected counts (the same JSON the admin API serves) and keeps the last
 * {@value #SAMPLES} rates of each. Bounded; used on the admin verticle's event loop only.
 */
final class RateHistory {

  static final int INTERVAL_SECONDS = 5;
  static final int SAMPLES = 36; // three minutes

  private final Map<String, Series> series = new LinkedHashMap<>();

  /** Samples every interval on the caller's context (the timer ends with the admin verticle). */
  static RateHistory start(Vertx vertx, AdminBackend backend) {
    RateHistory history = new RateHistory();
    vertx.setPeriodic(1, INTERVAL_SECONDS * 1000L, t -> history.sample(backend));
    return history;
  }

  private void sample(AdminBackend backend) {
    long now = System.nanoTime();
    backend.destinations().onSuccess(all -> {
      for (Object d : all) {
        JsonObject j = (JsonObject) d;
        add("destination:" + j.getString("id") + ":delivered", now, j.getLong("delivered", 0L));
      }
    });
    for (Object s : backend.ingest().getJsonArray("sources")) {
      JsonObject j = (JsonObject) s;
      add("source:" + j.getString("id") + ":accepted", now, j.getLong("accepted", 0L));
      add("source:" + j.getString("id") + ":rejected", now, j.getLong("rejected", 0L));
    }
  }

  private void add(String key, long nanos, long count) {
    series.computeIfAbsent(key, k -> new Series()).add(nanos, count);
  }

  /** {@code {"intervalSeconds", "rates": {"destination:ID:delivered": [per-second rates, oldest first], …}}} */
  JsonObject toJson() {
    JsonObject rates = new JsonObject();
    series.forEach((key, s) -> rates.put(key, new JsonArray(s.rates.stream().map(r -> (Object) r).toList())));
    return new JsonObject().put("intervalSeconds", INTERVAL_SECONDS).put("rates", rates);
  }

  private static final class Series {
    final Deque<Double> rates = new ArrayDeque<>();
    long lastNanos = -1;
    long lastCount;

    void add(long nanos, long count) {
      if (lastNanos >= 0 && nanos > lastNanos) {
        double rate = Math.max(0, count - lastCount) * 1e9 / (nanos - lastNanos);
        rates.addLast(Math.round(rate * 10) / 10.0);
        if (rates.size() > SAMPLES) rates.removeFirst();
      }
      lastNanos = nanos;
      lastCount = count;
    }
  }
}
