package dev.herald.ingest;

/** What a source does with the client address stored in {@code context.ip}. */
public enum IpPolicy {
  /** Store the address as it is. */
  KEEP,
  /** Zero the host part: an IPv4 address's last octet, an IPv6 address's last 80 bits. */
  TRUNCATE,
  /** Store no address at all. */
  DROP
}
