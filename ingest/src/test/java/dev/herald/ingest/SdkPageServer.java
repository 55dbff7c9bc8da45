package dev.herald.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Serves the browser SDKs' test pages and the SDKs' own dist bundles from the installed npm
 * packages (no CDN: the browser reaches nothing but 127.0.0.1), on an origin of its own, so the
 * SDKs talk to Herald cross-origin as they do on a real site. {@code /calls.json} is what the
 * page's SDK is to send.
 */
final class SdkPageServer implements AutoCloseable {

  private final HttpServer server;
  private final List<Path> roots;
  private volatile String calls = "[]";

  /** @param dir the matrix's directory: pages/ and node_modules/ under it */
  SdkPageServer(Path dir) throws IOException {
    // Pages first; then node_modules (the script tags); then analytics-next's lazily loaded chunks,
    // which its UMD bundle requests relative to the page.
    roots = List.of(dir.resolve("pages"), dir, dir.resolve("node_modules/@segment/analytics-next/dist/umd"));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/", this::serve);
    server.start();
  }

  /** The page origin, e.g. {@code http://127.0.0.1:41234}. */
  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void calls(String json) {
    calls = json;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/calls.json")) {
        send(exchange, 200, "application/json", calls.getBytes(StandardCharsets.UTF_8));
        return;
      }
      for (Path root : roots) {
        Path file = root.resolve(path.substring(1)).normalize();
        if (file.startsWith(root) && Files.isRegularFile(file)) {
          send(exchange, 200, contentType(path), Files.readAllBytes(file));
          return;
        }
      }
      send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String contentType(String path) {
    if (path.endsWith(".html")) return "text/html; charset=utf-8";
    if (path.endsWith(".js") || path.endsWith(".cjs") || path.endsWith(".mjs")) return "text/javascript; charset=utf-8";
    if (path.endsWith(".json") || path.endsWith(".map")) return "application/json";
    return "application/octet-stream";
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
