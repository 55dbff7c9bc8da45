package dev.herald.kafka.testkit;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A throw-away Kafka broker for development, no Docker or download needed:
 * <pre>./mvnw -q -pl kafka-testkit package
 * java -cp kafka-testkit/target/classes dev.herald.kafka.testkit.LocalKafka [port=9092]</pre>
 * It runs until Ctrl-C; its data lives in a temporary directory deleted at exit.
 */
public final class LocalKafka {

  private LocalKafka() {}

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9092;
    KafkaBroker broker = KafkaBroker.startNew(port, List.of("-Xmx1g", "-Xms256m"));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.stop();
      broker.close();
      stopped.countDown();
    }, "local-kafka-stop"));
    System.out.println("Kafka " + broker.bootstrapServers() + " ready (data in " + broker.home()
        + "); Ctrl-C stops it and deletes the data");
    stopped.await();
  }
}
