package dev.herald.bus.router;

import dev.herald.destination.api.Destination;
import dev.herald.destination.api.Event;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One configured destination as the router runs it.
 *
 * @param destinationId the {@code id:} from the config: the log consumer id and the dead-letter file name
 * @param type the {@code type:} (the plugin's type), used by the {@code integrations} rule
 * @param destination the started-by-the-runner plugin instance
 * @param filter which events it receives
 * @param policy batching, retries and breaker settings
 * @param transform applied to each accepted event before batching (identity when null); an event
 *     whose transform throws or yields null goes to the dead-letter store ({@code transform_failed})
 * @param sendTimeout a send that has not answered after this long counts as a retryable failure;
 *     null: the policy's {@code sendTimeout}. The plugin's requests are bounded by the policy's
 *     (its {@code DestinationContext}), so pass null unless a test needs otherwise.
 */
public record RouteSpec(String destinationId, String type, Destination destination, EventFilter filter,
    DeliveryPolicy policy, UnaryOperator<Event> transform, Duration sendTimeout) {

  public static final Duration DEFAULT_SEND_TIMEOUT = DeliveryPolicy.DEFAULT_SEND_TIMEOUT;

  public RouteSpec {
    Objects.requireNonNull(destinationId, "destinationId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(destination, "destination");
    filter = filter == null ? EventFilter.defaults() : filter;
    policy = policy == null ? DeliveryPolicy.DEFAULT : policy;
    transform = transform == null ? UnaryOperator.identity() : transform;
    sendTimeout = sendTimeout == null ? policy.sendTimeout() : sendTimeout;
    validate(policy, sendTimeout);
  }

  /** A route without transforms and with the default send timeout. */
  public RouteSpec(String destinationId, String type, Destination destination, EventFilter filter,
      DeliveryPolicy policy) {
    this(destinationId, type, destination, filter, policy, null, null);
  }

  private static void validate(DeliveryPolicy policy, Duration sendTimeout) {
    List<DeliveryPolicy.Problem> problems = policy.problems();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid delivery policy: "
          + String.join("; ", problems.stream().map(DeliveryPolicy.Problem::toString).toList()));
    }
    if (sendTimeout == null || sendTimeout.toMillis() < 1) throw new IllegalArgumentException("send timeout must be >= 1ms");
  }
}
