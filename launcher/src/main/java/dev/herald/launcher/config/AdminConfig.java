package dev.herald.launcher.config;

/**
 * {@code admin:} the admin API listener; {@code token} null means no authentication;
 * {@code traceWindow}: how many recent events per destination the trace of a messageId remembers.
 */
public record AdminConfig(String host, int port, String token, int traceWindow) {

  public static final int DEFAULT_TRACE_WINDOW = 100_000;
  public static final AdminConfig DEFAULT = new AdminConfig("127.0.0.1", 8081, null);

  public AdminConfig(String host, int port, String token) {
    this(host, port, token, DEFAULT_TRACE_WINDOW);
  }

  @Override
  public String toString() {
    return "AdminConfig[host=" + host + ", port=" + port + ", token=" + (token == null ? "none" : "******")
        + ", traceWindow=" + traceWindow + "]";
  }
}
