package dev.herald.ingest;

/**
 * Client-supplied text made fit for Herald's log: control characters (an ESC sequence can
 * rewrite an operator's terminal, a newline can forge a log line) are written as {@code \xNN}
 * or {@code \}{@code uNNNN} escapes, and the text is clipped so one request cannot flood the log.
 */
final class LogSafe {

  static final int MAX_LENGTH = 200;

  private LogSafe() {}

  static String escape(Object value) {
    if (value == null) {
      return "null";
    }
    String text = value.toString();
    int end = Math.min(text.length(), MAX_LENGTH);
    StringBuilder out = null;
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (needsEscape(c)) {
        if (out == null) {
          out = new StringBuilder(end + 16).append(text, 0, i);
        }
        out.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    String escaped = out == null ? text.substring(0, end) : out.toString();
    return text.length() > MAX_LENGTH ? escaped + "…" : escaped;
  }

  /** C0 and C1 controls, DEL, and the Unicode line separators and bidirectional overrides. */
  private static boolean needsEscape(char c) {
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
  }
}
