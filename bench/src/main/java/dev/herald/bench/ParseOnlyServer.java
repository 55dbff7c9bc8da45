package dev.herald.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;

/**
 * The ceiling of {@code /v1/batch}: the {@link TrivialServer} plus what no ingest can skip, reading
 * the (inflated) body and walking every token of it with Jackson's streaming parser, the
 * {@code batch} items of a {@code /v1/batch} body and the whole of a {@code /v1/track} body. It
 * builds no tree, validates nothing and stores nothing; it answers 200 with a small JSON body, or
 * 400 when the body is not JSON. Run as a child JVM by the benchmark: {@code ParseOnlyServer <port>}.
 */
public final class ParseOnlyServer extends VerticleBase {

  private static final JsonFactory JSON = new JsonFactory();
  private final int port;
  private HttpServer server;

  ParseOnlyServer(int port) {
    this.port = port;
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    TrivialServer.deploy(() -> new ParseOnlyServer(port));
  }

  @Override
  public Future<?> start() {
    // Herald inflates gzip bodies before parsing them, so the ceiling does too.
    server = TrivialServer.server(vertx, port, true, ParseOnlyServer::handle);
    return server.listen();
  }

  private static void handle(RoutingContext ctx) {
    long events;
    try {
      events = countEvents(ctx.body().buffer());
    } catch (IOException | RuntimeException e) {
      ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end("{\"success\":false}");
      return;
    }
    ctx.response().putHeader("content-type", "application/json").end("{\"success\":true,\"events\":" + events + "}");
  }

  /** Walks every token; counts the items of a top-level {@code batch} array, or 1 for a single event. */
  static long countEvents(Buffer body) throws IOException {
    if (body == null) throw new IOException("empty body");
    byte[] bytes = body.getBytes();
    long events = 0;
    boolean sawBatch = false;
    try (JsonParser parser = JSON.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) throw new IOException("not an object");
      int depth = 1;
      boolean inBatch = false;
      while (depth > 0) {
        JsonToken token = parser.nextToken();
        if (token == null) throw new IOException("truncated");
        switch (token) {
          case FIELD_NAME -> {
            if (depth == 1) {
              inBatch = parser.currentName().equals("batch");
              sawBatch |= inBatch;
            }
          }
          case START_OBJECT, START_ARRAY -> {
            if (inBatch && depth == 2 && token == JsonToken.START_OBJECT) events++;
            depth++;
          }
          case END_OBJECT, END_ARRAY -> {
            depth--;
            if (depth == 1) inBatch = false;
          }
          default -> {
            // scalars: the parser has decoded them, which is the work being measured
            if (token == JsonToken.VALUE_STRING) parser.getText();
          }
        }
      }
    }
    return sawBatch ? events : 1;
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }
}
