package dev.herald.ingest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * What every ingest instance shares: the deduplication memory (persisted under
 * {@code dedup.stateDir} when set) and the rate-limit buckets. The launcher opens one, hands it
 * to each {@link IngestVerticle} it deploys, and closes it after they are undeployed:
 * <pre>{@code
 * IngestState state = IngestState.open(vertx, options).await();
 * vertx.deployVerticle(() -> new IngestVerticle(options, log, state), new DeploymentOptions().setInstances(cores));
 * }</pre>
 */
public final class IngestState {

  private final Vertx vertx;
  private final Clock clock;
  private final Deduplicator deduplicator;
  private final DedupJournal journal;
  private final RateLimiter rateLimiter;
  private final TapSwitch tap = new TapSwitch();
  private final SourceCounts counts = new SourceCounts();
  private volatile SourceTable sources;
  private Future<Void> closing;

  private IngestState(Vertx vertx, Clock clock, Deduplicator deduplicator, DedupJournal journal,
      RateLimiter rateLimiter, SourceTable sources) {
    this.sources = sources;
    this.vertx = vertx;
    this.clock = clock;
    this.deduplicator = deduplicator;
    this.journal = journal;
    this.rateLimiter = rateLimiter;
  }

  /** Opens the shared state, loading persisted dedup ids off the event loop. */
  public static Future<IngestState> open(Vertx vertx, IngestOptions options) {
    return open(vertx, options, Clock.systemUTC());
  }

  /** As {@link #open(Vertx, IngestOptions)} on another clock (tests). */
  static Future<IngestState> open(Vertx vertx, IngestOptions options, Clock clock) {
    Objects.requireNonNull(options, "options");
    RateLimiter limiter = new RateLimiter(options.sources(), clock);
    SourceTable sources = new SourceTable(options.sources());
    DedupOptions dedup = options.dedup();
    if (!dedup.enabled()) {
      return Future.succeededFuture(new IngestState(vertx, clock, null, null, limiter, sources));
    }
    if (dedup.stateDir() == null) {
      return Future.succeededFuture(new IngestState(vertx, clock,
          new Deduplicator(dedup.window(), dedup.maxEntries(), clock), null, limiter, sources));
    }
    return vertx.executeBlocking(() -> {
      Deduplicator deduplicator = new Deduplicator(dedup.window(), dedup.maxEntries(), clock);
      DedupJournal journal = DedupJournal.open(dedup.stateDir(), dedup.window(), dedup.maxEntries(), clock,
          deduplicator::restore);
      deduplicator.enforceCap();
      deduplicator.persistTo(journal);
      return new IngestState(vertx, clock, deduplicator, journal, limiter, sources);
    }, false);
  }

  /** Persists the dedup state (when persisted) and stops its writer. */
  public synchronized Future<Void> close() {
    if (closing == null) {
      closing = journal == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
        journal.close();
        return null;
      }, false);
    }
    return closing;
  }

  /** Whether a live tap listens to the accepted events. */
  public TapSwitch tap() {
    return tap;
  }

  /** Accepted and rejected events per source. */
  public SourceCounts counts() {
    return counts;
  }

  /** Events acknowledged as duplicates and not appended, since start. */
  public long duplicates() {
    return deduplicator == null ? 0 : deduplicator.duplicates();
  }

  /** Requests refused by a rate limit, since start. */
  public long rateLimited() {
    return rateLimiter.limited();
  }

  /**
   * Replaces the accepted sources (a config reload): write keys, IP policies, raw topics and rate
   * limits. Requests already past authentication finish under the old ones. A source whose rate
   * limit is unchanged keeps its bucket. Fails, changing nothing, when an id or a key repeats.
   */
  public void updateSources(List<SourceOptions> newSources) {
    SourceTable table = new SourceTable(List.copyOf(newSources));
    rateLimiter.update(newSources);
    sources = table;
  }

  /** The current sources: read once per request. */
  SourceTable sources() {
    return sources;
  }

  Clock clock() {
    return clock;
  }

  /** Null when deduplication is off. */
  Deduplicator deduplicator() {
    return deduplicator;
  }

  RateLimiter rateLimiter() {
    return rateLimiter;
  }

  DedupJournal journalForTest() {
    return journal;
  }

}
