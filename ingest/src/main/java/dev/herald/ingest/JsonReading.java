package dev.herald.ingest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.base.ParserBase;
import dev.herald.ingest.ScannedObject.Kind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pass of Jackson's streaming parser over a body. Every token is read, so every limit holds
 * for every value, but only the members Herald inspects are built as values; the rest become
 * byte ranges of the body ({@link ScannedObject}), marked for copying as they are when they are
 * already compact JSON as Herald would write it. Their strings are not decoded: Jackson skips
 * them, and one read of their bytes bounds them and judges the whole range. An overlong string
 * does not stop the pass: it is noted, so that a batch item holding one is rejected alone.
 */
final class JsonReading {

  /**
   * What a shallow view of an object opens: the members it parses and those it views. An event's
   * members are told by their {@link EventFields} field instead.
   */
  enum Mode {
    EVENT(Set.of()),
    RECORD(Set.of("messageId", "key")),
    CONTEXT(Set.of("ip")),
    INTEGRATIONS(Set.of());

    final Set<String> parsed;

    Mode(Set<String> parsed) {
      this.parsed = parsed;
    }

    boolean parses(String name) {
      return !parsed.isEmpty() && parsed.contains(name);
    }
  }

  private final IngestJson json;
  private final JsonParser parser;
  private final byte[] body;
  private final NameSets names = new NameSets();
  private IngestException overlong;

  JsonReading(IngestJson json, JsonParser parser, byte[] body) {
    this.json = json;
    this.parser = parser;
    this.body = body;
  }

  /** The noted overlong-string error since the last call, cleared. */
  IngestException takeOverlong() {
    IngestException noted = overlong;
    overlong = null;
    return noted;
  }

  void requireBounded() {
    if (overlong != null) {
      throw overlong;
    }
  }

  /** The object starting at the current token as a shallow view, leaving the parser on its end. */
  ScannedObject object(Mode mode) throws IOException {
    if (mode == Mode.EVENT) {
      return event();
    }
    ScannedObject view = new ScannedObject(offset());
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = bounded(parser.currentName());
      JsonToken token = parser.nextToken();
      int start = offset();
      if (mode.parses(name) && (mode != Mode.CONTEXT || token == JsonToken.VALUE_STRING)) {
        Object value = value();
        int end = end();
        view.put(name, compactString(value, start, end) ? Kind.RAW : Kind.PARSED, value, start, end);
      } else {
        putRaw(view, name, token, start);
      }
    }
    return view;
  }

  /**
   * An event's view: each member's field is told once from its name, and the members of known
   * fields go where {@link EventFields} keeps them, without a look-up by name.
   */
  private ScannedObject event() throws IOException {
    // An event gets up to four members from Herald (receivedAt, timestamp, originalTimestamp, sentAt…).
    ScannedObject view = new ScannedObject(offset(), 16);
    EventFields fields = new EventFields(view);
    view.fields(fields);
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = bounded(parser.currentName());
      JsonToken token = parser.nextToken();
      int start = offset();
      int field = EventFields.field(name);
      if (field < 0) {
        putRaw(view, name, token, start);
      } else if (EventFields.parsed(field)) {
        Object value = value();
        if (token == JsonToken.VALUE_STRING) {
          // Jackson has read it whole: its end and whether it is compact are one read of its bytes.
          int end = string(start, false);
          fields.set(field, stringCompact ? Kind.RAW : Kind.PARSED, value, start, end);
        } else {
          fields.set(field, Kind.PARSED, value, start, end());
        }
      } else if (token == JsonToken.START_OBJECT
          && (field == EventFields.CONTEXT || field == EventFields.INTEGRATIONS)) {
        ScannedObject nested = object(field == EventFields.CONTEXT ? Mode.CONTEXT : Mode.INTEGRATIONS);
        fields.set(field, Kind.VIEW, nested, start, end());
      } else {
        boolean compact = skipRaw(start);
        fields.set(field, compact ? Kind.RAW : Kind.RAW_REENCODED, marker(token), start, rawEnd);
      }
    }
    return view;
  }

  /** A string already in compact form is copied as sent; other values are written again. */
  private boolean compactString(Object value, int start, int end) {
    return value instanceof String && scan(start, end, false);
  }

  private void putRaw(ScannedObject view, String name, JsonToken token, int start) throws IOException {
    boolean compact = skipRaw(start);
    view.put(name, compact ? Kind.RAW : Kind.RAW_REENCODED, marker(token), start, rawEnd);
  }

  /** What a skipped value stands for in the rules: an object, null, or anything else. */
  private static Object marker(JsonToken token) {
    return token == JsonToken.START_OBJECT ? ScannedObject.OBJECT
        : token == JsonToken.VALUE_NULL ? null : ScannedObject.NOT_OBJECT;
  }

  /**
   * Reads past the value at the current token (Jackson checks every token); whether its names and
   * numbers are as Herald would write them. Strings are left to Jackson to skip without decoding
   * them: {@link #scan} bounds them and judges their bytes, names included.
   */
  private boolean skip(int depth) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == null) {
      throw new JsonParseException(parser, "unexpected end of input");
    }
    switch (token) {
      case START_OBJECT: {
        boolean compact = true;
        NameSets.Names seen = names.at(depth);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          // A repeated name is stored once (the last value), so the bytes are not what is stored.
          compact &= seen.add(parser.currentName());
          parser.nextToken();
          compact &= skip(depth + 1);
        }
        return compact;
      }
      case START_ARRAY: {
        boolean compact = true;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          compact &= skip(depth + 1);
        }
        return compact;
      }
      case VALUE_STRING:
        return true;
      case VALUE_NUMBER_INT:
        // "-0" reads as 0; every other integer is written back as sent.
        return !(parser.getTextLength() == 2 && parser.getTextCharacters()[parser.getTextOffset()] == '-'
            && parser.getTextCharacters()[parser.getTextOffset() + 1] == '0');
      case VALUE_NUMBER_FLOAT:
        return Decimals.checkedCompact(parser);
      case VALUE_TRUE, VALUE_FALSE, VALUE_NULL:
        return true;
      default:
        throw new JsonParseException(parser, "unexpected token " + token);
    }
  }

  /** Builds the value starting at the current token, leaving the parser on its last token. */
  Object value() throws IOException {
    JsonToken token = parser.currentToken();
    if (token == null) {
      throw new JsonParseException(parser, "unexpected end of input");
    }
    return switch (token) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = bounded(parser.currentName());
          parser.nextToken();
          map.put(name, value());
        }
        yield new JsonObject(map);
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(value());
        }
        yield new JsonArray(list);
      }
      case VALUE_STRING -> bounded(parser.getText());
      case VALUE_NUMBER_INT -> parser.getNumberValue();
      case VALUE_NUMBER_FLOAT -> Decimals.finite(parser);
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new JsonParseException(parser, "unexpected token " + token);
    };
  }

  /** The text, or an empty placeholder once the breach is noted. */
  String bounded(String text) {
    return boundedLength(text.length()) ? text : "";
  }

  private boolean boundedLength(int length) {
    if (length > json.maxStringLength) {
      if (overlong == null) {
        overlong = new IngestException(ErrorCode.STRING_TOO_LONG, "a JSON string has " + length
            + " characters, over maxStringLength (" + json.maxStringLength + ")");
      }
      return false;
    }
    return true;
  }

  boolean currentIsObject() {
    return parser.currentToken() == JsonToken.START_OBJECT;
  }

  /**
   * Where the current token (a value, never a name) starts in the body. Jackson's byte parser
   * gives a value token's location as its token offset less one; read without building the
   * JsonLocation, which costs more than the rest of a member's bookkeeping.
   */
  int offset() {
    return parser instanceof ParserBase base
        ? (int) (base.getTokenCharacterOffset() - 1)
        : (int) parser.currentTokenLocation().getByteOffset();
  }

  /** Where the value just read ends in the body. */
  int end() {
    return (int) parser.currentLocation().getByteOffset();
  }

  /**
   * Reads past the value starting at {@code start} (the current token) without building it: its
   * end is then in {@link #rawEnd}, every string in it is bounded, and the answer tells whether
   * its bytes are what Herald would write.
   */
  boolean skipRaw(int start) throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_STRING) {
      // Not read yet (Jackson skips it with the next token): its end is found here.
      rawEnd = string(start, true);
      return stringCompact;
    }
    boolean compact = skip(0);
    rawEnd = end();
    return scan(start, rawEnd, true) & compact;
  }

  /**
   * No whitespace between tokens, no escape in a string and no character beyond the BMP (Jackson
   * writes those as a pair of {@code \\u} escapes): the bytes Jackson would write. With
   * {@code bound}, every string's length in UTF-16 units (what Jackson would read) is held to
   * {@code maxStringLength}. Every byte is looked at, so that every string is bounded.
   */
  private boolean scan(int start, int end, boolean bound) {
    boolean compact = true;
    int i = start;
    while (i < end) {
      byte b = body[i];
      if (b == '"') {
        i = string(i, bound);
        compact &= stringCompact;
      } else {
        compact &= b != ' ' && b != '\n' && b != '\r' && b != '\t';
        i++;
      }
    }
    return compact;
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /** Set by {@link #string}: whether the string holds neither an escape nor a character beyond the BMP. */
  private boolean stringCompact;
  /** Set by {@link #skipRaw}: where the value skipped ends. */
  int rawEnd;

  /**
   * Reads the string whose opening quote is at {@code open}, eight plain ASCII bytes at a time;
   * the offset past its closing quote. A malformed string (which Jackson refuses) reads to some
   * offset within the body.
   */
  private int string(int open, boolean bound) {
    byte[] bytes = body;
    int limit = bytes.length;
    int i = open + 1;
    // Bytes beyond the UTF-16 units they stand for: escapes and multi-byte characters.
    int extra = 0;
    boolean compact = true;
    while (true) {
      while (i + 8 <= limit) {
        long word = (long) LONGS.get(bytes, i);
        long quote = word ^ 0x2222222222222222L;
        long slash = word ^ 0x5C5C5C5C5C5C5C5CL;
        // A byte that is '"', '\\' or non-ASCII has its high bit set here; a false mark can only
        // follow a real one, so the lowest mark is the first such byte.
        long marks = (((quote - ONES) & ~quote) | ((slash - ONES) & ~slash) | word) & HIGHS;
        if (marks != 0) {
          i += Long.numberOfTrailingZeros(marks) >>> 3;
          break;
        }
        i += 8;
      }
      if (i >= limit) {
        i = limit;
        break;
      }
      int b = bytes[i];
      if (b == '"') {
        i++;
        break;
      }
      if (b == '\\') {
        compact = false;
        boolean unicode = i + 1 < limit && bytes[i + 1] == 'u';
        i += unicode ? 6 : 2;
        extra += unicode ? 5 : 1;
        continue;
      }
      if (b >= 0) {
        i++;
        continue;
      }
      int lead = b & 0xFF;
      if (lead >= 0xC0 && lead < 0xE0) {
        i += 2;
        extra += 1;
      } else if (lead >= 0xE0 && lead < 0xF0) {
        i += 3;
        extra += 2;
      } else if (lead >= 0xF0 && lead < 0xF8) {
        // Beyond the BMP: Jackson writes it as two escapes.
        compact = false;
        i += 4;
        extra += 2;
      } else {
        i++;
      }
    }
    i = Math.min(i, limit);
    stringCompact = compact;
    if (bound) {
      // Quotes aside, each byte is one unit but for the extra ones.
      int units = Math.max(0, i - open - 2 - extra);
      boundedLength(units);
    }
    return i;
  }
}
