// Live view of migration runs: polls the JSON API and renders; actions send the same Kafka commands as the CLI.
(() => {
  const $ = (id) => document.getElementById(id);
  let selected = null;

  const fmt = (n) => (n == null ? '–' : Math.round(n).toLocaleString('en-US'));
  const eta = (s) => (s == null ? '–' : s < 60 ? `${Math.round(s)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`);
  const pct = (r) => Math.round((r.progress || 0) * 100);

  // With apex.dashboard.protect-reads on, reads need the operator token too: it is sent once entered.
  async function getJson(url) {
    const headers = { Accept: 'application/json' };
    if ($('token').value) headers['X-Operator-Token'] = $('token').value;
    const res = await fetch(url, { headers });
    if (res.status === 403) throw new Error(`${url}: 403 (reads need the operator token: enter it above)`);
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    return res.json();
  }

  function renderRuns(runs) {
    $('empty').hidden = runs.length > 0;
    const body = document.querySelector('#runs tbody');
    body.innerHTML = '';
    for (const r of runs) {
      const tr = document.createElement('tr');
      tr.dataset.id = r.id;
      if (r.id === selected) tr.classList.add('selected');
      tr.innerHTML = `<td class="state ${r.state}"></td><td></td><td></td><td>${pct(r)}%</td>`
        + `<td>${fmt(r.pointsPerSecond)}</td><td>${eta(r.etaSeconds)}</td><td></td>`;
      tr.children[0].textContent = r.state + (r.paused ? ' (paused)' : '');
      tr.children[1].textContent = `${r.source} → ${r.target}`;
      tr.children[2].textContent = r.alias || '–';
      tr.children[6].textContent = new Date(r.createdAt).toLocaleTimeString();
      tr.onclick = () => { if (selected !== r.id) RunViews.reset(); selected = r.id; refresh(); };
      body.appendChild(tr);
    }
    if (!selected && runs.length) selected = runs[0].id;
  }

  function renderDetail(d) {
    const r = d.run;
    $('detail').hidden = false;
    $('detail-title').textContent = `${r.source} → ${r.target} · ${r.state}`;
    $('alias-name').textContent = r.alias || '(none)';
    $('alias-target').textContent = d.aliasTarget || '–';
    $('bar').style.width = `${pct(r)}%`;
    $('bar-label').textContent = `${pct(r)}%`;
    document.querySelector('.progress').setAttribute('aria-valuenow', pct(r));
    $('rate').textContent = fmt(r.pointsPerSecond);
    $('eta').textContent = eta(r.etaSeconds);
    $('copied').textContent = `${fmt(r.copiedPoints)} / ${fmt(r.sourcePoints)}`;
    $('b-ok').textContent = fmt(d.batches.ok);
    $('b-retried').textContent = fmt(d.batches.retried);
    $('b-failed').textContent = fmt(d.batches.failed);
    const dead = $('dead');
    dead.innerHTML = '';
    if (!d.deadLetters.length) {
      const li = document.createElement('li');
      li.className = 'muted';
      li.textContent = 'none';
      dead.appendChild(li);
    }
    for (const x of d.deadLetters) {
      const li = document.createElement('li');
      li.textContent = `range ${x.batchIndex} [${x.start}, ${x.end ?? '∞'}): ${x.reason}`;
      dead.appendChild(li);
    }
  }

  async function refresh() {
    try {
      renderRuns(await getJson('/api/migrations'));
      if (selected) {
        // the run views (range map, workers, timeline) are read together with the detail, every refresh
        const base = `/api/migrations/${selected}`;
        const [detail, ranges, workers, events] = await Promise.all([getJson(base), getJson(`${base}/ranges`),
          getJson(`${base}/workers`), getJson(`${base}/events`)]);
        renderDetail(detail);
        RunViews.render({ detail, ranges, workers, events });
      }
    } catch (e) {
      $('action-result').textContent = `refresh failed: ${e.message}`;
    }
  }

  document.querySelectorAll('.actions button').forEach((b) => {
    b.onclick = async () => {
      const action = b.dataset.action;
      if (!selected || !confirm(`Send "${action}" for run ${selected}?`)) return;
      const res = await fetch(`/api/migrations/${selected}/actions/${action}`, {
        method: 'POST', headers: { 'X-Operator-Token': $('token').value },
      });
      const text = await res.text();
      $('action-result').textContent = res.ok ? `${action}: sent` : `${action} refused (${res.status}): ${text}`;
      refresh();
    };
  });

  refresh();
  setInterval(refresh, 1000);
})();
