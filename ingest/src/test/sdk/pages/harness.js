// Shared by the SDK pages: reads the page's settings from its query string, loads the calls the
// Java test wrote, and records what happened in window.__herald for the test to poll.
'use strict';
window.__herald = { ready: false, done: false, messageIds: [], errors: [] };
window.addEventListener('error', (e) => window.__herald.errors.push('error: ' + e.message));
window.addEventListener('unhandledrejection', (e) => window.__herald.errors.push('rejection: ' + (e.reason && (e.reason.message || e.reason))));

window.heraldSettings = function heraldSettings() {
  const q = new URLSearchParams(location.search);
  return { herald: q.get('herald'), writeKey: q.get('writeKey'), mode: q.get('mode') || 'default' };
};

window.heraldCalls = function heraldCalls() {
  return fetch('/calls.json', { cache: 'no-store' }).then((r) => r.json());
};

window.heraldFinish = function heraldFinish(promise) {
  promise.then(() => { window.__herald.done = true; },
    (err) => { window.__herald.errors.push('failed: ' + (err && (err.message || err))); window.__herald.done = true; });
};

// A spy, not a change: records which page-exit transport the SDK used (sendBeacon, or fetch with
// keepalive) in sessionStorage, which the test reads on the next page of this origin.
(function spyOnExitTransports() {
  const record = (api, url) => {
    const seen = JSON.parse(sessionStorage.getItem('herald-exit') || '[]');
    seen.push(api + ' ' + url);
    sessionStorage.setItem('herald-exit', JSON.stringify(seen));
  };
  const sendBeacon = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (url, data) => { record('sendBeacon', String(url)); return sendBeacon(url, data); };
  const originalFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    if (init && init.keepalive) record('fetch-keepalive', String(input && input.url ? input.url : input));
    return originalFetch(input, init);
  };
})();
