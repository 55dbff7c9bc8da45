package dev.herald.destination.testkit;

import dev.herald.destination.api.Destination;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.Limits;
import dev.herald.destination.api.SendResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The plugin's destination as the runner sees it, with every call recorded: which thread called,
 * how long the call itself took (the time it held the event loop), and how each send ended.
 */
final class ObservedDestination implements Destination {

  private final Destination plugin;
  private final List<Send> sends = new ArrayList<>();
  private volatile long longestCallNanos;
  private volatile String longestCall = "none";
  private volatile int starts;
  private volatile int stops;
  private volatile boolean stopped;
  private volatile int sendsAfterStop;

  ObservedDestination(Destination plugin) {
    this.plugin = plugin;
  }

  @Override
  public Future<Void> start() {
    starts++;
    long t0 = System.nanoTime();
    Future<Void> started = plugin.start();
    held("start()", t0);
    return started;
  }

  @Override
  public Future<SendResult> send(List<Event> batch) {
    if (stopped) sendsAfterStop++;
    Send send;
    synchronized (this) {
      send = new Send(sends.size(), batch, Context.isOnEventLoopThread());
      sends.add(send);
    }
    Future<SendResult> result = plugin.send(batch);
    send.returnedAtNanos = System.nanoTime();
    held("send() of " + batch.size() + " events", send.calledAtNanos);
    return result.andThen(ar -> send.completed(ar.result(), ar.cause()));
  }

  @Override
  public Future<Void> stop() {
    stops++;
    stopped = true;
    long t0 = System.nanoTime();
    Future<Void> done = plugin.stop();
    held("stop()", t0);
    return done;
  }

  @Override
  public Limits limits() {
    return plugin.limits();
  }

  synchronized List<Send> sends() {
    return List.copyOf(sends);
  }

  int starts() { return starts; }

  int stops() { return stops; }

  int sendsAfterStop() { return sendsAfterStop; }

  long longestCallNanos() { return longestCallNanos; }

  String longestCall() { return longestCall; }

  private void held(String call, long t0) {
    long took = System.nanoTime() - t0;
    if (took > longestCallNanos) {
      longestCallNanos = took;
      longestCall = call;
    }
  }

  /** One {@link Destination#send} call. */
  static final class Send {
    final int index;
    final List<String> messageIds;
    final long payloadBytes;
    final boolean onEventLoop;
    final long calledAtNanos = System.nanoTime();
    volatile long returnedAtNanos;
    volatile long completedAtNanos;
    volatile SendResult result;
    volatile Throwable failure;

    Send(int index, List<Event> batch, boolean onEventLoop) {
      this.index = index;
      this.messageIds = batch.stream().map(Event::messageId).toList();
      this.payloadBytes = batch.stream().mapToLong(e -> e.payloadBytes().length()).sum();
      this.onEventLoop = onEventLoop;
    }

    void completed(SendResult r, Throwable cause) {
      result = r;
      failure = cause;
      completedAtNanos = System.nanoTime();
    }

    boolean done() {
      return completedAtNanos != 0;
    }

    @Override
    public String toString() {
      String outcome = !done() ? "no answer yet" : failure != null ? "failed: " + failure : String.valueOf(result);
      return "send #" + index + " of " + messageIds.size() + " events (" + payloadBytes + " bytes): " + outcome;
    }
  }
}
