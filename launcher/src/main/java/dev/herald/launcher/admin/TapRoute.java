package dev.herald.launcher.admin;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /admin/tap?source&topic&type&event&destination&sample&rate}: accepted events as
 * server-sent events ({@code event: accepted}), live from ingest's publication on the event bus.
 * Each connection is bounded: at most {@code rate} events a second (default {@value #DEFAULT_RATE})
 * and a small write queue; past either, events are dropped for this tap only (the log has them)
 * and an {@code event: dropped} says how many. Ingest publishes only while a tap is open.
 */
public final class TapRoute {

  static final int DEFAULT_RATE = 100;
  static final int MAX_RATE = 1000;
  static final int MAX_CONNECTIONS = 16;
  private static final int WRITE_QUEUE_BYTES = 256 * 1024;
  private static final long TICK_MS = 1000;
  private static final int KEEP_ALIVE_TICKS = 15;

  private TapRoute() {}

  public static void mount(Router router, Vertx vertx, AdminBackend backend) {
    AtomicInteger open = new AtomicInteger();
    router.get("/admin/tap").handler(ctx -> tap(ctx, vertx, backend.tapSource(), open));
  }

  private static void tap(RoutingContext ctx, Vertx vertx, TapSource source, AtomicInteger open) {
    if (source == null) {
      Answers.error(ctx, 503, "tap_unavailable", "this Herald has no live tap");
      return;
    }
    TapFilter filter = TapFilter.of(ctx, source);
    if (filter == null) return;
    int rate;
    try {
      rate = Integer.parseInt(ctx.queryParams().get("rate") == null ? "" + DEFAULT_RATE : ctx.queryParams().get("rate"));
    } catch (NumberFormatException e) {
      rate = -1;
    }
    if (rate < 1 || rate > MAX_RATE) {
      Answers.error(ctx, 400, "bad_request", "rate must be an integer from 1 to " + MAX_RATE + " (events a second)");
      return;
    }
    if (open.incrementAndGet() > MAX_CONNECTIONS) {
      open.decrementAndGet();
      Answers.error(ctx, 503, "too_many_taps", "at most " + MAX_CONNECTIONS + " taps may be open at once");
      return;
    }
    new Connection(vertx, ctx.response(), source, filter, rate, open::decrementAndGet).start();
  }

  /** One client's stream: its consumer, its per-second budget and its count of dropped events. */
  private static final class Connection {
    private final Vertx vertx;
    private final HttpServerResponse response;
    private final TapSource source;
    private final TapFilter filter;
    private final int rate;
    private final Runnable closed;
    private MessageConsumer<JsonArray> consumer;
    private Runnable stopListening;
    private long timer;
    private int sentThisTick;
    private long dropped;
    private long droppedReported;
    private int ticks;
    private boolean done;

    Connection(Vertx vertx, HttpServerResponse response, TapSource source, TapFilter filter, int rate, Runnable closed) {
      this.vertx = vertx;
      this.response = response;
      this.source = source;
      this.filter = filter;
      this.rate = rate;
      this.closed = closed;
    }

    void start() {
      response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
          .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
      response.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
      response.write(": Herald live tap, at most " + rate + " events a second\n\n");
      response.closeHandler(v -> close());
      response.exceptionHandler(e -> close());
      consumer = vertx.eventBus().localConsumer(source.address(), message -> {
        for (Object item : message.body()) offer((JsonObject) item);
      });
      stopListening = source.listen();
      timer = vertx.setPeriodic(TICK_MS, t -> tick());
    }

    private void offer(JsonObject tapped) {
      if (done) return;
      JsonObject shown = filter.apply(tapped);
      if (shown == null) return;
      if (sentThisTick >= rate || response.writeQueueFull()) {
        dropped++;
        return;
      }
      sentThisTick++;
      response.write("event: accepted\nid: " + oneLine(tapped.getString("messageId")) + "\ndata: " + shown.encode() + "\n\n");
    }

    private void tick() {
      if (done) return;
      sentThisTick = 0;
      ticks++;
      if (response.writeQueueFull()) return; // the client is behind: say so once it catches up
      if (dropped > droppedReported) {
        response.write("event: dropped\ndata: " + new JsonObject().put("dropped", dropped - droppedReported)
            .put("droppedTotal", dropped).encode() + "\n\n");
        droppedReported = dropped;
      } else if (ticks % KEEP_ALIVE_TICKS == 0) {
        response.write(": keep-alive\n\n"); // proxies close streams that stay silent
      }
    }

    private void close() {
      if (done) return;
      done = true;
      vertx.cancelTimer(timer);
      if (consumer != null) consumer.unregister();
      if (stopListening != null) stopListening.run();
      closed.run();
    }

    private static String oneLine(String text) {
      return text == null ? "" : text.replace('\n', ' ').replace('\r', ' ');
    }
  }
}
