package dev.herald.bus.transform;

import com.bazaarvoice.jolt.CardinalityTransform;
import com.bazaarvoice.jolt.ContextualTransform;
import com.bazaarvoice.jolt.Defaultr;
import com.bazaarvoice.jolt.JoltTransform;
import com.bazaarvoice.jolt.Modifier;
import com.bazaarvoice.jolt.Removr;
import com.bazaarvoice.jolt.Shiftr;
import com.bazaarvoice.jolt.Sortr;
import com.bazaarvoice.jolt.Transform;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One compiled Jolt operation of a chain. Only Jolt's stock operations are offered: a Jolt
 * chain names any other operation by Java class, which a config file must never be able to load.
 * Compiled Jolt transforms keep no state between calls, so one step serves every thread.
 */
final class JoltStep {

  /** The operations Herald runs, in the names Jolt's and Fluvio's specs use. */
  static final Map<String, Function<Object, JoltTransform>> OPERATIONS = Map.of(
      "shift", Shiftr::new,
      "default", Defaultr::new,
      "remove", Removr::new,
      "modify-overwrite-beta", Modifier.Overwritr::new,
      "modify-default-beta", Modifier.Defaultr::new,
      "cardinality", CardinalityTransform::new,
      "sort", spec -> new Sortr());

  static final List<String> OPERATION_NAMES = List.of("shift", "default", "remove", "modify-overwrite-beta",
      "modify-default-beta", "cardinality", "sort");

  private final int number;
  private final String operation;
  private final JoltTransform transform;

  private JoltStep(int number, String operation, JoltTransform transform) {
    this.number = number;
    this.operation = operation;
    this.transform = transform;
  }

  /**
   * Compiles one entry of a chain, {@code {operation: shift, spec: {...}}}, as plain maps and
   * lists (secrets already resolved).
   *
   * @param number the step's number in the whole chain, from 1
   * @throws IllegalArgumentException saying what is wrong, to be prefixed with the step
   */
  static JoltStep compile(int number, Object entry) {
    if (!(entry instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("must be a mapping with 'operation' and 'spec'");
    }
    for (Object key : map.keySet()) {
      if (!"operation".equals(key) && !"spec".equals(key)) {
        throw new IllegalArgumentException("unknown key '" + key + "' (known keys: operation, spec)");
      }
    }
    if (!(map.get("operation") instanceof String operation) || operation.isBlank()) {
      throw new IllegalArgumentException("'operation' is required: one of " + String.join(", ", OPERATION_NAMES));
    }
    Function<Object, JoltTransform> factory = OPERATIONS.get(operation);
    if (factory == null) {
      throw new IllegalArgumentException("unsupported operation '" + operation + "' (supported: "
          + String.join(", ", OPERATION_NAMES) + ")");
    }
    Object spec = map.get("spec");
    if ("sort".equals(operation)) {
      if (spec != null && !(spec instanceof Map<?, ?> m && m.isEmpty())) {
        throw new IllegalArgumentException("sort takes no spec (it sorts every object's keys)");
      }
    } else if (spec == null) {
      throw new IllegalArgumentException("'spec' is required");
    }
    try {
      return new JoltStep(number, operation, factory.apply(spec));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(describe(e), e);
    }
  }

  int number() {
    return number;
  }

  String operation() {
    return operation;
  }

  /** Applies the step to {@code input} (which it may change in place). */
  Object apply(Object input) {
    try {
      return transform instanceof ContextualTransform contextual
          ? contextual.transform(input, Collections.emptyMap())
          : ((Transform) transform).transform(input);
    } catch (RuntimeException e) {
      throw new TransformException(number, operation, describe(e), e);
    }
  }

  /** Jolt's messages say what is wrong; a bare ClassCastException or NPE says it less well. */
  private static String describe(RuntimeException e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) return e.getClass().getSimpleName();
    return e instanceof com.bazaarvoice.jolt.exception.JoltException ? message
        : e.getClass().getSimpleName() + ": " + message;
  }

  @Override
  public String toString() {
    return "step " + number + " (" + operation + ")";
  }
}
