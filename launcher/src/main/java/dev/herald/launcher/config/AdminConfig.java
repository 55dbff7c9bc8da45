package dev.herald.launcher.config;

/**
 * {@code admin:} the admin API listener; {@code token} null means no authentication, which is
 * only allowed on a loopback host (see {@link #loopback}).
 */
public record AdminConfig(String host, int port, String token) {

  public static final AdminConfig DEFAULT = new AdminConfig("127.0.0.1", 8081, null);

  /**
   * Whether {@code host} only accepts connections from this machine: {@code localhost} or a
   * loopback IP literal. Any other name counts as reachable from elsewhere (no DNS lookup: what a
   * name resolves to can change after start-up).
   */
  public static boolean loopback(String host) {
    if (host == null) return false;
    String h = host.trim().toLowerCase(java.util.Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
    if (h.equals("localhost")) return true;
    if (h.matches("127(\\.\\d{1,3}){3}")) return true;
    return h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
  }

  @Override
  public String toString() {
    return "AdminConfig[host=" + host + ", port=" + port + ", token=" + (token == null ? "none" : "******") + "]";
  }
}
