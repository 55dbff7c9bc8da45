package dev.herald.launcher.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.bus.transform.TransformChain;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a {@code transforms:} list, written as in Fluvio connector files, and compiles it once:
 * <pre>
 * transforms:
 *   - uses: jolt                      # or infinyon/jolt@0.3.0
 *     with:
 *       spec:                         # a Jolt chain: a list, or the same as JSON text
 *         - { operation: shift, spec: { event: "events[0]" } }
 * </pre>
 * Every entry's Jolt operations form one chain, numbered from 1. {@code ${{ secrets.X }}} may
 * appear in any string of a spec; its value never appears in a message. Anything Herald does
 * not run (another SmartModule, an unknown key) is a problem, never skipped.
 */
final class TransformsConfig {

  private static final Pattern JOLT = Pattern.compile("jolt|infinyon/jolt(@[0-9A-Za-z.+-]+)?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Section section;
  private final String owner;
  private final Secrets secrets;
  private final List<String> secretValues = new ArrayList<>();

  private TransformsConfig(Section section, String owner, Secrets secrets) {
    this.section = section;
    this.owner = owner;
    this.secrets = secrets;
  }

  /**
   * The compiled chain of {@code section}'s {@code transforms:}, or null when there is none or it
   * has problems (recorded in {@code section}).
   *
   * @param owner names the destination in messages, e.g. {@code destination 'amplitude'}
   */
  static TransformChain read(Section section, String owner, Secrets secrets) {
    return new TransformsConfig(section, owner, secrets).read();
  }

  private TransformChain read() {
    JsonNode list = section.raw("transforms");
    if (list == null || (list.isArray() && list.isEmpty())) return null;
    if (!list.isArray()) {
      section.problem("transforms", "must be a list of { uses: jolt, with: { spec: [...] } }");
      return null;
    }
    List<Object> steps = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < list.size(); i++) {
      ok &= entry(list.get(i), "transforms[" + i + "]", steps, paths);
    }
    if (!ok) return null;
    TransformChain.Compiled compiled = TransformChain.compile(steps, secretValues);
    for (TransformChain.Problem p : compiled.problems()) {
      section.problem(paths.get(p.index()), owner + ": " + p.message());
    }
    return compiled.chain();
  }

  /** One {@code {uses, with}} entry; its Jolt operations go to {@code steps}, their paths to {@code paths}. */
  private boolean entry(JsonNode entry, String at, List<Object> steps, List<String> paths) {
    if (!entry.isObject()) {
      section.problem(at, "must be a mapping { uses: jolt, with: { spec: [...] } }");
      return false;
    }
    boolean ok = onlyKeys(entry, at, "uses", "with");
    JsonNode uses = entry.get("uses");
    if (uses == null || !uses.isTextual()) {
      section.problem(at + ".uses", "is required: jolt (or infinyon/jolt@<version>)");
      return false;
    }
    if (!JOLT.matcher(uses.textValue().trim()).matches()) {
      section.problem(at + ".uses", owner + ": unsupported transform '" + uses.textValue()
          + "': Herald runs Jolt transforms (uses: jolt or infinyon/jolt@<version>)");
      return false;
    }
    JsonNode with = entry.get("with");
    if (with == null || !with.isObject()) {
      section.problem(at + ".with", "is required: { spec: [ { operation: shift, spec: {...} }, ... ] }");
      return false;
    }
    ok &= onlyKeys(with, at + ".with", "spec");
    JsonNode spec = specList(with.get("spec"), at + ".with.spec");
    if (spec == null) return false;
    for (int j = 0; j < spec.size(); j++) {
      Object step = plain(spec.get(j), at + ".with.spec[" + j + "]");
      if (step == null && !spec.get(j).isNull()) ok = false; // a missing secret, already reported
      steps.add(step);
      paths.add(at + ".with.spec[" + j + "]");
    }
    return ok;
  }

  /** The spec as a list node: written as a YAML list, or as JSON text (a string parameter). */
  private JsonNode specList(JsonNode spec, String at) {
    if (spec != null && spec.isTextual()) {
      try {
        spec = JSON.readTree(spec.textValue());
      } catch (JsonProcessingException e) {
        section.problem(at, "is text but not JSON: " + e.getOriginalMessage());
        return null;
      }
    }
    if (spec == null || !spec.isArray() || spec.isEmpty()) {
      section.problem(at, "must be a non-empty list of Jolt operations ({ operation: shift, spec: {...} })");
      return null;
    }
    return spec;
  }

  private boolean onlyKeys(JsonNode node, String at, String... known) {
    boolean ok = true;
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!List.of(known).contains(name)) {
        section.problem(at + "." + name, "unknown key (known keys: " + String.join(", ", known) + ")");
        ok = false;
      }
    }
    return ok;
  }

  /** The node as the maps, lists and values Jolt works on, strings' secrets resolved; null on a missing secret. */
  private Object plain(JsonNode n, String at) {
    if (n.isObject()) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        Object v = plain(e.getValue(), at + "." + e.getKey());
        if (v == null && !e.getValue().isNull()) return null;
        out.put(e.getKey(), v);
      }
      return out;
    }
    if (n.isArray()) {
      List<Object> out = new ArrayList<>(n.size());
      for (int i = 0; i < n.size(); i++) {
        Object v = plain(n.get(i), at + "[" + i + "]");
        if (v == null && !n.get(i).isNull()) return null;
        out.add(v);
      }
      return out;
    }
    if (n.isTextual()) return resolve(n.textValue(), at);
    if (n.isNull()) return null;
    if (n.isBoolean()) return n.booleanValue();
    return n.numberValue();
  }

  private String resolve(String text, String at) {
    if (!Secrets.references(text)) return text;
    boolean[] missing = {false};
    String resolved = secrets.resolve(text, name -> {
      missing[0] = true;
      section.problem(at, "secret '" + name + "' is not set");
    });
    secretValues.addAll(secrets.values(text));
    return missing[0] ? null : resolved;
  }
}
