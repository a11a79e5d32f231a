// Releases: each apply with its parts (store, version or alias, state, progress) and the actions its state allows
// (cutover, cancel, roll back), sent as the same Kafka commands as `apex-migrator release ...`.
(() => {
  const $ = (id) => document.getElementById(id);
  const LABELS = { cutover: 'Cut over', cancel: 'Cancel release', rollback: 'Roll back release' };

  function headers() {
    const h = { Accept: 'application/json' };
    if ($('token').value) h['X-Operator-Token'] = $('token').value;
    return h;
  }

  function cell(tr, text, cls) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  function renderRelease(r) {
    const box = document.createElement('div');
    box.className = 'release';
    box.dataset.release = r.name;
    const title = document.createElement('h3');
    title.innerHTML = '<span class="name"></span> · <span class="state"></span> <span class="muted failure"></span>';
    title.querySelector('.name').textContent = r.name;
    title.querySelector('.state').textContent = r.state;
    title.querySelector('.state').classList.add(r.state);
    title.querySelector('.failure').textContent = r.failure ? `in ${r.failedPart}: ${r.failure}` : '';
    box.appendChild(title);
    const table = document.createElement('table');
    table.className = 'parts';
    table.innerHTML = '<thead><tr><th>#</th><th>store</th><th>version or alias</th><th>before → target</th>'
      + '<th>state</th><th>progress</th></tr></thead><tbody></tbody>';
    for (const p of r.parts) {
      const tr = document.createElement('tr');
      tr.dataset.subject = p.subject;
      cell(tr, p.position);
      cell(tr, p.store);
      cell(tr, p.subject);
      cell(tr, `${p.previous ?? '–'} → ${p.target}`);
      cell(tr, p.state, `state ${p.state}`);
      const progress = cell(tr, '', 'part-progress');
      progress.innerHTML = '<div class="mini"><div></div></div><span></span>';
      progress.querySelector('.mini div').style.width = `${Math.round(p.progress * 100)}%`;
      progress.querySelector('span').textContent = p.progressText;
      progress.title = p.detail || '';
      table.tBodies[0].appendChild(tr);
    }
    box.appendChild(table);
    const actions = document.createElement('div');
    actions.className = 'actions';
    for (const a of r.actions) {
      const b = document.createElement('button');
      b.dataset.releaseAction = a;
      b.textContent = LABELS[a] || a;
      b.onclick = () => act(r.name, a);
      actions.appendChild(b);
    }
    box.appendChild(actions);
    return box;
  }

  async function act(name, action) {
    if (!confirm(`Send "${action}" for release ${name}?`)) return;
    const res = await fetch(`/api/releases/${encodeURIComponent(name)}/actions/${action}`, {
      method: 'POST', headers: { 'X-Operator-Token': $('token').value },
    });
    const text = await res.text();
    $('release-result').textContent = res.ok ? `${name}: ${action} sent` : `${name}: ${action} refused (${res.status}): ${text}`;
    refresh();
  }

  async function refresh() {
    try {
      const res = await fetch('/api/releases', { headers: headers() });
      if (!res.ok) throw new Error(`/api/releases: ${res.status}`);
      const releases = await res.json();
      $('releases-empty').hidden = releases.length > 0;
      const list = $('release-list');
      list.innerHTML = '';
      // one box per release name: its latest apply
      const seen = new Set();
      for (const r of releases) {
        if (seen.has(r.name)) continue;
        seen.add(r.name);
        list.appendChild(renderRelease(r));
      }
    } catch (e) {
      $('release-result').textContent = `refresh failed: ${e.message}`;
    }
  }

  refresh();
  setInterval(refresh, 2000);
})();
