package dev.herald.launcher;

import dev.herald.launcher.config.Secrets;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code herald dead-letters list|replay|purge --destination ID [filters] [--admin URL] [--token T]}:
 * a client of a running Herald's admin API. The token may come from {@code HERALD_ADMIN_TOKEN}.
 * Prints the API's JSON answer; a replay waits until it is done (unless {@code --no-wait}) and prints
 * its counts. Exit status 0 on success, 1 when the API refused, 2 for bad arguments.
 */
final class DeadLettersCommand {

  static final String USAGE = """
        java -jar herald.jar dead-letters list|replay|purge --destination ID [options]
            filters: --since ISO-INSTANT --until ISO-INSTANT --reason TEXT --status HTTP-STATUS
                     --message-id ID --state new|replayed|failed
            list:    --limit N --offset N
            replay:  --rate N (events/s, default 100) --dry-run --force --limit N --no-wait
            purge:   --all (when no filter is given)
            --admin URL (default http://127.0.0.1:8081) --token T (default: $HERALD_ADMIN_TOKEN)
      """;
  private static final Map<String, String> FILTERS = Map.of("--since", "since", "--until", "until",
      "--reason", "reason", "--status", "status", "--message-id", "messageId", "--state", "state");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final PrintStream out;
  private final PrintStream err;
  private final Secrets secrets;

  DeadLettersCommand(PrintStream out, PrintStream err, Secrets secrets) {
    this.out = out;
    this.err = err;
    this.secrets = secrets;
  }

  int run(String[] args) {
    String action = args.length > 0 ? args[0] : null;
    Map<String, String> filters = new LinkedHashMap<>();
    Map<String, String> options = new LinkedHashMap<>();
    List<String> flags = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (List.of("--dry-run", "--force", "--all", "--no-wait").contains(a)) {
        flags.add(a);
      } else if (FILTERS.containsKey(a) || List.of("--destination", "--limit", "--offset", "--rate", "--admin", "--token").contains(a)) {
        if (i + 1 >= args.length) {
          errors.add(a + " needs a value");
        } else if (FILTERS.containsKey(a)) {
          filters.put(FILTERS.get(a), args[++i]);
        } else {
          options.put(a, args[++i]);
        }
      } else {
        errors.add("unknown argument '" + a + "'");
      }
    }
    if (!List.of("list", "replay", "purge").contains(String.valueOf(action))) errors.add("say list, replay or purge");
    if (options.get("--destination") == null) errors.add("--destination ID is required");
    if (!errors.isEmpty()) {
      errors.forEach(e -> err.println("error: " + e));
      err.print("Usage:\n" + USAGE);
      return 2;
    }
    AdminEndpoint admin = AdminEndpoint.of(options.get("--admin"), options.get("--token"), secrets);
    String base = "/admin/destinations/" + encode(options.get("--destination")) + "/dead-letters";
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    try {
      return switch (action) {
        case "list" -> {
          if (options.containsKey("--limit")) filters.put("limit", options.get("--limit"));
          if (options.containsKey("--offset")) filters.put("offset", options.get("--offset"));
          yield print(call(http, admin, "GET", base + query(filters), null));
        }
        case "purge" -> {
          if (flags.contains("--all")) filters.put("all", "true");
          yield print(call(http, admin, "DELETE", base + query(filters), null));
        }
        default -> replay(http, admin, base, filters, options, flags);
      };
    } catch (IOException e) {
      err.println("error: cannot reach the admin API at " + admin.base() + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private int replay(HttpClient http, AdminEndpoint admin, String base, Map<String, String> filters,
      Map<String, String> options, List<String> flags) throws IOException, InterruptedException {
    JsonObject body = new JsonObject();
    filters.forEach((k, v) -> body.put(k, k.equals("status") ? (Object) parseOrText(v) : v));
    if (options.containsKey("--rate")) body.put("ratePerSecond", parseOrText(options.get("--rate")));
    if (options.containsKey("--limit")) body.put("limit", parseOrText(options.get("--limit")));
    if (flags.contains("--dry-run")) body.put("dryRun", true);
    if (flags.contains("--force")) body.put("force", true);
    HttpResponse<String> started = call(http, admin, "POST", base + "/replay", body.encode());
    if (started.statusCode() != 202 || flags.contains("--no-wait")) return print(started);
    String progress = "/admin/replays/" + encode(new JsonObject(started.body()).getString("replayId"));
    while (true) {
      HttpResponse<String> now = call(http, admin, "GET", progress, null);
      if (now.statusCode() != 200 || !"running".equals(new JsonObject(now.body()).getString("state"))) return print(now);
      Thread.sleep(500); // a person waits: polling the progress twice a second is plenty
    }
  }

  private static Object parseOrText(String v) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return v; // the API names the problem
    }
  }

  private HttpResponse<String> call(HttpClient http, AdminEndpoint admin, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = admin.request(path).timeout(TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) request.header("Content-Type", "application/json");
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private int print(HttpResponse<String> response) {
    boolean ok = response.statusCode() / 100 == 2;
    String text;
    try {
      text = new JsonObject(response.body()).encodePrettily();
    } catch (DecodeException e) {
      text = response.body();
    }
    (ok ? out : err).println(ok ? text : "error: HTTP " + response.statusCode() + ": " + text);
    return ok ? 0 : 1;
  }

  private static String query(Map<String, String> params) {
    if (params.isEmpty()) return "";
    StringBuilder q = new StringBuilder("?");
    params.forEach((k, v) -> q.append(q.length() > 1 ? "&" : "").append(k).append('=').append(encode(v)));
    return q.toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
