package dev.herald.destination.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server on 127.0.0.1 playing the destination: it answers each request with the
 * next {@link Reply} of its script (200 once the script is used up, or what
 * {@link #otherwise(Reply)} says), records every request, and counts the connections clients hold
 * open. It runs on its own Vert.x, so a destination that blocks its event loop cannot stall it.
 */
public final class ScriptedServer implements AutoCloseable {

  /** Requests bodies above this are answered 413 unread: a test server still bounds what it buffers. */
  public static final long MAX_BODY_BYTES = 64L * 1024 * 1024;

  private final Vertx vertx = Vertx.vertx();
  private final Queue<Reply> script = new ArrayDeque<>();
  private final List<Request> requests = new ArrayList<>();
  private final AtomicInteger openConnections = new AtomicInteger();
  private Reply otherwise = Reply.status(200);
  private HttpServer server;
  private String url;

  private ScriptedServer() {}

  /** Starts a server on a free port of 127.0.0.1. */
  public static ScriptedServer start() {
    ScriptedServer s = new ScriptedServer();
    s.server = s.vertx.createHttpServer()
        .connectionHandler(connection -> {
          s.openConnections.incrementAndGet();
          connection.closeHandler(v -> s.openConnections.decrementAndGet());
        })
        .requestHandler(s::handle);
    int port = Await.result(s.server.listen(0, "127.0.0.1")).actualPort();
    s.url = "http://127.0.0.1:" + port;
    return s;
  }

  /** The base URL, {@code http://127.0.0.1:<port>}. */
  public String url() {
    return url;
  }

  /** {@link #url()} followed by {@code path}. */
  public String url(String path) {
    return url + (path.startsWith("/") ? path : "/" + path);
  }

  /** Appends replies to the script: the next requests get them, in order. */
  public synchronized ScriptedServer script(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  /** The reply once the script is used up (initially 200). */
  public synchronized ScriptedServer otherwise(Reply reply) {
    otherwise = reply;
    return this;
  }

  /** Every request so far, in arrival order. */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Connections clients hold open right now (idle keep-alive ones included). */
  public int openConnections() {
    return openConnections.get();
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }

  private void handle(HttpServerRequest req) {
    String length = req.getHeader("Content-Length");
    if (length != null && length.chars().allMatch(Character::isDigit) && Long.parseLong(length) > MAX_BODY_BYTES) {
      req.response().setStatusCode(413).end();
      return;
    }
    req.body().onSuccess(body -> {
      Reply reply;
      Request request;
      synchronized (this) {
        reply = script.isEmpty() ? otherwise : script.poll();
        request = new Request(requests.size(), req.method().name(), req.uri(),
            MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body, System.nanoTime(), reply);
        requests.add(request);
      }
      switch (reply.kind()) {
        case NEVER -> { } // held open until the client gives up or the server closes
        case RESET -> req.connection().close();
        case ANSWER -> {
          if (reply.delay().isZero()) answer(req, request);
          else vertx.setTimer(reply.delay().toMillis(), t -> answer(req, request));
        }
      }
    });
  }

  private static void answer(HttpServerRequest req, Request request) {
    Reply reply = request.reply();
    var response = req.response().setStatusCode(reply.status());
    for (Map.Entry<String, String> h : reply.headers().entrySet()) response.putHeader(h.getKey(), h.getValue());
    request.answeredAtNanos = System.nanoTime();
    response.end(reply.body()).onFailure(e -> request.answeredAtNanos = 0); // the client left first
  }

  /** One request as received, and how it was answered. */
  public static final class Request {
    private final int index;
    private final String method;
    private final String uri;
    private final MultiMap headers;
    private final Buffer body;
    private final long receivedAtNanos;
    private final Reply reply;
    private volatile long answeredAtNanos;

    Request(int index, String method, String uri, MultiMap headers, Buffer body, long receivedAtNanos, Reply reply) {
      this.index = index;
      this.method = method;
      this.uri = uri;
      this.headers = headers;
      this.body = body;
      this.receivedAtNanos = receivedAtNanos;
      this.reply = reply;
    }

    /** Its place in arrival order, from 0. */
    public int index() { return index; }

    public String method() { return method; }

    /** Path and query. */
    public String uri() { return uri; }

    public MultiMap headers() { return headers; }

    public Buffer body() { return body; }

    /** The body parsed as a JSON array (fails the test when it is not one). */
    public JsonArray bodyAsJsonArray() { return new JsonArray(body); }

    /** {@link System#nanoTime()} at arrival. */
    public long receivedAtNanos() { return receivedAtNanos; }

    /** The reply the script gave it. */
    public Reply reply() { return reply; }

    /** {@link System#nanoTime()} when the answer was sent, 0 while unanswered. */
    public long answeredAtNanos() { return answeredAtNanos; }

    @Override
    public String toString() {
      return "#" + index + " " + method + " " + uri + " (" + body.length() + " bytes) -> " + reply;
    }
  }
}
