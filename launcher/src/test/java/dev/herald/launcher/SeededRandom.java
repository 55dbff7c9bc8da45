package dev.herald.launcher;

import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Hands a test (or its {@code @BeforeEach}) a {@link Random} made from one seed per test, and
 * names the seed when the test fails, so that {@code -Dherald.test.seed=N} replays its input.
 * Without that property each run draws a fresh seed.
 */
final class SeededRandom implements ParameterResolver, TestExecutionExceptionHandler {

  static final String PROPERTY = "herald.test.seed";
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SeededRandom.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Random.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return new Random(seed(context));
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    Long seed = context.getStore(NAMESPACE).get("seed", Long.class);
    if (seed == null) throw failure;
    throw new AssertionError("[seed " + seed + ", replay with -D" + PROPERTY + "=" + seed + "] " + failure, failure);
  }

  private static long seed(ExtensionContext context) {
    return context.getStore(NAMESPACE).getOrComputeIfAbsent("seed",
        key -> Long.getLong(PROPERTY, ThreadLocalRandom.current().nextLong()), Long.class);
  }
}
