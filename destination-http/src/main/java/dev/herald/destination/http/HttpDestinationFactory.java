package dev.herald.destination.http;

import dev.herald.destination.api.ConfigSpec;
import dev.herald.destination.api.ConfigSpec.Key;
import dev.herald.destination.api.ConfigSpec.Type;
import dev.herald.destination.api.Destination;
import dev.herald.destination.api.DestinationContext;
import dev.herald.destination.api.DestinationFactory;
import org.pf4j.Extension;

/**
 * The {@code http} destination: posts batches of events to any HTTP endpoint, the Herald
 * counterpart of Fluvio's {@code http-sink}.
 */
@Extension
public final class HttpDestinationFactory implements DestinationFactory {

  public static final String TYPE = "http";

  private static final ConfigSpec SPEC = ConfigSpec.builder()
      .required(HttpSinkConfig.ENDPOINT, Type.STRING, "Absolute http:// or https:// URL the events are sent to")
      .optional(HttpSinkConfig.METHOD, Type.STRING, "POST", "HTTP method: POST, PUT or PATCH")
      // Header values may carry credentials, so the whole object is masked in any output.
      .add(new Key(HttpSinkConfig.HEADERS, Type.OBJECT, null, false, true,
          "Extra request headers, name to string value; values may be secrets"))
      .add(new Key(HttpSinkConfig.BEARER_TOKEN, Type.STRING, null, false, true,
          "Sends 'Authorization: Bearer <token>'"))
      .optional(HttpSinkConfig.BASIC_USER, Type.STRING, null, "User name for HTTP basic authentication")
      .add(new Key(HttpSinkConfig.BASIC_PASSWORD, Type.STRING, null, false, true,
          "Password for HTTP basic authentication (needs basicUser)"))
      .optional(HttpSinkConfig.BODY_MODE, Type.STRING, "array",
          "array: one JSON array of payloads per request; ndjson: one payload per line;"
              + " single: one request per event with an Idempotency-Key header")
      .optional(HttpSinkConfig.TIMEOUT_MS, Type.INT, HttpSinkConfig.DEFAULT_TIMEOUT_MS,
          "Connect timeout, and longest silence while waiting for the answer, in milliseconds")
      .optional(HttpSinkConfig.MAX_EVENTS, Type.INT, HttpSinkConfig.DEFAULT_MAX_EVENTS, "Most events in one request")
      .optional(HttpSinkConfig.MAX_BYTES, Type.SIZE, HttpSinkConfig.DEFAULT_MAX_BYTES,
          "Most payload bytes in one request")
      .optional(HttpSinkConfig.ORDERED, Type.BOOLEAN, true,
          "Keep events of one user in log order (false allows parallel requests)")
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
    return new HttpDestination(context, HttpSinkConfig.from(context.config()));
  }
}
