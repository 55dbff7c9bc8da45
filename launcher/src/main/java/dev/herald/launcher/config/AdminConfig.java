package dev.herald.launcher.config;

/** {@code admin:} the admin API listener; {@code token} null means no authentication. */
public record AdminConfig(String host, int port, String token) {

  public static final AdminConfig DEFAULT = new AdminConfig("127.0.0.1", 8081, null);

  @Override
  public String toString() {
    return "AdminConfig[host=" + host + ", port=" + port + ", token=" + (token == null ? "none" : "******") + "]";
  }
}
