/**
 * The {@code amplitude} destination: Amplitude's HTTP V2 ({@code /2/httpapi}) and Batch
 * ({@code /batch}) APIs, with Segment-to-Amplitude mapping ({@link dev.herald.destination.amplitude.SegmentMapper}),
 * requests cut on their encoded size ({@link dev.herald.destination.amplitude.RequestEncoder}) and
 * classification by the response body's {@code code} ({@link dev.herald.destination.amplitude.ResponseClassifier}).
 */
package dev.herald.destination.amplitude;
