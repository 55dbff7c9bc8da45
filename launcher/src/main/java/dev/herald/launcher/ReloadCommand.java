package dev.herald.launcher;

import dev.herald.launcher.config.Secrets;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code herald reload [--admin URL] [--token T]}: asks a running Herald to re-read its config
 * ({@code POST /admin/reload}) and prints the answer. The token may come from
 * {@code HERALD_ADMIN_TOKEN}. Exit status 0 when reloaded, 1 when refused, 2 for bad arguments.
 */
final class ReloadCommand {

  static final String USAGE = """
        java -jar herald.jar reload [--admin URL] [--token T]
            re-read the config of a running Herald (as SIGHUP does) and print what changed
            --admin URL (default http://127.0.0.1:8081) --token T (default: $HERALD_ADMIN_TOKEN)
      """;
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final PrintStream out;
  private final PrintStream err;
  private final Secrets secrets;

  ReloadCommand(PrintStream out, PrintStream err, Secrets secrets) {
    this.out = out;
    this.err = err;
    this.secrets = secrets;
  }

  int run(String[] args) {
    String admin = null;
    String token = null;
    for (int i = 0; i < args.length; i++) {
      if ((args[i].equals("--admin") || args[i].equals("--token")) && i + 1 < args.length) {
        if (args[i].equals("--admin")) admin = args[++i];
        else token = args[++i];
      } else {
        err.println("error: " + (args[i].startsWith("--") ? args[i] + " needs a value or is unknown" : "unknown argument '" + args[i] + "'"));
        err.print("Usage:\n" + USAGE);
        return 2;
      }
    }
    AdminEndpoint endpoint = AdminEndpoint.of(admin, token, secrets);
    HttpRequest.Builder request = endpoint.request("/admin/reload").timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.noBody());
    HttpResponse<String> response;
    try {
      response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build()
          .send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | IllegalArgumentException e) {
      err.println("error: cannot reach the admin API at " + admin + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    boolean ok = response.statusCode() == 200;
    String text;
    try {
      text = new JsonObject(response.body()).encodePrettily();
    } catch (DecodeException e) {
      text = response.body();
    }
    (ok ? out : err).println(ok ? text : "error: HTTP " + response.statusCode() + ": " + text);
    return ok ? 0 : 1;
  }
}
