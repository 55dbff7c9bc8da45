package dev.herald.ingest;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * JSON numbers with a fraction or exponent. A stored number must read back: one beyond the
 * range of a double is refused. Whether the client's text is the one Herald would write (what
 * {@link Double#toString} gives) is decided from the text for the common case, without parsing.
 */
final class Decimals {

  /** Digits a double holds for certain: a decimal this short reads back as itself. */
  private static final int SURE_DIGITS = 15;

  private Decimals() {}

  /** The value of the current float token, or an error when it is beyond a double's range. */
  static Double finite(JsonParser parser) throws IOException {
    double value = parser.getDoubleValue();
    if (Double.isInfinite(value)) {
      throw outOfRange(parser);
    }
    return value;
  }

  /**
   * Checks the range of the current float token and tells whether its text is written back as
   * it is. Without an exponent and with at most 308 characters a number is within range, so only
   * exponents and very long numbers are parsed.
   */
  static boolean checkedCompact(JsonParser parser) throws IOException {
    char[] text = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    int length = parser.getTextLength();
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      char c = text[i];
      if (c == 'e' || c == 'E') {
        finite(parser);
        return false;
      }
    }
    if (length > 308) {
      finite(parser);
      return false;
    }
    return shortestForm(text, offset, end);
  }

  /**
   * Whether {@code [-]int.frac} is what {@link Double#toString} writes for its value: plain
   * notation (10⁻³ ≤ |x| < 10⁷), at most {@value #SURE_DIGITS} digits, no trailing zero
   * (except {@code x.0}).
   */
  static boolean shortestForm(char[] text, int from, int end) {
    int i = from;
    if (i < end && text[i] == '-') {
      i++;
    }
    int dot = -1;
    for (int k = i; k < end; k++) {
      if (text[k] == '.') {
        dot = k;
        break;
      }
    }
    if (dot < 0) {
      return false;
    }
    int intDigits = dot - i;
    int fracDigits = end - dot - 1;
    if (intDigits < 1 || fracDigits < 1 || intDigits + fracDigits > SURE_DIGITS) {
      return false;
    }
    boolean zeroInt = intDigits == 1 && text[i] == '0';
    if (!zeroInt && intDigits > 7) {
      return false;
    }
    if (text[end - 1] == '0') {
      return fracDigits == 1;
    }
    if (zeroInt) {
      // 0.00x at the least: below 10⁻³ Double.toString switches to E notation.
      return text[dot + 1] != '0' || (fracDigits >= 2 && text[dot + 2] != '0')
          || (fracDigits >= 3 && text[dot + 3] != '0');
    }
    return true;
  }

  private static IngestException outOfRange(JsonParser parser) throws IOException {
    String text = parser.getText();
    String clipped = text.length() <= 40 ? text : text.substring(0, 40) + "…";
    return new IngestException(ErrorCode.INVALID_JSON, "the number " + clipped
        + " at line " + parser.currentTokenLocation().getLineNr() + " is out of range (beyond ±1.8e308)");
  }
}
