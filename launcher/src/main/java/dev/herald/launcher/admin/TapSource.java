package dev.herald.launcher.admin;

import dev.herald.bus.router.RouteSpec;
import java.util.Optional;

/** Where the live tap listens: the local event-bus address of accepted events, and the routes it can apply. */
public interface TapSource {

  /** The local event-bus address ingest publishes accepted events to. */
  String address();

  /** Asks ingest to publish while the tap listens; run the returned action once when it stops. */
  Runnable listen();

  /** The destination's filter and transforms, to show what it would receive. */
  Optional<RouteSpec> route(String destinationId);
}
