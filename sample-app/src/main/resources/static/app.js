// The sample's page: plain JavaScript against the file API (/files) and /actuator/storage.
// No library: the page works offline, and its Content Security Policy allows only its own files.
'use strict';

const rows = document.getElementById('file-rows');
const more = document.getElementById('more');
let nextStartAfter = null;

function formatBytes(n) {
  if (n < 0) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

// Each segment is encoded, so names with spaces, '#', '?', '%' or '+' reach the server intact.
function fileUrl(path) {
  return '/files/' + path.split('/').map(encodeURIComponent).join('/');
}

function row(entry) {
  const tr = document.createElement('tr');
  tr.dataset.path = entry.path;
  const name = document.createElement('td');
  const link = document.createElement('a');
  link.textContent = entry.path;
  link.href = fileUrl(entry.path) + '?download';
  link.className = 'download';
  name.appendChild(link);
  const size = document.createElement('td');
  size.className = 'num';
  size.textContent = formatBytes(entry.size);
  const modified = document.createElement('td');
  modified.textContent = entry.lastModified ? new Date(entry.lastModified).toLocaleString() : '';
  const actions = document.createElement('td');
  const del = document.createElement('button');
  del.textContent = 'Delete';
  del.className = 'small danger delete';
  del.addEventListener('click', async () => {
    const response = await fetch(fileUrl(entry.path), { method: 'DELETE' });
    if (response.ok) tr.remove();
  });
  actions.appendChild(del);
  tr.append(name, size, modified, actions);
  return tr;
}

async function loadFiles(append) {
  const params = new URLSearchParams({ recursive: 'true', limit: '100' });
  if (append && nextStartAfter) params.set('startAfter', nextStartAfter);
  const response = await fetch('/files?' + params);
  const page = await response.json();
  if (!append) rows.replaceChildren();
  for (const entry of page.entries) rows.appendChild(row(entry));
  if (!append && page.entries.length === 0) {
    rows.innerHTML = '<tr><td colspan="4" class="muted">No files yet.</td></tr>';
  }
  nextStartAfter = page.nextStartAfter;
  more.hidden = !nextStartAfter;
}

// XMLHttpRequest, not fetch: only it reports upload progress.
function upload(file) {
  return new Promise((resolve) => {
    const box = document.createElement('div');
    box.className = 'progress';
    box.innerHTML = '<span></span><progress max="100" value="0"></progress>';
    box.querySelector('span').textContent = file.name;
    document.getElementById('progress-list').appendChild(box);
    const bar = box.querySelector('progress');
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', fileUrl(file.name));
    if (file.type) xhr.setRequestHeader('Content-Type', file.type);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = 100 * e.loaded / e.total; };
    xhr.onload = () => {
      bar.value = 100;
      box.querySelector('span').textContent = file.name + (xhr.status === 201 ? ' ✓' : ' failed: ' + xhr.status);
      box.dataset.status = String(xhr.status);
      resolve();
    };
    xhr.onerror = () => { box.querySelector('span').textContent = file.name + ' failed'; resolve(); };
    xhr.send(file);
  });
}

document.getElementById('upload-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = document.getElementById('file-input');
  await Promise.all(Array.from(input.files).map(upload));
  input.value = '';
  await loadFiles(false);
});
document.getElementById('refresh').addEventListener('click', () => loadFiles(false));
more.addEventListener('click', () => loadFiles(true));

// ---- Live throughput: one chart block per storage, drawn as SVG from /actuator/storage/{name}/history ----

const SVG_NS = 'http://www.w3.org/2000/svg';
const POLL_MS = 1000;          // the history's resolution: one complete second
const RETRY_MS = 5000;         // while the actuator cannot be reached
const WINDOW_MS = 300 * 1000;  // the whole per-second series: 5 minutes
const WIDTH = 880;             // SVG user units; the SVG scales to the panel's width
const MARGIN = { left: 84, right: 14 };
const THROUGHPUT = { height: 250, top: 12, bottom: 38 };
const LATENCY = { height: 140, top: 10, bottom: 38 };

const charts = new Map();      // storage name -> its block
let pollTimer = null;
let polling = false;
let pausedWhileHidden = false;
let reachable = null;

function svg(name, attributes, parent) {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes || {})) element.setAttribute(key, String(value));
  if (parent) parent.appendChild(element);
  return element;
}

function html(name, className, text, parent) {
  const element = document.createElement(name);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  if (parent) parent.appendChild(element);
  return element;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

function formatRate(bytesPerSecond) {
  return formatBytes(Math.round(bytesPerSecond)) + '/s';
}

function formatNumber(v) {
  return String(Number(v.toPrecision(3)));
}

function formatMillis(ms) {
  return (ms >= 100 ? String(Math.round(ms)) : formatNumber(ms)) + ' ms';
}

function formatClock(epochMillis) {
  return new Date(epochMillis).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

// 1, 2, 2.5, 5 or 10 times a power of ten, at least raw
function niceStep(raw) {
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * power;
}

// An axis from 0 to a round value a little above max (peaks stay below the top), about four steps,
// labelled in one unit.
function niceAxis(max, unit, unitName) {
  const m = max / unit;
  const step = niceStep(m / 4);
  const top = Math.max(step, Math.ceil(1.05 * m / step) * step);
  const ticks = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push({ value: v * unit, label: formatNumber(v) + ' ' + unitName });
  return { top: top * unit, ticks };
}

function bytesAxis(maxBytesPerSecond) {
  const max = Math.max(maxBytesPerSecond, 1024);
  let i = 0;
  while (i < BYTE_UNITS.length - 1 && max >= 1024 ** (i + 1)) i++;
  return niceAxis(max, 1024 ** i, BYTE_UNITS[i] + '/s');
}

function millisAxis(maxMillis) {
  return niceAxis(Math.max(maxMillis, 1), 1, 'ms');
}

function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}

function createBlock(name) {
  const block = html('article', 'storage-chart');
  block.dataset.storage = name;
  block.dataset.updated = '0';
  const heading = html('h3', null, undefined, block);
  html('span', 'storage-name', name, heading);
  const where = html('span', 'muted storage-where', '', heading);

  const stats = html('dl', 'stats', undefined, block);
  const stat = (label, id) => {
    const cell = html('div', null, undefined, stats);
    html('dt', null, label, cell);
    const dd = html('dd', null, '–', cell);
    if (charts.size === 0) dd.id = id; // the first storage keeps the page's original ids
    return dd;
  };
  const totals = {
    read: stat('Read, last minute', 'stat-read'),
    write: stat('Written, last minute', 'stat-write'),
    ops: stat('Operations', 'stat-ops'),
    errors: stat('Errors', 'stat-errors'),
  };

  const legend = html('ul', 'legend', undefined, block);
  const item = (key, label) => {
    const li = html('li', key, undefined, legend);
    html('span', 'swatch', undefined, li);
    html('span', null, label + ' ', li);
    return html('strong', 'value', '–', li);
  };
  const latest = {
    when: null,
    read: item('read', 'Read'),
    written: item('written', 'Written'),
    errors: item('errors', 'Errors in 5 min'),
    p50: item('p50', 'Latency p50'),
    p99: item('p99', 'p99'),
  };
  latest.when = html('li', 'when muted', '', legend);

  const throughput = svg('svg', { class: 'chart throughput', viewBox: `0 0 ${WIDTH} ${THROUGHPUT.height}`, role: 'img' }, block);
  const latency = svg('svg', { class: 'chart latency', viewBox: `0 0 ${WIDTH} ${LATENCY.height}`, role: 'img' }, block);
  const note = html('p', 'muted small-text note', '', block);
  note.hidden = true;
  const entry = { block, where, totals, latest, throughput, latency, note, updates: 0 };
  charts.set(name, entry);
  document.getElementById('charts').appendChild(block);
  return entry;
}

// x of an instant in the window [end - 5 min, end]
function xOf(t, end) {
  const left = MARGIN.left;
  const right = WIDTH - MARGIN.right;
  const clamped = Math.min(end, Math.max(end - WINDOW_MS, t));
  return left + (right - left) * (clamped - (end - WINDOW_MS)) / WINDOW_MS;
}

// Grid, y ticks with units and the time axis (minutes before the last complete second).
function drawAxes(root, box, axis, end, title) {
  const left = MARGIN.left;
  const right = WIDTH - MARGIN.right;
  const bottom = box.height - box.bottom;
  const yOf = (v) => bottom - (bottom - box.top) * v / axis.top;
  svg('title', {}, root).textContent = title;
  const grid = svg('g', { class: 'grid' }, root);
  const labels = svg('g', { class: 'axis' }, root);
  for (const tick of axis.ticks) {
    const y = yOf(tick.value);
    svg('line', { x1: left, x2: right, y1: y, y2: y }, grid);
    svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, labels).textContent = tick.label;
  }
  for (let minute = 5; minute >= 0; minute--) {
    const x = xOf(end - minute * 60000, end);
    svg('line', { x1: x, x2: x, y1: box.top, y2: bottom }, grid);
    const anchor = minute === 5 ? 'start' : minute === 0 ? 'end' : 'middle';
    svg('text', { x, y: bottom + 15, 'text-anchor': anchor }, labels).textContent = minute === 0 ? 'now' : '−' + minute + ' min';
  }
  svg('line', { class: 'baseline', x1: left, x2: right, y1: bottom, y2: bottom }, root);
  svg('text', { class: 'axis-title', x: (left + right) / 2, y: box.height - 4, 'text-anchor': 'middle' }, root)
    .textContent = 'time: the last 5 minutes, until ' + formatClock(end);
  return yOf;
}

function yTitle(root, box, text) {
  const y = (box.top + box.height - box.bottom) / 2;
  svg('text', { class: 'axis-title', x: 12, y, 'text-anchor': 'middle', transform: `rotate(-90 12 ${y})` }, root)
    .textContent = text;
}

function drawThroughput(entry, perSecond, end) {
  const root = entry.throughput;
  root.replaceChildren();
  const read = perSecond.readBytesPerSecond;
  const written = perSecond.writtenBytesPerSecond;
  const errors = perSecond.errorsPerSecond;
  const axis = bytesAxis(Math.max(0, ...read, ...written));
  const bottom = THROUGHPUT.height - THROUGHPUT.bottom;
  const title = `Bytes read and written per second by storage ${entry.block.dataset.storage} over the last 5 minutes`
    + ` (scale up to ${formatRate(axis.top)}); last second: read ${formatRate(read.at(-1) || 0)},`
    + ` written ${formatRate(written.at(-1) || 0)}; ${sum(errors)} errors in 5 minutes`;
  root.setAttribute('aria-label', title);
  const yOf = drawAxes(root, THROUGHPUT, axis, end, title);
  yTitle(root, THROUGHPUT, 'throughput (bytes/s)');
  // error markers: a red bar at the foot of every second with errors, taller for more
  const maxErrors = Math.max(0, ...errors);
  const errorMarks = svg('g', { class: 'errors' }, root);
  const pxPerSecond = (WIDTH - MARGIN.left - MARGIN.right) / (WINDOW_MS / 1000);
  errors.forEach((count, i) => {
    if (count <= 0) return;
    const t = perSecond.startEpochMillis + i * 1000;
    const h = 8 + 22 * count / maxErrors;
    const mark = svg('rect', { class: 'error-mark', x: xOf(t, end), y: bottom - h, width: Math.max(2, pxPerSecond), height: h }, errorMarks);
    svg('title', {}, mark).textContent = `${count} error${count === 1 ? '' : 's'} in the second from ${formatClock(t)}`;
  });
  // one point per second, at the second's end
  for (const [series, key] of [[written, 'written'], [read, 'read']]) {
    if (series.length === 0) continue;
    const points = series.map((v, i) => `${xOf(perSecond.startEpochMillis + (i + 1) * 1000, end).toFixed(1)},${yOf(v).toFixed(1)}`);
    const first = xOf(perSecond.startEpochMillis + 1000, end).toFixed(1);
    const last = xOf(end, end).toFixed(1);
    svg('polygon', { class: 'area ' + key, points: `${first},${bottom} ${points.join(' ')} ${last},${bottom}` }, root);
    svg('polyline', { class: 'line ' + key, points: points.join(' ') }, root);
  }
}

function drawLatency(entry, latency, end) {
  const root = entry.latency;
  root.replaceChildren();
  const n = latency.operations.length;
  const axis = millisAxis(Math.max(0, ...latency.p99Millis, ...latency.p50Millis));
  const last = n > 0 && latency.operations[n - 1] > 0
    ? `p50 ${formatMillis(latency.p50Millis[n - 1])}, p99 ${formatMillis(latency.p99Millis[n - 1])} in the last 10 seconds`
    : 'no operations in the last 10 seconds';
  const title = `Latency of storage ${entry.block.dataset.storage} per 10 seconds over the last 5 minutes, `
    + `median (p50) and 99th percentile (p99) in milliseconds; ${last}`;
  root.setAttribute('aria-label', title);
  const yOf = drawAxes(root, LATENCY, axis, end, title);
  yTitle(root, LATENCY, 'latency (ms)');
  // a step per 10 s interval; intervals without operations leave a gap
  for (const key of ['p99', 'p50']) {
    const values = key === 'p50' ? latency.p50Millis : latency.p99Millis;
    let d = '';
    let joined = false;
    for (let i = 0; i < n; i++) {
      if (latency.operations[i] <= 0) { joined = false; continue; }
      const t0 = latency.startEpochMillis + i * latency.intervalSeconds * 1000;
      const x0 = xOf(t0, end).toFixed(1);
      const x1 = xOf(t0 + latency.intervalSeconds * 1000, end).toFixed(1);
      const y = yOf(values[i]).toFixed(1);
      d += `${joined ? 'L' : 'M'}${x0},${y}L${x1},${y}`;
      joined = true;
    }
    if (d) svg('path', { class: 'line ' + key, d }, root);
  }
}

function render(entry, storage, history) {
  const block = entry.block;
  entry.where.textContent = storage.scheme + ' · ' + storage.location;
  entry.totals.read.textContent = formatRate(storage.totals.readBytesPerSecond);
  entry.totals.write.textContent = formatRate(storage.totals.writeBytesPerSecond);
  entry.totals.ops.textContent = storage.totals.operations;
  entry.totals.errors.textContent = storage.totals.errors;
  block.classList.remove('stale');
  if (!history) {
    entry.note.hidden = false;
    entry.note.textContent = 'No history for this storage.';
    return;
  }
  const perSecond = history.perSecond;
  const latency = history.latency;
  const n = perSecond.readBytesPerSecond.length;
  const end = perSecond.startEpochMillis + n * 1000; // the end of the last complete second
  entry.note.hidden = history.metricsEnabled;
  entry.note.textContent = history.metricsEnabled ? '' : 'Metrics are off for this storage: nothing to draw.';
  drawThroughput(entry, perSecond, end);
  drawLatency(entry, latency, end);

  const latest = entry.latest;
  latest.read.textContent = formatRate(n ? perSecond.readBytesPerSecond[n - 1] : 0);
  latest.written.textContent = formatRate(n ? perSecond.writtenBytesPerSecond[n - 1] : 0);
  latest.errors.textContent = String(sum(perSecond.errorsPerSecond));
  const k = latency.operations.length;
  const hasLatency = k > 0 && latency.operations[k - 1] > 0;
  latest.p50.textContent = hasLatency ? formatMillis(latency.p50Millis[k - 1]) : '–';
  latest.p99.textContent = hasLatency ? formatMillis(latency.p99Millis[k - 1]) : '–';
  latest.when.textContent = n ? `in the second until ${formatClock(end)}; latency over the last 10 s` : 'no complete second yet';

  const csv = (values) => values.join(',');
  Object.assign(block.dataset, {
    metricsEnabled: String(history.metricsEnabled),
    startEpochMillis: String(perSecond.startEpochMillis),
    endEpochMillis: String(end),
    readBytes: csv(perSecond.readBytesPerSecond),
    writtenBytes: csv(perSecond.writtenBytesPerSecond),
    operations: csv(perSecond.operationsPerSecond),
    errors: csv(perSecond.errorsPerSecond),
    latencyStartEpochMillis: String(latency.startEpochMillis),
    latencyOperations: csv(latency.operations),
    p50Millis: csv(latency.p50Millis),
    p99Millis: csv(latency.p99Millis),
  });
  entry.updates++;
  block.dataset.updated = String(entry.updates);
}

function setReachable(ok) {
  if (ok === reachable) return; // the status is announced on changes only
  reachable = ok;
  const status = document.getElementById('chart-status');
  status.textContent = ok ? 'Live: updated every second.' : 'Actuator not reachable: trying again every 5 s.';
  status.classList.toggle('error-text', !ok);
  if (!ok) {
    document.getElementById('storage-info').textContent = 'Actuator not reachable';
    for (const entry of charts.values()) entry.block.classList.add('stale');
  }
}

async function fetchJson(url) {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
  return response.json();
}

async function refreshCharts() {
  const data = await fetchJson('/actuator/storage');
  const storages = Object.values(data.storages);
  const histories = await Promise.all(storages.map((s) =>
    fetchJson('/actuator/storage/' + encodeURIComponent(s.name) + '/history').catch(() => null)));
  if (storages.length > 0 && histories.every((h) => h === null)) throw new Error('no history');
  for (const [name, entry] of charts) {
    if (!storages.some((s) => s.name === name)) { entry.block.remove(); charts.delete(name); }
  }
  storages.forEach((storage, i) => render(charts.get(storage.name) || createBlock(storage.name), storage, histories[i]));
  document.getElementById('storage-info').textContent = storages.length === 0 ? 'No storage configured'
    : storages.map((s) => s.name + ' · ' + s.scheme + ' · ' + s.location).join('  |  ');
}

// One request at a time, each a second after the last ended; slower while the actuator is away,
// none while the page is hidden.
async function poll() {
  clearTimeout(pollTimer);
  if (document.hidden) { pausedWhileHidden = true; return; }
  if (polling) return;
  polling = true;
  let delay = POLL_MS;
  try {
    await refreshCharts();
    setReachable(true);
  } catch (e) {
    setReachable(false);
    delay = RETRY_MS;
  } finally {
    polling = false;
  }
  pollTimer = setTimeout(poll, delay);
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && pausedWhileHidden) { pausedWhileHidden = false; poll(); }
});

loadFiles(false);
poll();
