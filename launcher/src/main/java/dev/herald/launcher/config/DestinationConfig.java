package dev.herald.launcher.config;

import dev.herald.bus.router.DeliveryPolicy;
import dev.herald.bus.transform.TransformChain;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * One entry of {@code destinations:} as written, before its plugin's spec is applied.
 *
 * @param sources source ids to take events from; empty means all
 * @param config the {@code config:} block with secrets resolved
 * @param secretKeys top-level {@code config} keys whose value came from a secret, masked in any output
 * @param transforms the compiled {@code transforms:} chain, or null when there is none
 */
public record DestinationConfig(String id, String type, List<String> topics, List<String> sources,
    List<String> include, List<String> exclude, JsonObject config, Set<String> secretKeys, DeliveryPolicy delivery,
    TransformChain transforms) {

  public DestinationConfig {
    topics = List.copyOf(topics);
    sources = List.copyOf(sources);
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    secretKeys = Set.copyOf(secretKeys);
  }

  /** A destination without transforms. */
  public DestinationConfig(String id, String type, List<String> topics, List<String> sources, List<String> include,
      List<String> exclude, JsonObject config, Set<String> secretKeys, DeliveryPolicy delivery) {
    this(id, type, topics, sources, include, exclude, config, secretKeys, delivery, null);
  }

  /** The config block safe to show: values that came from secrets replaced by {@code ******}. */
  public JsonObject redactedConfig() {
    JsonObject out = config.copy();
    secretKeys.forEach(k -> out.put(k, "******"));
    return out;
  }

  @Override
  public String toString() {
    return "DestinationConfig[id=" + id + ", type=" + type + ", topics=" + topics + ", sources=" + sources
        + ", config=" + redactedConfig().encode() + ", delivery=" + delivery
        + (transforms == null ? "" : ", transforms=" + transforms) + "]";
  }
}
