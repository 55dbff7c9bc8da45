package dev.herald.destination.amplitude;

import dev.herald.destination.api.ConfigSpec;
import dev.herald.destination.api.ConfigSpec.Key;
import dev.herald.destination.api.ConfigSpec.Type;
import dev.herald.destination.api.Destination;
import dev.herald.destination.api.DestinationContext;
import dev.herald.destination.api.DestinationFactory;
import org.pf4j.Extension;

/** The {@code amplitude} destination: Segment-spec events (or Amplitude-shaped raw records) to Amplitude. */
@Extension
public final class AmplitudeDestinationFactory implements DestinationFactory {

  public static final String TYPE = "amplitude";

  private static final ConfigSpec SPEC = ConfigSpec.builder()
      .secret(AmplitudeConfig.API_KEY, "The Amplitude project's API key, e.g. `${{ secrets.AMPLITUDE_API_KEY }}`")
      .optional(AmplitudeConfig.API, Type.STRING, AmplitudeApi.HTTPV2.configName(),
          "`httpv2` (`POST /2/httpapi`: up to 2000 events and under 1 MB a request) or `batch`"
              + " (`POST /batch`: under 20 MB a request, for high volume)")
      .optional(AmplitudeConfig.ENDPOINT, Type.STRING, AmplitudeConfig.DEFAULT_ENDPOINT,
          "Base URL; `https://api.eu.amplitude.com` for EU data residency")
      .add(new Key(AmplitudeConfig.MIN_ID_LENGTH, Type.INT, null, false, false,
          "Sent as `options.min_id_length`: shortest accepted `user_id`/`device_id` (Amplitude's default is 5)"))
      .optional(AmplitudeConfig.THROTTLE_HOLD, Type.DURATION, AmplitudeConfig.DEFAULT_THROTTLE_HOLD,
          "How long the events of a user or device Amplitude throttles (429) are held back;"
              + " other users' events keep flowing")
      .optional(AmplitudeConfig.TIMEOUT_MS, Type.INT, AmplitudeConfig.DEFAULT_TIMEOUT_MS,
          "Connect timeout, and longest silence while waiting for an answer, in milliseconds")
      .add(new Key(AmplitudeConfig.MAX_EVENTS_PER_REQUEST, Type.INT, null, false, false,
          "Most events in one request (default and upper bound: 2000 for `httpv2`, 10000 for `batch`)"))
      .optional(AmplitudeConfig.PAGE_EVENT_NAME, Type.STRING, AmplitudeConfig.DEFAULT_PAGE_EVENT_NAME,
          "`event_type` of a page call; `{name}` becomes the page's name (dropped when it has none)")
      .optional(AmplitudeConfig.SCREEN_EVENT_NAME, Type.STRING, AmplitudeConfig.DEFAULT_SCREEN_EVENT_NAME,
          "`event_type` of a screen call; `{name}` becomes the screen's name (dropped when it has none)")
      .optional(AmplitudeConfig.GROUP_TYPE, Type.STRING, AmplitudeConfig.DEFAULT_GROUP_TYPE,
          "Amplitude group type a group call's `groupId` is set under")
      .optional(AmplitudeConfig.GROUP_TYPE_TRAIT, Type.STRING, null,
          "A group trait whose value, when present, is the group type instead of `groupType`")
      .optional(AmplitudeConfig.ALIAS_MODE, Type.STRING, "identify",
          "`identify`: an alias becomes an `$identify` with `user_id` = userId and `device_id` = previousId,"
              + " so Amplitude merges the anonymous history into the user; `skip`: aliases are acknowledged, not sent")
      .build();

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ConfigSpec configSpec() {
    return SPEC;
  }

  /** @throws IllegalArgumentException naming the key when a value is well-typed but unusable */
  @Override
  public Destination create(DestinationContext context) {
    return new AmplitudeDestination(context, AmplitudeConfig.from(context.config()));
  }
}
