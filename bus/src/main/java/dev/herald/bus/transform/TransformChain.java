package dev.herald.bus.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.herald.destination.api.Event;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A destination's transforms: Jolt steps compiled once at start-up and applied to each event's
 * JSON before batching. The stored bytes are read by Jackson straight into the maps and lists
 * Jolt works on, the steps change them in place, and the result is written back to bytes once:
 * no intermediate JSON objects, no copies between steps.
 *
 * <p>{@link #apply} never returns null: an event the chain cannot turn into a JSON object throws
 * a {@link TransformException} naming the step, which the runner dead-letters.
 */
public final class TransformChain implements UnaryOperator<Event> {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectReader READER = MAPPER.readerFor(Map.class);
  private static final ObjectWriter WRITER = MAPPER.writer();

  private final List<JoltStep> steps;
  private final Scrubber scrubber;
  /** The entries as written (plain maps and lists): two chains compiled from equal entries are equal. */
  private final List<?> entries;

  private TransformChain(List<JoltStep> steps, Scrubber scrubber, List<?> entries) {
    this.steps = List.copyOf(steps);
    this.scrubber = scrubber;
    this.entries = new ArrayList<>(entries);
  }

  /** A problem with one step of a chain being compiled. */
  public record Problem(int index, String message) {}

  /**
   * A compiled chain, or the problems that prevent one.
   *
   * @param chain null when there are problems
   */
  public record Compiled(TransformChain chain, List<Problem> problems) {
    public Compiled {
      problems = List.copyOf(problems);
    }
  }

  /**
   * Compiles a chain from its entries, each {@code {operation, spec}} as plain maps and lists
   * (YAML or JSON read into Java collections, secrets resolved).
   *
   * @param secretValues values resolved from secrets: replaced by {@code ******} in every message
   *     this chain produces, at compile time and for each failed event
   * @return every problem at once, each with the entry's index and a message starting
   *     {@code step N (operation):}
   */
  public static Compiled compile(List<?> entries, Collection<String> secretValues) {
    Scrubber scrubber = new Scrubber(secretValues);
    List<JoltStep> steps = new ArrayList<>(entries.size());
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      int number = i + 1;
      try {
        steps.add(JoltStep.compile(number, entries.get(i)));
      } catch (IllegalArgumentException e) {
        String operation = entries.get(i) instanceof Map<?, ?> m && m.get("operation") instanceof String op ? op : "?";
        problems.add(new Problem(i, scrubber.scrub("step " + number + " (" + operation + "): " + e.getMessage())));
      }
    }
    return new Compiled(problems.isEmpty() ? new TransformChain(steps, scrubber, entries) : null, problems);
  }

  /** The supported Jolt operations, for messages and docs. */
  public static List<String> operations() {
    return JoltStep.OPERATION_NAMES;
  }

  public int size() {
    return steps.size();
  }

  /** The event with its payload transformed; type, ids, topic and partition key unchanged. */
  @Override
  public Event apply(Event event) {
    Buffer out = Buffer.buffer(transform(event.payloadBytes().getBytes()));
    return new Event(event.messageId(), event.type(), event.topic(), event.sourceId(), event.partitionKey(),
        event.receivedAt(), out);
  }

  /**
   * One JSON object through the chain, as UTF-8 bytes in and out.
   *
   * @throws TransformException when a step fails, or the chain yields nothing or no JSON object
   */
  public byte[] transform(byte[] json) {
    Object value;
    try {
      value = READER.readValue(json);
    } catch (IOException e) {
      // Stored events are JSON objects; this guards previews of hand-written files.
      throw new TransformException(1, first(), "the input is not a JSON object", null);
    }
    if (!(value instanceof Map)) throw new TransformException(1, first(), "the input is not a JSON object", null);
    for (JoltStep step : steps) {
      try {
        value = step.apply(value);
      } catch (TransformException e) {
        throw new TransformException(e.step(), e.operation(), scrubber.scrub(detail(e)), null);
      }
      if (value == null) throw new TransformException(step.number(), step.operation(), "yielded nothing", null);
    }
    if (!(value instanceof Map)) {
      JoltStep last = steps.get(steps.size() - 1);
      throw new TransformException(last.number(), last.operation(),
          "yielded " + kind(value) + ", not a JSON object", null);
    }
    try {
      return WRITER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      JoltStep last = steps.get(steps.size() - 1);
      throw new TransformException(last.number(), last.operation(), "the result cannot be written as JSON", null);
    }
  }

  private static String kind(Object value) {
    if (value instanceof List) return "a list";
    if (value instanceof String) return "a string";
    if (value instanceof Number) return "a number";
    if (value instanceof Boolean) return "a boolean";
    return "a " + value.getClass().getSimpleName();
  }

  private String first() {
    return steps.isEmpty() ? "?" : steps.get(0).operation();
  }

  private static String detail(TransformException e) {
    String prefix = TransformException.REASON + ": step " + e.step() + " (" + e.operation() + "): ";
    return e.getMessage().substring(prefix.length());
  }

  /** {@code text} with the values of secrets used in the specs replaced by {@code ******} (for previews). */
  public String redact(String text) {
    return scrubber.scrub(text);
  }

  /** Equal when compiled from equal entries (a config reload keeps a destination whose chain did not change). */
  @Override
  public boolean equals(Object other) {
    return other instanceof TransformChain chain && entries.equals(chain.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return "TransformChain" + steps; // operations only: specs may hold secrets
  }

  /** Replaces secret values in messages. */
  private record Scrubber(List<String> values) {
    Scrubber(Collection<String> values) {
      this(values.stream().filter(v -> v != null && v.length() >= 3).distinct().toList());
    }

    String scrub(String message) {
      String out = message;
      for (String v : values) out = out.replace(v, "******");
      return out;
    }
  }
}
