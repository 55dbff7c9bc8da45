// Herald's status page: reads the admin API every few seconds, like any other client.
'use strict';

const params = new URLSearchParams(location.search);
const REFRESH_MS = Math.max(500, Number(params.get('refresh')) || 3000);
const SAMPLES = 36; // chart points: the admin API keeps three minutes of 5 s rates (GET /admin/rates)
const TOKEN_KEY = 'heraldAdminToken'; // sessionStorage: this tab only, never a cookie or a URL
let tap = null; // the running tap's AbortController

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined) node.setAttribute(k, v);
  });
  children.flat().forEach((c) => node.append(c instanceof Node ? c : document.createTextNode(c ?? '')));
  return node;
}

function headers(json) {
  const h = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) h.Authorization = 'Bearer ' + token;
  if (json) h['Content-Type'] = 'application/json';
  return h;
}

async function api(method, path, body) {
  const res = await fetch(path, { method, headers: headers(body !== undefined), cache: 'no-store', credentials: 'omit',
    body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401) { askToken(sessionStorage.getItem(TOKEN_KEY) ? 'That token was refused.' : ''); throw new Error('the admin token is required'); }
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.message || 'HTTP ' + res.status);
  return json;
}

function askToken(problem) {
  $('token-error').textContent = problem || '';
  if (!$('token-dialog').open) $('token-dialog').showModal();
}

$('token-form').addEventListener('submit', () => {
  sessionStorage.setItem(TOKEN_KEY, $('token-input').value);
  $('token-input').value = '';
  $('forget-token').hidden = false;
  refresh();
});
$('forget-token').addEventListener('click', () => { sessionStorage.removeItem(TOKEN_KEY); location.reload(); });
$('forget-token').hidden = !sessionStorage.getItem(TOKEN_KEY);

const pill = (text, cls) => el('span', { class: 'pill s-' + String(cls || text).toLowerCase() }, text);
const time = (iso) => iso ? new Date(iso).toLocaleTimeString() : '';
const rate = (v) => v < 10 ? v.toFixed(1) : Math.round(v).toString();

function spark(values) {
  const points = values.length > 1 ? values : [values[0], values[0]]; // one sample still draws a line
  const w = 140, h = 28, max = Math.max(1, ...points), step = w / (SAMPLES - 1);
  const xy = points.map((v, i) => `${(w - (points.length - 1 - i) * step).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'spark'); svg.setAttribute('width', w); svg.setAttribute('height', h);
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', xy.join(' '));
  const base = document.createElementNS('http://www.w3.org/2000/svg', 'line');
  base.setAttribute('class', 'base');
  base.setAttribute('x1', 0); base.setAttribute('x2', w); base.setAttribute('y1', h - 1); base.setAttribute('y2', h - 1);
  svg.append(base, line);
  return svg;
}

let rates = {}; // "destination:ID:delivered" / "source:ID:accepted" -> per-second rates, oldest first
const series = (key) => (rates[key] && rates[key].length ? rates[key] : [0]);
const latest = (key) => { const s = series(key); return s[s.length - 1]; };

function destinationRow(d) {
  const points = series(`destination:${d.id}:delivered`);
  const state = d.state.toLowerCase();
  const lag = d.lag < 0 ? 'unknown' : `${d.lag} events` + (d.lagSeconds == null ? '' : ` · ${d.lagSeconds.toFixed(1)} s`);
  const stored = d.deadLettersStored ?? 0;
  return el('tr', { 'data-destination': d.id },
    el('td', {}, el('strong', {}, d.id), el('div', { class: 'muted' }, d.type)),
    el('td', { class: 'state' }, pill(state, d.state)),
    el('td', { class: 'breaker' }, pill((d.breaker || '').toLowerCase().replace('_', '-'), d.breaker)),
    el('td', {}, spark(points), ' ', el('span', { class: 'rate num' }, rate(points[points.length - 1]))),
    el('td', { class: 'delivered num' }, String(d.delivered)),
    el('td', { class: 'lag num', 'data-lag': d.lag }, lag),
    el('td', { class: 'last-error' }, d.lastError ? [el('span', { class: 'error' }, d.lastError),
      el('div', { class: 'muted' }, d.lastErrorAt ? 'at ' + time(d.lastErrorAt) : '')] : el('span', { class: 'muted' }, 'none')),
    el('td', { class: 'dead-letters' },
      el('a', { href: '#', class: 'dead-letter-count', onclick: (e) => { e.preventDefault(); showDeadLetters(d.id); } }, String(stored)),
      ' ', el('button', { type: 'button', class: 'replay', onclick: () => replay(d.id) }, 'Replay')),
    el('td', {}, d.paused
      ? el('button', { type: 'button', class: 'resume', onclick: () => act(d.id, 'resume') }, 'Resume')
      : el('button', { type: 'button', class: 'pause', onclick: () => act(d.id, 'pause') }, 'Pause')));
}

function sourceRow(s) {
  return el('tr', { 'data-source': s.id }, el('td', {}, s.id),
    el('td', {}, spark(series(`source:${s.id}:accepted`)), ' ', el('span', { class: 'num' }, rate(latest(`source:${s.id}:accepted`)))),
    el('td', { class: 'num' }, rate(latest(`source:${s.id}:rejected`))), el('td', { class: 'accepted num' }, String(s.accepted)),
    el('td', { class: 'rejected num' }, String(s.rejected)));
}

function note(text, isError) {
  $('action-result').textContent = text;
  $('action-result').className = isError ? 'error' : 'muted';
}

async function act(id, action) {
  try {
    const answer = await api('POST', `/admin/destinations/${encodeURIComponent(id)}/${action}`);
    note(`${id}: ${action}d (now ${answer.state.toLowerCase()})`);
  } catch (e) { note(`${id}: ${action} failed: ${e.message}`, true); }
  refresh();
}

async function replay(id) {
  try {
    const answer = await api('POST', `/admin/destinations/${encodeURIComponent(id)}/dead-letters/replay`, {});
    note(`${id}: replay ${answer.replayId || ''} started, ${answer.selected ?? 0} dead letter(s) selected`);
  } catch (e) { note(`${id}: replay failed: ${e.message}`, true); }
  refresh();
}

async function showDeadLetters(id) {
  try {
    const answer = await api('GET', `/admin/destinations/${encodeURIComponent(id)}/dead-letters?limit=50`);
    $('dead-letter-destination').textContent = id;
    $('dead-letter-list').tBodies[0].replaceChildren(...answer.deadLetters.map((l) => el('tr', {},
      el('td', {}, l.messageId), el('td', {}, l.replay ? 'replayed: ' + (l.replay.outcome || '') : 'new'), el('td', {}, l.reason),
      el('td', {}, l.status ? String(l.status) : ''), el('td', {}, time(l.deadLetteredAt)))));
    $('dead-letter-panel').hidden = false;
  } catch (e) { note(`${id}: dead letters: ${e.message}`, true); }
}
$('dead-letter-close').addEventListener('click', () => { $('dead-letter-panel').hidden = true; });

async function refresh() {
  try {
    const [dest, ingest, history] = await Promise.all([api('GET', '/admin/destinations'), api('GET', '/admin/ingest'),
      api('GET', '/admin/rates')]);
    rates = history.rates;
    $('destinations').tBodies[0].replaceChildren(...dest.destinations.map(destinationRow));
    $('sources').tBodies[0].replaceChildren(...ingest.sources.map(sourceRow));
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    $('health').replaceWith(el('span', { id: 'health', class: 'pill s-up' }, 'up'));
    if (!$('dead-letter-panel').hidden) showDeadLetters($('dead-letter-destination').textContent);
  } catch (e) {
    $('updated').textContent = 'not updated: ' + e.message;
  }
}

$('trace-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const id = $('trace-input').value.trim();
  if (!id) return;
  const out = $('trace-result');
  try {
    const t = await api('GET', '/admin/trace/' + encodeURIComponent(id));
    const a = t.accepted;
    out.replaceChildren(el('dl', {},
      el('dt', {}, 'messageId'), el('dd', { class: 'trace-id' }, t.messageId),
      el('dt', {}, 'accepted'), el('dd', { class: 'trace-accepted' }, a
        ? `${time(a.at)} from ${a.source}, topic ${a.topic}${a.type ? ' (' + a.type + ')' : ''}, log partition ${a.partition} offset ${a.offset}`
        : 'older than the trace window'),
      t.destinations.flatMap((d) => [el('dt', {}, d.destination), el('dd', { 'data-trace-destination': d.destination },
        pill(d.state), ' ', traceDetail(d))])));
  } catch (err) {
    out.replaceChildren(el('p', { class: 'error trace-error' }, err.message));
  }
});

function traceDetail(d) {
  switch (d.state) {
    case 'delivered': return `at ${time(d.at)} in request #${d.request} (attempt ${d.attempts})`;
    case 'dead_lettered': return `at ${time(d.at)}: ${d.reason}${d.status ? ' (HTTP ' + d.status + ')' : ''}`;
    case 'pending': return `${d.attempts || 0} attempt(s)` + (d.nextAttemptAt ? `, next at ${time(d.nextAttemptAt)}` : '')
      + (d.reason ? `, last: ${d.reason}` : '') + (d.note ? ` (${d.note})` : '');
    case 'filtered': return 'its filter does not take this event';
    default: return d.note || '';
  }
}

$('tap-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const query = new URLSearchParams();
  new FormData($('tap-form')).forEach((v, k) => { if (String(v).trim()) query.set(k, String(v).trim()); });
  startTap(query);
});
$('tap-stop').addEventListener('click', () => tap && tap.abort());

// EventSource cannot send the Bearer header: read the server-sent events from fetch's stream.
async function startTap(query) {
  if (tap) tap.abort();
  const controller = tap = new AbortController();
  $('tap-start').disabled = true; $('tap-stop').disabled = false;
  $('tap-status').textContent = 'connecting…';
  try {
    const res = await fetch('/admin/tap?' + query, { headers: headers(false), signal: controller.signal, cache: 'no-store' });
    if (!res.ok) {
      const json = await res.json().catch(() => ({}));
      if (res.status === 401) askToken();
      throw new Error(json.message || 'HTTP ' + res.status);
    }
    $('tap-status').textContent = 'listening';
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '', dropped = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end); buffer = buffer.slice(end + 2);
        const name = (block.match(/^event: (.*)$/m) || [])[1];
        const data = (block.match(/^data: (.*)$/m) || [])[1];
        if (name === 'accepted') showTapped(JSON.parse(data));
        if (name === 'dropped') { dropped += JSON.parse(data).dropped; $('tap-status').textContent = `listening; ${dropped} dropped (rate bound; the log has them)`; }
      }
    }
    $('tap-status').textContent = 'the stream ended';
  } catch (e) {
    $('tap-status').textContent = controller.signal.aborted ? 'stopped' : 'tap failed: ' + e.message;
  } finally {
    if (tap === controller) { tap = null; $('tap-start').disabled = false; $('tap-stop').disabled = true; }
  }
}

function showTapped(t) {
  const list = $('tap-events');
  const name = t.payload && typeof t.payload.event === 'string' ? t.payload.event : '';
  list.prepend(el('li', { 'data-message-id': t.messageId },
    `${time(t.receivedAt)} ${t.source}/${t.topic} ${t.type || 'record'} ${name} `,
    el('a', { href: '#', onclick: (e) => { e.preventDefault(); $('trace-input').value = t.messageId; $('trace-button').click(); } }, t.messageId),
    el('div', { class: 'muted' }, JSON.stringify(t.payload))));
  while (list.children.length > 100) list.lastChild.remove();
}

refresh();
setInterval(refresh, REFRESH_MS);
// Links into the page: #trace=MESSAGE-ID opens that event's trace, #tap=event%3DOrder* starts a tap.
const linked = new URLSearchParams(location.hash.slice(1));
if (linked.get('trace')) {
  $('trace-input').value = linked.get('trace');
  $('trace-button').click();
}
if (linked.has('tap')) {
  const query = new URLSearchParams(linked.get('tap'));
  query.forEach((v, k) => { const input = $('tap-form').elements[k]; if (input) input.value = v; });
  startTap(query);
}
