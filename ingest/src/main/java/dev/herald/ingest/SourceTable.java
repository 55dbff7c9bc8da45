package dev.herald.ingest;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sources ingest accepts, one immutable snapshot: {@link IngestState} swaps it whole on a
 * config reload, so a request reads it with one volatile read and sees either the old sources or
 * the new ones, never a mix.
 */
final class SourceTable {

  private final WriteKeyAuthenticator authenticator;
  private final Map<String, SourceOptions> byId = new HashMap<>();

  SourceTable(List<SourceOptions> sources) {
    check(sources);
    this.authenticator = new WriteKeyAuthenticator(sources);
    sources.forEach(source -> byId.put(source.id(), source));
  }

  /** Each id and each write key once; the message names the source, never the key. */
  static void check(List<SourceOptions> sources) {
    Set<String> ids = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (SourceOptions source : sources) {
      if (!ids.add(source.id())) {
        throw new IllegalArgumentException("source id '" + source.id() + "' is used twice");
      }
      if (!keys.add(source.writeKey())) {
        throw new IllegalArgumentException("source '" + source.id() + "' reuses another source's write key");
      }
    }
  }

  WriteKeyAuthenticator authenticator() {
    return authenticator;
  }

  /** The source with this id, or null (a source removed by a reload). */
  SourceOptions get(String id) {
    return byId.get(id);
  }

  IpPolicy ipPolicy(String id) {
    SourceOptions source = byId.get(id);
    return source == null ? IpPolicy.KEEP : source.ipPolicy();
  }
}
