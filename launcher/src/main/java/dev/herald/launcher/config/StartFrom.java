package dev.herald.launcher.config;

/**
 * Where a destination with no stored position starts reading ({@code startFrom:}). A destination
 * that has a position always resumes from it.
 */
public enum StartFrom {
  /** Not set: the log's start when Herald starts, the log's end when a config reload adds it. */
  DEFAULT,
  /** The oldest event the log still holds (the backlog). */
  EARLIEST,
  /** Only events appended from now on. */
  END
}
