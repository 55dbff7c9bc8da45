package dev.herald.kafka.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a real Kafka broker:
 * <pre>{@code @RegisterExtension static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();}</pre>
 * {@link #shared()} starts one broker for the whole test run (the JUnit root context closes it at
 * the end), so classes that only need a broker pay for one start; {@link #perClass()} starts a
 * broker of the class's own, killed after its last test, for tests that stop or kill it. Tests on
 * a shared broker use topic and group names of their own.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

  private final boolean shared;
  private volatile KafkaBroker broker;

  private KafkaBrokerExtension(boolean shared) {
    this.shared = shared;
  }

  /** One broker for every class of the test run that asks for the shared one. */
  public static KafkaBrokerExtension shared() {
    return new KafkaBrokerExtension(true);
  }

  /** A broker of the class's own: it may stop, kill and restart it. */
  public static KafkaBrokerExtension perClass() {
    return new KafkaBrokerExtension(false);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (shared) {
      broker = context.getRoot().getStore(NAMESPACE)
          .getOrComputeIfAbsent("broker", key -> new Closing(KafkaBroker.startNew()), Closing.class)
          .broker;
    } else {
      broker = KafkaBroker.startNew();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (shared) {
      if (!broker.isRunning()) {
        broker.start(); // leave the shared broker as the next class expects it
      }
    } else {
      broker.close();
    }
  }

  public KafkaBroker broker() {
    if (broker == null) {
      throw new IllegalStateException("the broker starts in beforeAll; register the extension as a static field");
    }
    return broker;
  }

  public String bootstrapServers() {
    return broker().bootstrapServers();
  }

  private record Closing(KafkaBroker broker) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      broker.close();
    }
  }
}
