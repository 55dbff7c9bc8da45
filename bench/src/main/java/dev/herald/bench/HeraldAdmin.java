package dev.herald.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Herald's admin API on 127.0.0.1 (no token: loopback): pause/resume a destination, heap from {@code /metrics}. */
final class HeraldAdmin {
  /** Heap figures from {@code jvm_memory_*_bytes{area="heap"}}, summed over the pools, in bytes. */
  record Heap(long used, long committed, long max) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  HeraldAdmin(int adminPort) {
    this.base = "http://127.0.0.1:" + adminPort;
  }

  void pause(String destination) throws IOException, InterruptedException {
    expect(post("/admin/destinations/" + destination + "/pause"), "\"paused\":true", destination);
  }

  void resume(String destination) throws IOException, InterruptedException {
    expect(post("/admin/destinations/" + destination + "/resume"), "\"paused\":false", destination);
  }

  Heap heap() throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IOException("GET /metrics answered " + r.statusCode());
    long used = 0;
    long committed = 0;
    long max = 0;
    for (String line : r.body().split("\n")) {
      if (!line.contains("area=\"heap\"")) continue;
      long value = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      if (line.startsWith("jvm_memory_used_bytes{")) used += value;
      else if (line.startsWith("jvm_memory_committed_bytes{")) committed += value;
      else if (line.startsWith("jvm_memory_max_bytes{") && value > 0) max += value; // -1: a pool without its own bound
    }
    return new Heap(used, committed, max);
  }

  private HttpResponse<String> post(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void expect(HttpResponse<String> r, String part, String destination) {
    if (r.statusCode() != 200 || !r.body().replace(" ", "").contains(part)) {
      throw new IllegalStateException("admin call for '" + destination + "' answered " + r.statusCode() + " " + r.body());
    }
  }
}
