/**
 * The {@code amplitude} destination: Amplitude's HTTP V2 ({@code /2/httpapi}) and Batch
 * ({@code /batch}) APIs, with Segment-to-Amplitude mapping and classification by the
 * response body's {@code code}.
 *
 * <p>Coming in a later change. Until then this plugin deliberately contains no
 * {@code DestinationFactory} extension, so no destination can be configured with
 * {@code type: amplitude} and half-built behaviour can never receive events: a config
 * naming it fails at start-up as an unknown type. The JAR is still a valid PF4J plugin
 * (manifest only, no {@code Plugin-Class}), which keeps the build and the plugins folder
 * in their final shape.
 */
package dev.herald.destination.amplitude;
