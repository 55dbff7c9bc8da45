package com.example.herald;

import dev.herald.destination.api.ConfigSpec;
import dev.herald.destination.api.Destination;
import dev.herald.destination.api.DestinationContext;
import dev.herald.destination.api.DestinationFactory;
import java.net.URI;
import java.net.URISyntaxException;
import org.pf4j.Extension;

/**
 * What Herald finds in the plugin JAR (through {@code @Extension}): the {@code type:} it serves,
 * the keys its {@code config:} block takes, and how to create one destination per configured id.
 */
@Extension
public final class ExampleDestinationFactory implements DestinationFactory {

  static final String URL = "url";

  private static final ConfigSpec SPEC = ConfigSpec.builder()
      .required(URL, ConfigSpec.Type.STRING, "http:// or https:// URL each batch is posted to, as a JSON array")
      .build();

  @Override
  public String type() {
    return "example";
  }

  /** Herald checks every destination's config against this at start-up and by {@code validate}. */
  @Override
  public ConfigSpec configSpec() {
    return SPEC;
  }

  /** Runs once per configured destination; no I/O here (do it in {@code start()}). */
  @Override
  public Destination create(DestinationContext context) {
    String url = context.config().getString(URL);
    if (!isHttpUrl(url)) {
      // The message names the key, never the value: a URL may carry a key.
      throw new IllegalArgumentException("'" + URL + "' must be an absolute http:// or https:// URL");
    }
    return new ExampleDestination(context, url);
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
