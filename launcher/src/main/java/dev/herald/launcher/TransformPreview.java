package dev.herald.launcher;

import dev.herald.bus.log.embedded.LogTail;
import dev.herald.bus.log.kafka.KafkaTail;
import dev.herald.bus.router.EventFilter;
import dev.herald.bus.transform.TransformChain;
import dev.herald.bus.transform.TransformException;
import dev.herald.destination.api.Event;
import dev.herald.launcher.config.ConfigException;
import dev.herald.launcher.config.DestinationConfig;
import dev.herald.launcher.config.HeraldConfig;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.LogConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.common.KafkaException;

/**
 * {@code herald transform}: runs a destination's transform chain over events from an NDJSON
 * file or the newest events of the log it reads (embedded or Kafka), printing each input and
 * its output or error.
 * Sends nothing and changes nothing: the log is read from its files, not opened. Secret values
 * used in the specs print as {@code ******}. Exit 0 when every event transformed (or there are no
 * transforms), 1 otherwise.
 */
final class TransformPreview {

  /** A line of an input file is an event; one this long is not. */
  static final int MAX_LINE_CHARS = 1024 * 1024;

  private final PrintStream out;
  private final PrintStream err;

  TransformPreview(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** One event to preview: a label for people and its JSON. */
  private record Input(String label, String json) {}

  int run(LoadedConfig loaded, String destinationId, Path file, int recent) {
    if (!loaded.problems().isEmpty()) {
      err.println(new ConfigException(loaded.problems()).getMessage());
      return 1;
    }
    HeraldConfig config = loaded.config();
    DestinationConfig destination = config.destinations().stream().filter(d -> d.id().equals(destinationId))
        .findFirst().orElse(null);
    if (destination == null) {
      err.println("error: no destination '" + destinationId + "' (configured: "
          + String.join(", ", config.destinations().stream().map(DestinationConfig::id).toList()) + ")");
      return 1;
    }
    TransformChain chain = destination.transforms();
    if (chain == null) {
      out.println("destination '" + destinationId + "' has no transforms: events are sent as stored");
      return 0;
    }
    List<Input> inputs;
    try {
      inputs = file != null ? fromFile(file) : fromLog(config, destination, recent);
    } catch (IOException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    int failed = 0;
    for (Input input : inputs) {
      out.println(input.label());
      out.println("  in:    " + input.json());
      try {
        String result = new String(chain.transform(input.json().getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        out.println("  out:   " + chain.redact(result));
      } catch (TransformException e) {
        failed++;
        out.println("  error: " + e.getMessage());
      }
    }
    out.println(inputs.size() + " event(s), " + (inputs.size() - failed) + " transformed, "
        + failed + " failed" + (file == null && inputs.size() < recent ? " (the log holds no more for this destination)" : ""));
    return failed == 0 ? 0 : 1;
  }

  private static List<Input> fromFile(Path file) throws IOException {
    List<Input> inputs = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNumber = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        if (line.length() > MAX_LINE_CHARS) throw new IllegalArgumentException(file + " line " + lineNumber
            + " is over " + MAX_LINE_CHARS + " characters: not one event");
        if (!line.isBlank()) inputs.add(new Input("#" + (inputs.size() + 1) + " (" + file.getFileName() + " line "
            + lineNumber + ")", line.trim()));
      }
    }
    return inputs;
  }

  /**
   * The newest events the destination would receive: from the embedded log's files, or from
   * Herald's Kafka topic by a consumer outside any group (nothing committed).
   */
  private static List<Input> fromLog(HeraldConfig config, DestinationConfig d, int n) throws IOException {
    EventFilter filter = new EventFilter(new HashSet<>(d.topics()), new HashSet<>(d.sources()), d.include(), d.exclude());
    Predicate<Event> wanted = e -> filter.accepts(e, d.id(), d.type());
    List<Event> events;
    try {
      events = config.log().type() == LogConfig.Type.KAFKA ? KafkaTail.last(config.log().kafka(), n, wanted)
          : LogTail.last(config.log().dir(), n, wanted);
    } catch (KafkaException | IllegalStateException e) {
      throw new IOException("cannot read Kafka topic '" + config.log().kafka().topic() + "': " + e.getMessage(), e);
    }
    List<Input> inputs = new ArrayList<>(events.size());
    for (Event e : events) {
      inputs.add(new Input("#" + (inputs.size() + 1) + " messageId=" + e.messageId() + " topic=" + e.topic()
          + " source=" + e.sourceId() + " receivedAt=" + e.receivedAt(), e.payloadBytes().toString()));
    }
    return inputs;
  }
}
