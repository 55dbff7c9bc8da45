package dev.herald.destination.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The checks and the safe description of a destination's HTTP endpoint, shared by every plugin
 * that posts to a URL.
 */
public final class HttpEndpoint {

  private HttpEndpoint() {}

  /**
   * What is wrong with {@code url} as an endpoint, or null when it is an absolute {@code http}
   * or {@code https} URL with a host and, if given, a port from 1 to 65535. With
   * {@code queryAllowed} false it must also have no query and no fragment (a base URL). The
   * answer never quotes the URL: paths and queries often carry keys.
   */
  public static String problem(String url, boolean queryAllowed) {
    if (url == null || url.isBlank()) return "it is empty";
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "it is not a valid URL";
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null) return "it has no scheme";
    if (!scheme.equals("http") && !scheme.equals("https")) return "the scheme is " + scheme + ", not http or https";
    if (uri.getHost() == null) return "it has no valid host";
    if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) return "the port must be from 1 to 65535";
    if (!queryAllowed && (uri.getRawQuery() != null || uri.getRawFragment() != null)) {
      return "it must have no query or fragment";
    }
    return null;
  }

  /** True when {@link #problem(String, boolean) problem(url, true)} finds nothing. */
  public static boolean isValid(String url) {
    return problem(url, true) == null;
  }

  /**
   * Scheme, host and port of a valid {@code url}: safe for reasons and logs, since paths and
   * query strings often carry keys (webhook URLs, {@code ?api_key=}).
   */
  public static String target(String url) {
    URI uri = URI.create(url);
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }
}
