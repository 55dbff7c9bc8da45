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
 * @param startFrom where it starts when it has no stored position
 */
public record DestinationConfig(String id, String type, List<String> topics, List<String> sources,
    List<String> include, List<String> exclude, JsonObject config, Set<String> secretKeys, DeliveryPolicy delivery,
    TransformChain transforms, StartFrom startFrom) {

  public DestinationConfig {
    startFrom = startFrom == null ? StartFrom.DEFAULT : startFrom;
    topics = List.copyOf(topics);
    sources = List.copyOf(sources);
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    secretKeys = Set.copyOf(secretKeys);
  }

  /** A destination starting where destinations start by default. */
  public DestinationConfig(String id, String type, List<String> topics, List<String> sources, List<String> include,
      List<String> exclude, JsonObject config, Set<String> secretKeys, DeliveryPolicy delivery,
      TransformChain transforms) {
    this(id, type, topics, sources, include, exclude, config, secretKeys, delivery, transforms, StartFrom.DEFAULT);
  }

  /** Whether it runs the same as {@code other}: everything but {@code startFrom} (which only matters before it has a position). */
  public boolean runsLike(DestinationConfig other) {
    return id.equals(other.id) && java.util.Objects.equals(type, other.type) && topics.equals(other.topics)
        && sources.equals(other.sources) && include.equals(other.include) && exclude.equals(other.exclude)
        && config.equals(other.config) && secretKeys.equals(other.secretKeys)
        && java.util.Objects.equals(delivery, other.delivery) && java.util.Objects.equals(transforms, other.transforms);
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
