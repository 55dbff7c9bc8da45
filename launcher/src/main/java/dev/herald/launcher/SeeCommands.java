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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code herald trace ID} and {@code herald tap [filters]}: clients of a running Herald's admin API
 * (token from {@code --token} or {@code HERALD_ADMIN_TOKEN}). The trace prints where the event is,
 * per destination ({@code --json}: the API's answer); the tap prints each event as one JSON line
 * until interrupted or {@code --limit} events, and says on stderr when it dropped some.
 * Exit status 0 on success, 1 when the API refused or is unreachable, 2 for bad arguments.
 */
final class SeeCommands {

  static final String USAGE = """
        java -jar herald.jar trace MESSAGE-ID [--json] [--admin URL] [--token T]
            where an event is: accepted (when, source, topic, log position), then per destination
        java -jar herald.jar tap [--source ID] [--topic T] [--type TYPE] [--event GLOB] [--destination ID]
            [--sample 0.01] [--rate N] [--limit N] [--admin URL] [--token T]
            live accepted events, one JSON line each (with --destination: as its transforms shape them)
      """;
  private static final List<String> TAP_PARAMS = List.of("source", "topic", "type", "event", "destination", "sample", "rate");
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final PrintStream out;
  private final PrintStream err;
  private final Secrets secrets;

  SeeCommands(PrintStream out, PrintStream err, Secrets secrets) {
    this.out = out;
    this.err = err;
    this.secrets = secrets;
  }

  int trace(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    String id = null;
    boolean json = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--json")) json = true;
      else if (List.of("--admin", "--token").contains(args[i]) && i + 1 < args.length) options.put(args[i], args[++i]);
      else if (!args[i].startsWith("--") && id == null) id = args[i];
      else return usage("unknown or incomplete argument '" + args[i] + "'");
    }
    if (id == null) return usage("give the messageId to trace");
    try {
      HttpResponse<String> answer = client().send(request(options, "/admin/trace/" + encode(id)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) return refused(answer.statusCode(), answer.body());
      JsonObject trace = new JsonObject(answer.body());
      out.println(json ? trace.encodePrettily() : TraceText.of(trace));
      return 0;
    } catch (IOException | DecodeException e) {
      err.println("error: cannot reach the admin API at " + admin(options) + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  int tap(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    StringBuilder query = new StringBuilder();
    long limit = Long.MAX_VALUE;
    for (int i = 0; i < args.length; i++) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : "";
      if (i + 1 >= args.length) return usage("unknown or incomplete argument '" + args[i] + "'");
      String value = args[++i];
      if (TAP_PARAMS.contains(name)) query.append(query.length() == 0 ? "?" : "&").append(name).append('=').append(encode(value));
      else if (name.equals("admin") || name.equals("token")) options.put("--" + name, value);
      else if (name.equals("limit") && value.matches("[1-9][0-9]{0,9}")) limit = Long.parseLong(value);
      else return usage("unknown argument '" + args[i - 1] + "' (or --limit is not a positive number)");
    }
    try {
      HttpResponse<Stream<String>> answer = client().send(request(options, "/admin/tap" + query).build(),
          HttpResponse.BodyHandlers.ofLines());
      if (answer.statusCode() != 200) {
        return refused(answer.statusCode(), String.join("\n", answer.body().toList()));
      }
      try (Stream<String> lines = answer.body()) {
        String event = null;
        long shown = 0;
        for (Iterator<String> it = lines.iterator(); it.hasNext() && shown < limit; ) {
          String line = it.next();
          if (line.startsWith("event: ")) event = line.substring(7);
          else if (line.startsWith("data: ") && "dropped".equals(event)) {
            err.println("# the tap dropped " + new JsonObject(line.substring(6)).getLong("dropped")
                + " events (rate bound or a slow reader; the log has them)");
          } else if (line.startsWith("data: ")) {
            out.println(line.substring(6));
            shown++;
          }
        }
      }
      return 0;
    } catch (IOException | DecodeException e) {
      err.println("error: the tap at " + admin(options) + " failed: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private int usage(String problem) {
    err.println("error: " + problem);
    err.print("Usage:\n" + USAGE);
    return 2;
  }

  private int refused(int status, String body) {
    String text;
    try {
      text = new JsonObject(body).getString("message", body);
    } catch (DecodeException e) {
      text = body;
    }
    err.println("error: HTTP " + status + ": " + text);
    return 1;
  }

  private static HttpClient client() {
    return HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  private HttpRequest.Builder request(Map<String, String> options, String path) {
    return endpoint(options).request(path).GET();
  }

  private AdminEndpoint endpoint(Map<String, String> options) {
    return AdminEndpoint.of(options.get("--admin"), options.get("--token"), secrets);
  }

  private String admin(Map<String, String> options) {
    return endpoint(options).base();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
