package dev.herald.launcher;

import dev.herald.launcher.config.Secrets;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * Where the admin-API subcommands ({@code dead-letters}, {@code reload}, {@code trace}, {@code tap})
 * find a running Herald, and the bearer token they send.
 *
 * @param base the admin API's URL without a trailing slash
 * @param token null or empty for none
 */
record AdminEndpoint(String base, String token) {

  static final String DEFAULT_URL = "http://127.0.0.1:8081";

  /**
   * @param admin {@code --admin}, or null for {@value #DEFAULT_URL}
   * @param token {@code --token}, or null for the environment's (or secrets file's) {@code HERALD_ADMIN_TOKEN}
   */
  static AdminEndpoint of(String admin, String token, Secrets secrets) {
    return new AdminEndpoint((admin == null ? DEFAULT_URL : admin).replaceAll("/+$", ""),
        token != null ? token : secrets.resolve("${{ secrets.HERALD_ADMIN_TOKEN }}", name -> {}));
  }

  /** A request to {@code path} (from {@code /admin/…}) carrying the token. */
  HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (token != null && !token.isEmpty()) request.header("Authorization", "Bearer " + token);
    return request;
  }
}
