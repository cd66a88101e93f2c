// The sample's page: plain JavaScript against the file API (/files) and /actuator/storage.
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

async function refreshStats() {
  try {
    const response = await fetch('/actuator/storage');
    const data = await response.json();
    const storages = Object.values(data.storages);
    if (storages.length === 0) return;
    const s = storages[0];
    document.getElementById('storage-info').textContent = s.name + ' · ' + s.scheme + ' · ' + s.location;
    document.getElementById('stat-read').textContent = formatBytes(s.totals.readBytesPerSecond) + '/s';
    document.getElementById('stat-write').textContent = formatBytes(s.totals.writeBytesPerSecond) + '/s';
    document.getElementById('stat-ops').textContent = s.totals.operations;
    document.getElementById('stat-errors').textContent = s.totals.errors;
  } catch (e) {
    document.getElementById('storage-info').textContent = 'Actuator not reachable';
  }
}

loadFiles(false);
refreshStats();
setInterval(refreshStats, 2000);
