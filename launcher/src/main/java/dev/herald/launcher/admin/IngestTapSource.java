package dev.herald.launcher.admin;

import dev.herald.bus.router.RouteSpec;
import dev.herald.bus.router.Router;
import dev.herald.ingest.IngestState;
import dev.herald.ingest.IngestVerticle;
import java.util.Optional;
import java.util.function.Supplier;

/** The live tap's view of ingest and the router, both read when asked (they start after the admin API). */
public final class IngestTapSource implements TapSource {

  private final Supplier<IngestState> ingest;
  private final Supplier<Router> router;

  public IngestTapSource(Supplier<IngestState> ingest, Supplier<Router> router) {
    this.ingest = ingest;
    this.router = router;
  }

  @Override
  public String address() {
    return IngestVerticle.ACCEPTED_ADDRESS;
  }

  @Override
  public Runnable listen() {
    IngestState state = ingest.get();
    return state == null ? () -> {} : state.tap().listen();
  }

  @Override
  public Optional<RouteSpec> route(String destinationId) {
    Router r = router.get();
    return r == null ? Optional.empty() : r.route(destinationId);
  }
}
