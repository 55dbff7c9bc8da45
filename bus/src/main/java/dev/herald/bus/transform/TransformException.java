package dev.herald.bus.transform;

/**
 * An event a transform chain could not turn into a JSON object: a step threw, or the chain
 * yielded nothing or something other than an object. The message is the dead letter's reason,
 * {@code transform_failed: step 2 (shift): …}; it quotes no part of the event.
 */
public final class TransformException extends RuntimeException {

  /** The reason every transform failure starts with (the metric outcome has the same name). */
  public static final String REASON = "transform_failed";

  private final int step;
  private final String operation;

  /**
   * @param step the failing step's number, counted from 1 across the whole chain
   * @param operation the step's Jolt operation ({@code shift}, {@code default}, …)
   */
  public TransformException(int step, String operation, String detail, Throwable cause) {
    super(REASON + ": step " + step + " (" + operation + "): " + detail, cause, false, false);
    this.step = step;
    this.operation = operation;
  }

  public int step() {
    return step;
  }

  public String operation() {
    return operation;
  }

  /** Just the message, so a reason built from {@code "…" + exception} stays readable. */
  @Override
  public String toString() {
    return getMessage();
  }
}
