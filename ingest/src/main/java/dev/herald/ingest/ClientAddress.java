package dev.herald.ingest;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The client address for {@code context.ip}: the connection's peer, or with {@code trustProxy}
 * the first address in {@code X-Forwarded-For} (the original client as the proxies report it),
 * and the source's {@link IpPolicy} applied to it. Addresses are parsed as literals only: no
 * name is ever resolved.
 */
final class ClientAddress {

  private ClientAddress() {}

  /** The first address in {@code X-Forwarded-For} that is a literal, or null. */
  private static String forwarded(HttpServerRequest request) {
    String forwarded = request.getHeader("X-Forwarded-For");
    if (forwarded != null) {
      for (String entry : forwarded.split(",")) {
        String literal = canonical(stripPort(entry.trim()));
        if (literal != null) {
          return literal;
        }
      }
    }
    return null;
  }

  /**
   * The client address of each request of one event loop (not thread-safe), remembering the
   * canonical form of each connection's peer: a client's connection sends many requests, and
   * formatting and parsing its address again for each would cost more than the lookup. The peer
   * is the connection's, which Vert.x reads once per connection (hence the identity key), rather
   * than through Vert.x Web's request wrapper, which works it out again per request (the same
   * address: ingest's router trusts no forwarding headers; {@code trustProxy} is applied here).
   */
  static final class Recent {

    /** Peers remembered at most; past it the memory starts again. */
    static final int MAX_REMEMBERED = 1024;

    private final boolean trustProxy;
    private final java.util.IdentityHashMap<SocketAddress, String> canonicalByPeer = new java.util.IdentityHashMap<>();

    Recent(boolean trustProxy) {
      this.trustProxy = trustProxy;
    }

    /** The address of the client that sent the request, or null when it is unknown. */
    String of(HttpServerRequest request) {
      String forwarded = trustProxy ? forwarded(request) : null;
      if (forwarded != null) {
        return forwarded;
      }
      SocketAddress peer = request.connection().remoteAddress();
      if (peer == null) {
        return null;
      }
      String known = canonicalByPeer.get(peer);
      if (known != null) {
        return known;
      }
      String host = peer.hostAddress();
      String literal = host == null ? null : canonical(host);
      if (literal != null) {
        if (canonicalByPeer.size() >= MAX_REMEMBERED) {
          canonicalByPeer.clear();
        }
        canonicalByPeer.put(peer, literal);
      }
      return literal;
    }
  }

  /** The address as the policy stores it, or null when nothing is to be stored. */
  static String apply(IpPolicy policy, String address) {
    return switch (policy) {
      case KEEP -> address;
      case DROP -> null;
      case TRUNCATE -> truncate(address);
    };
  }

  /**
   * An IPv4 address with its last octet zeroed, an IPv6 address with its last 80 bits zeroed,
   * or null for text that is not an address (it cannot be anonymized, so it is not kept).
   */
  static String truncate(String address) {
    byte[] bytes = bytesOf(address);
    if (bytes == null) {
      return null;
    }
    if (bytes.length == 4) {
      bytes[3] = 0;
    } else {
      for (int i = 6; i < 16; i++) {
        bytes[i] = 0;
      }
    }
    return NetUtil.bytesToIpAddress(bytes);
  }

  /** The address in canonical text form (IPv4-mapped IPv6 as IPv4), or null if not a literal. */
  static String canonical(String address) {
    byte[] bytes = bytesOf(address);
    return bytes == null ? null : NetUtil.bytesToIpAddress(bytes);
  }

  private static byte[] bytesOf(String address) {
    if (address == null || address.isEmpty() || address.length() > 64) {
      return null;
    }
    String literal = address;
    int zone = literal.indexOf('%');
    if (zone >= 0) {
      literal = literal.substring(0, zone);
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
    if (bytes == null) {
      return null;
    }
    if (bytes.length == 16 && isIpv4Mapped(bytes)) {
      return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
    }
    return bytes;
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
  }

  /** {@code 203.0.113.9:4711} and {@code [2001:db8::1]:4711}, as some proxies write them. */
  private static String stripPort(String entry) {
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      return close > 0 ? entry.substring(1, close) : entry;
    }
    int colon = entry.indexOf(':');
    if (colon > 0 && colon == entry.lastIndexOf(':')) {
      return entry.substring(0, colon);
    }
    return entry;
  }
}
