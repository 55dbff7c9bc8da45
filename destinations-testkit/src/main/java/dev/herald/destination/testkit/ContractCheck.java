package dev.herald.destination.testkit;

import dev.herald.destination.api.Event;
import dev.herald.destination.api.Limits;
import dev.herald.destination.api.SendResult;
import dev.herald.destination.testkit.ObservedDestination.Send;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The checks behind {@link DestinationHarness#checkContract()} and {@link DestinationHarness#checkHttpContract()}. */
final class ContractCheck {

  /** Most events the limits check appends, so a plugin allowing huge batches is still checked quickly. */
  private static final int MAX_EVENTS = 5_000;
  /** A slow answer: a send that waits for it blocks; long against any send's own work on a busy machine. */
  private static final Duration SLOW = Duration.ofSeconds(2);

  private final DestinationHarness harness;
  private final List<String> problems = new ArrayList<>();

  ContractCheck(DestinationHarness harness) {
    this.harness = harness;
  }

  /** More events than fit one batch: cut to the plugin's limits, each delivered once, nothing blocking. */
  void limitsAndLifecycle() {
    DestinationHarness bigBatches = DestinationHarness.of(harness.factory()).config(harness.config())
        .delivery(d -> harness.delivery().batchEvents(100_000)).topics(harness.topics().toArray(String[]::new));
    try (RunningDestination run = bigBatches.start()) {
      Limits limits = run.limits();
      int count = (int) Math.min(MAX_EVENTS, 2L * limits.maxEvents() + 1);
      List<Event> events = TestEvents.tracks(count, 7);
      settle(run.append(events));
      List<Send> sends = run.sends();
      for (Send send : sends) {
        check(send.onEventLoop, send + " was not called on an event loop");
        check(send.messageIds.size() <= limits.maxEvents(), send + " exceeds maxEvents " + limits.maxEvents());
        check(send.payloadBytes <= limits.maxBytes() || send.messageIds.size() == 1,
            send + " exceeds maxBytes " + limits.maxBytes());
      }
      check(count <= limits.maxEvents() || sends.size() >= 2,
          count + " events went in " + sends.size() + " send(s) though at most " + limits.maxEvents() + " fit one");
      Map<String, Integer> delivered = deliveredTimes(sends);
      for (Event e : events) {
        int times = delivered.getOrDefault(e.messageId(), 0);
        check(times == 1, e.messageId() + " was answered delivered " + times + " times, not once");
      }
      RunnerSnapshot status = run.status();
      check(status.delivered() == count && status.deadLettered() == 0,
          "the runner counted " + status + " for " + count + " events, all of them accepted");
      checkCalls(run);
      stopAndCheck(run, false);
    }
    failIfProblems("the destination contract");
  }

  /** One event per scripted answer, in order, through one runner. */
  void httpAnswers() {
    try (RunningDestination run = DestinationHarness.of(harness.factory()).config(harness.config())
        .delivery(d -> harness.delivery()).topics(harness.topics().toArray(String[]::new)).start()) {
      int seq = 0;
      for (int status : new int[] {200, 202, 204}) {
        answer(run, seq++, Reply.status(status), "delivered", ContractCheck::isDelivered);
      }
      answer(run, seq++, Reply.status(400, "{\"error\":\"bad event\"}"), "rejected", ContractCheck::isRejected);
      for (Reply retried : List.of(Reply.status(500), Reply.status(503), Reply.reset(), Reply.never())) {
        answer(run, seq++, retried, "retried", ContractCheck::isRetried);
      }
      slowAnswer(run, seq);
      checkCalls(run);
      stopAndCheck(run, true);
    }
    failIfProblems("the HTTP destination contract");
  }

  private void answer(RunningDestination run, int seq, Reply reply, String expected, Predicate<SendResult> classified) {
    Event event = TestEvents.track("user-" + seq, "Contract " + reply, seq);
    int requestsBefore = run.server().requests().size();
    run.server().script(reply);
    settle(run.append(event));
    List<Send> sends = sendsOf(run, event);
    if (sends.isEmpty()) {
      problems.add("a " + reply + " answer: " + event.messageId() + " was never sent");
      return;
    }
    Send first = sends.get(0);
    SendResult result = first.failure != null || !first.done() ? null : first.result;
    check(classified.test(result),
        "a " + reply + " answer must be " + expected + ", the plugin answered " + first);
    check(run.server().requests().size() > requestsBefore, "a " + reply + " answer: nothing reached the server");
    boolean deadLettered = run.deadLetters().stream().anyMatch(l -> l.messageId().equals(event.messageId()));
    if (expected.equals("rejected")) {
      check(deadLettered, "a " + reply + " answer: " + event.messageId() + " is not a dead letter");
      check(sends.size() == 1, "a " + reply + " answer: the rejected event was sent again: " + sends);
      run.deadLetters().stream().filter(l -> l.messageId().equals(event.messageId())).findFirst()
          .ifPresent(l -> check(l.status() == 400, "the dead letter of a 400 answer carries status " + l.status()));
    } else {
      check(!deadLettered, "a " + reply + " answer: " + event.messageId() + " was dead-lettered");
      check(deliveredTimes(sends).getOrDefault(event.messageId(), 0) == 1,
          "a " + reply + " answer: " + event.messageId() + " was not delivered exactly once in the end: " + sends);
    }
  }

  /** A send that waits for the answer returns after it; one that does not returns long before it could come. */
  private void slowAnswer(RunningDestination run, int seq) {
    Event event = TestEvents.track("user-" + seq, "Contract slow", seq);
    int index = run.server().requests().size();
    run.server().script(Reply.slow(SLOW, 200));
    settle(run.append(event));
    List<Send> sends = sendsOf(run, event);
    List<ScriptedServer.Request> requests = run.server().requests();
    if (sends.isEmpty() || requests.size() <= index) {
      problems.add("a slow answer: " + event.messageId() + " was never sent");
      return;
    }
    long couldAnswerAt = requests.get(index).receivedAtNanos() + SLOW.toNanos();
    check(sends.get(0).returnedAtNanos < couldAnswerAt,
        "send() waited for the server's answer (" + SLOW.toSeconds() + " s late) on the event loop: it blocks");
    check(sends.stream().anyMatch(s -> s.done() && isDelivered(s.result)), "a slow answer: the 200 that came "
        + SLOW.toSeconds() + " s late was not delivered (a plugin timeout of 2 s or less?): " + sends);
  }

  /** Waits for every event to settle; when they do not, says what the plugin was doing and stops the check. */
  private void settle(RunningDestination run) {
    try {
      run.awaitSettled();
    } catch (AssertionError e) {
      ObservedDestination d = run.destination();
      List<Send> sends = d.sends();
      problems.add(e.getMessage() + "; the longest call held the event loop "
          + Duration.ofNanos(d.longestCallNanos()).toMillis() + " ms (" + d.longestCall() + "); last sends: "
          + sends.subList(Math.max(0, sends.size() - 3), sends.size()));
      failIfProblems("the destination contract");
    }
  }

  private void checkCalls(RunningDestination run) {
    ObservedDestination d = run.destination();
    Duration longest = Duration.ofNanos(d.longestCallNanos());
    check(longest.compareTo(harness.maxCallTime()) <= 0, d.longestCall() + " held the event loop for "
        + longest.toMillis() + " ms (limit " + harness.maxCallTime().toMillis() + " ms): do blocking work with executeBlocking");
    check(d.starts() == 1, "start() was called " + d.starts() + " times");
  }

  private void stopAndCheck(RunningDestination run, boolean http) {
    run.stopDestination();
    ObservedDestination d = run.destination();
    check(d.stops() == 1, "stop() was called " + d.stops() + " times");
    check(d.sendsAfterStop() == 0, d.sendsAfterStop() + " send(s) after stop()");
    if (http) {
      try {
        Await.until(Duration.ofSeconds(10), () -> "", () -> run.server().openConnections() == 0);
      } catch (AssertionError e) {
        problems.add(run.server().openConnections() + " connection(s) still open after stop() and the web client's"
            + " close: close every client the plugin opened itself in stop()");
      }
    }
  }

  private static List<Send> sendsOf(RunningDestination run, Event event) {
    return run.sends().stream().filter(s -> s.messageIds.contains(event.messageId())).toList();
  }

  /** How often each event was answered delivered (a Partial answers per event). */
  private static Map<String, Integer> deliveredTimes(List<Send> sends) {
    Map<String, Integer> times = new HashMap<>();
    for (Send send : sends) {
      if (!send.done() || send.failure != null) continue;
      for (int i = 0; i < send.messageIds.size(); i++) {
        SendResult r = send.result instanceof SendResult.Partial p ? p.outcomes().get(i) : send.result;
        if (r instanceof SendResult.Delivered) times.merge(send.messageIds.get(i), 1, Integer::sum);
      }
    }
    return times;
  }

  private static boolean isDelivered(SendResult r) {
    return r instanceof SendResult.Delivered || isAll(r, SendResult.Delivered.class);
  }

  private static boolean isRejected(SendResult r) {
    return r instanceof SendResult.Rejected || isAll(r, SendResult.Rejected.class);
  }

  /** A Retry, or a failed future or no answer within the send timeout (null): the runner retries all three. */
  private static boolean isRetried(SendResult r) {
    return r == null || r instanceof SendResult.Retry || isAll(r, SendResult.Retry.class);
  }

  private static boolean isAll(SendResult r, Class<? extends SendResult> kind) {
    return r instanceof SendResult.Partial p && p.outcomes().stream().allMatch(kind::isInstance);
  }

  private void check(boolean ok, String problem) {
    if (!ok) problems.add(problem);
  }

  private void failIfProblems(String what) {
    if (problems.isEmpty()) return;
    throw new AssertionError(harness.factory().type() + " breaks " + what + ":\n  - " + String.join("\n  - ", problems));
  }
}
