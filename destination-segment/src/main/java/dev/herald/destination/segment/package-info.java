/**
 * The {@code segment} destination: Segment's Tracking API {@code /v1/batch} with the write key as
 * Basic auth, stored events forwarded as they are ({@link dev.herald.destination.segment.SegmentMessages}),
 * requests cut on their encoded size ({@link dev.herald.destination.segment.BatchBody}) and answers
 * read by status ({@link dev.herald.destination.segment.Answer}).
 */
package dev.herald.destination.segment;
