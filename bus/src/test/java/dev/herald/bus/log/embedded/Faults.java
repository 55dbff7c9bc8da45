package dev.herald.bus.log.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The disk of a test: opens real files through {@link FaultyChannel}s and decides which of their
 * operations fail. {@code fail(op, after, times, message)} lets {@code after} more calls of
 * {@code op} succeed, then fails the next {@code times} ({@link Integer#MAX_VALUE}: until
 * {@link #heal}); {@link #pauseNext} holds the next call until the test releases it.
 */
final class Faults implements ChannelOpener {

  enum Op { WRITE, FORCE, OPEN_FOR_WRITE, OPEN_FOR_READ }

  private static final class Rule {
    int after;
    int times;
    String message;
    CountDownLatch entered;
    CountDownLatch release;
  }

  private final Map<Op, Rule> rules = new EnumMap<>(Op.class);
  private final Map<Op, Integer> calls = new EnumMap<>(Op.class);
  private final Map<Op, Integer> failures = new EnumMap<>(Op.class);

  synchronized void fail(Op op, int after, int times, String message) {
    Rule rule = new Rule();
    rule.after = after;
    rule.times = times;
    rule.message = message;
    rules.put(op, rule);
  }

  /** The next call of {@code op} signals {@code entered}, waits for {@code release}, then fails. */
  synchronized void pauseNextAndFail(Op op, CountDownLatch entered, CountDownLatch release,
      String message) {
    fail(op, 0, 1, message);
    rules.get(op).entered = entered;
    rules.get(op).release = release;
  }

  synchronized void heal(Op op) {
    rules.remove(op);
  }

  synchronized int calls(Op op) {
    return calls.getOrDefault(op, 0);
  }

  synchronized int failures(Op op) {
    return failures.getOrDefault(op, 0);
  }

  /** Null to go ahead, else the failure to throw. */
  IOException before(Op op) {
    Rule rule;
    synchronized (this) {
      calls.merge(op, 1, Integer::sum);
      rule = rules.get(op);
      if (rule == null) {
        return null;
      }
      if (rule.after > 0) {
        rule.after--;
        return null;
      }
      if (rule.times <= 0) {
        return null;
      }
      if (rule.times != Integer.MAX_VALUE) {
        rule.times--;
      }
      failures.merge(op, 1, Integer::sum);
    }
    if (rule.entered != null) {
      rule.entered.countDown();
      try {
        if (!rule.release.await(30, TimeUnit.SECONDS)) {
          return new IOException("the test never released the paused " + op);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return new IOException(rule.message);
  }

  @Override
  public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
    IOException failure = before(options.contains(StandardOpenOption.WRITE)
        ? Op.OPEN_FOR_WRITE : Op.OPEN_FOR_READ);
    if (failure != null) {
      throw failure;
    }
    return new FaultyChannel(FileChannel.open(path, options), this);
  }
}
