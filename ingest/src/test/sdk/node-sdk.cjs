// Runs one of the Node SDKs, unchanged, against Herald: node node-sdk.cjs <segment|rudderstack> <host> <writeKey> <calls.json>
// Each call of calls.json (written by the Java test) becomes the SDK's own method call; the last
// line printed is {"messageIds":[…],"errors":[…]}: the ids the SDK reports (when it does) and any error.
'use strict';
const fs = require('fs');

const [sdk, host, writeKey, callsFile] = process.argv.slice(2);
const calls = JSON.parse(fs.readFileSync(callsFile, 'utf8'));
const messageIds = [];
const errors = [];

function segment() {
  const { Analytics } = require('@segment/analytics-node');
  const analytics = new Analytics({ writeKey, host, flushAt: 15, flushInterval: 500 });
  analytics.on('error', (err) => errors.push('error event: ' + (err && (err.reason || err.message || err.code))));
  const sent = calls.map((call) => new Promise((resolve) => {
    const { type, ...fields } = call;
    analytics[type](fields, (err, ctx) => {
      if (err) errors.push(type + ': ' + (err.reason || err.message || err));
      else messageIds.push(ctx.event.messageId);
      resolve();
    });
  }));
  return Promise.all(sent).then(() => analytics.closeAndFlush({ timeout: 20000 }));
}

function rudderstack() {
  const Analytics = require('@rudderstack/rudder-sdk-node');
  const client = new Analytics(writeKey, { dataPlaneUrl: host, flushAt: 15, flushInterval: 500 });
  for (const call of calls) {
    const { type, ...fields } = call;
    client[type](fields, (err) => { if (err) errors.push(type + ': ' + (err.message || err)); });
  }
  // The SDK's batches go out one after another; flush until its queue is empty.
  const drain = () => client.flush().then(() => (client.queue.length > 0 ? drain() : undefined));
  return drain();
}

const run = sdk === 'segment' ? segment : sdk === 'rudderstack' ? rudderstack : null;
if (!run) {
  console.error('unknown sdk ' + sdk);
  process.exit(2);
}
const deadline = setTimeout(() => {
  errors.push('timed out after 30 s');
  console.log(JSON.stringify({ messageIds, errors }));
  process.exit(1);
}, 30000);
run().then(() => {
  clearTimeout(deadline);
  // Callbacks run on setImmediate after a flush: let them land before reporting.
  setTimeout(() => console.log(JSON.stringify({ messageIds, errors })), 200);
}, (err) => {
  clearTimeout(deadline);
  const body = err && err.response && err.response.data;
  errors.push('failed: ' + (err && (err.message || err)) + (body ? ' ' + JSON.stringify(body) : ''));
  console.log(JSON.stringify({ messageIds, errors }));
  process.exitCode = 1;
});
