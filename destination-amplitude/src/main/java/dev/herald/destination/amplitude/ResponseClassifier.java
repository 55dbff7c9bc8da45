package dev.herald.destination.amplitude;

import dev.herald.destination.api.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Classifies Amplitude's answer to one request: sets each event's outcome, or says which events
 * to send again at once because Amplitude refused the request as a whole for reasons tied to
 * other events (nothing of it was ingested):
 * <ul>
 *   <li>200: delivered;
 *   <li>400 naming events (invalid or missing fields, id lengths, silenced): those rejected with
 *       Amplitude's reason, the rest sent again; 400 with {@code missing_field}, an invalid API
 *       key or an invalid path: all rejected as a setup error; any other 400: all rejected;
 *   <li>413: split in half and both halves sent (a single event is rejected);
 *   <li>429: events of users/devices over their daily quota rejected; events of throttled
 *       users/devices, and every other event of their partition keys, held back for
 *       {@code throttleHold} while the rest is sent again; a 429 naming nobody retries the whole
 *       request after Retry-After or {@code throttleHold};
 *   <li>408, 5xx, no answer: retried by the framework;
 *   <li>any other status (a redirect, 401, 404…): all rejected as a setup error.
 * </ul>
 */
final class ResponseClassifier {

  /** What to send next, in order; {@code resend} marks a resend of a refused request's remainder. */
  record Step(List<List<Unit>> next, boolean resend) {
    static final Step DONE = new Step(List.of(), false);
  }

  private final String target;
  private final Duration throttleHold;

  ResponseClassifier(String target, Duration throttleHold) {
    this.target = target;
    this.throttleHold = throttleHold;
  }

  /** @param mayResend false once a batch has been resent often enough: the rest is retried later instead */
  Step classify(AmplitudeAnswer answer, List<Unit> units, boolean mayResend) {
    if (answer.failure() != null) {
      return all(units, new SendResult.Retry(answer.failure() + " (" + target + ")", null, 0));
    }
    int code = answer.code();
    int status = answer.status();
    if (code >= 200 && code < 300) return all(units, SendResult.delivered());
    if (code == 400) return badRequest(answer, units, mayResend);
    if (code == 413) return tooLarge(answer, units);
    if (code == 429) return throttled(answer, units, mayResend);
    if (code == 408 || code >= 500) {
      return all(units, new SendResult.Retry("Amplitude answered " + code + " (" + target + ")", answer.retryAfter(), status));
    }
    return all(units, SendResult.setupError("Amplitude answered " + code + " (" + target
        + "): check the endpoint and api settings", status, answer.excerpt()));
  }

  private Step badRequest(AmplitudeAnswer answer, List<Unit> units, boolean mayResend) {
    int status = answer.status();
    if (answer.missingField() != null) {
      return all(units, SendResult.setupError("Amplitude 400: the request misses '" + answer.missingField() + "'",
          status, answer.excerpt()));
    }
    if (answer.setupProblem()) {
      String why = answer.error().toLowerCase(java.util.Locale.ROOT).contains("api key") ? "invalid API key"
          : "invalid request path (check endpoint and api)";
      return all(units, SendResult.setupError("Amplitude 400: " + why, status, answer.excerpt()));
    }
    List<Unit> rest = new ArrayList<>();
    for (int i = 0; i < units.size(); i++) {
      String why = answer.badEvents().get(i);
      if (why == null) {
        rest.add(units.get(i));
      } else {
        units.get(i).outcome = SendResult.rejected("Amplitude 400: " + why, status, answer.excerpt());
      }
    }
    if (rest.size() == units.size()) {
      String why = answer.error() == null ? "bad request" : answer.error();
      return all(units, SendResult.rejected("Amplitude 400: " + why, status, answer.excerpt()));
    }
    return again(rest, mayResend, "Amplitude 400 for other events of the request");
  }

  private Step tooLarge(AmplitudeAnswer answer, List<Unit> units) {
    if (units.size() == 1) {
      return all(units, SendResult.rejected("Amplitude 413: the event alone is too large", answer.status(), answer.excerpt()));
    }
    int half = units.size() / 2;
    return new Step(List.of(new ArrayList<>(units.subList(0, half)), new ArrayList<>(units.subList(half, units.size()))),
        false);
  }

  private Step throttled(AmplitudeAnswer answer, List<Unit> units, boolean mayResend) {
    int status = answer.status();
    Set<String> heldKeys = new HashSet<>();
    for (int i = 0; i < units.size(); i++) {
      Unit unit = units.get(i);
      if (in(answer.quotaUsers(), unit.userId) || in(answer.quotaDevices(), unit.deviceId)) {
        unit.outcome = SendResult.rejected("Amplitude 429: the daily quota of this "
            + (in(answer.quotaUsers(), unit.userId) ? "user" : "device") + " is exceeded", status, answer.excerpt());
      } else if (in(answer.throttledUsers(), unit.userId) || in(answer.throttledDevices(), unit.deviceId)
          || answer.throttledEvents().contains(i)) {
        heldKeys.add(unit.partitionKey);
      }
    }
    boolean named = !heldKeys.isEmpty() || units.stream().anyMatch(u -> u.outcome != null);
    if (!named) {
      Duration wait = answer.retryAfter() != null ? answer.retryAfter() : throttleHold;
      return all(units, new SendResult.Retry("Amplitude 429 (" + target + ")", wait, status));
    }
    String reason = "Amplitude 429: this user or device is throttled"
        + (answer.epsThreshold() == null ? "" : " (over " + answer.epsThreshold() + " events/s)");
    List<Unit> rest = new ArrayList<>();
    for (Unit unit : units) {
      if (unit.outcome != null) continue;
      // Later events of a held key wait with it, whichever id Amplitude named: the key's order holds.
      if (heldKeys.contains(unit.partitionKey)) unit.outcome = SendResult.throttled(reason, throttleHold, status);
      else rest.add(unit);
    }
    return again(rest, mayResend, "Amplitude 429 for other users of the request");
  }

  private static boolean in(Set<String> ids, String id) {
    return id != null && ids.contains(id);
  }

  private static Step again(List<Unit> rest, boolean mayResend, String reason) {
    if (rest.isEmpty()) return Step.DONE;
    if (mayResend) return new Step(List.of(rest), true);
    for (Unit unit : rest) unit.outcome = new SendResult.Retry(reason, null, 0);
    return Step.DONE;
  }

  private static Step all(List<Unit> units, SendResult outcome) {
    for (Unit unit : units) unit.outcome = outcome;
    return Step.DONE;
  }
}
