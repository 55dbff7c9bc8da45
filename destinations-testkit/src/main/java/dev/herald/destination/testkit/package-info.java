/**
 * Test support for destination plugins (depend on it with scope {@code test}):
 * {@link dev.herald.destination.testkit.DestinationHarness} runs a plugin inside Herald's real
 * runner against a {@link dev.herald.destination.testkit.ScriptedServer} and checks the
 * framework's contract; {@link dev.herald.destination.testkit.TestDestinationContext} is what
 * Herald hands a plugin; {@link dev.herald.destination.testkit.Await} waits with a deadline;
 * {@link dev.herald.destination.testkit.ConfigDocs} keeps a README's config table equal to the spec.
 */
package dev.herald.destination.testkit;
