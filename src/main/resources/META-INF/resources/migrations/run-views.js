// The views of one run beside its progress bar: range map, throughput chart, workers, verification, timeline.
// Plain DOM and SVG, no build step; app.js fetches the JSON and calls RunViews.render.
(() => {
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';
  const STATES = ['pending', 'copying', 'copied', 'verifying', 'verified', 'repaired', 'failed', 'dead-lettered'];
  const fmt = (n) => (n == null ? '–' : Math.round(n).toLocaleString('en-US'));
  const secs = (ms) => (ms == null ? '–' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
  const bounds = (r) => `[${r.start}, ${r.end ?? '∞'})`;
  const el = (tag, attrs = {}, text) => {
    const e = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text != null) e.textContent = text;
    return e;
  };

  // ---- range map: one cell per planned range, coloured by state; hover shows it, a click keeps it shown ----
  let ranges = [];
  let pinned = null;

  function work(label, w) {
    if (!w) return `${label}: not started`;
    const parts = [`${label}${w.pass ? ` (pass ${w.pass})` : ''}: ${w.state}`];
    if (w.worker) parts.push(`worker ${w.worker}`);
    parts.push(`${w.attempts} attempt${w.attempts === 1 ? '' : 's'}`);
    if (w.failedAttempts) parts.push(`${w.failedAttempts} failed`);
    if (w.durationMs != null) parts.push(secs(w.durationMs) + (w.state === 'pending' ? ' so far' : ''));
    if (w.points != null) parts.push(`${fmt(w.points)} points`);
    return parts.join(' · ');
  }

  function describe(r) {
    const lines = [`range ${r.index} ${bounds(r)} — ${r.state}`, work('copy', r.copy), work('verify', r.verify)];
    if (r.repairedPoints) lines.push(`repaired: ${fmt(r.repairedPoints)} point${r.repairedPoints === 1 ? '' : 's'} re-synced`);
    const error = (r.verify && r.verify.error) || r.copy.error;
    if (error) lines.push(`error: ${error}`);
    return lines;
  }

  function showRange(target, r) {
    target.innerHTML = '';
    describe(r).forEach((line, i) => target.appendChild(el(i ? 'div' : 'b', {}, line)));
  }

  function renderRangeMap(cells) {
    ranges = cells;
    const map = $('range-map');
    if (map.children.length !== cells.length) {
      map.innerHTML = '';
      cells.forEach((r, i) => {
        const cell = el('div', { class: 'cell', 'data-index': i, role: 'gridcell' });
        cell.onmouseenter = (ev) => {
          const tip = $('range-tip');
          showRange(tip, ranges[i]);
          tip.hidden = false;
          const right = window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8;
          tip.style.left = `${Math.max(0, Math.min(ev.pageX + 12, right))}px`;
          tip.style.top = `${ev.pageY + 12}px`;
        };
        cell.onmouseleave = () => { $('range-tip').hidden = true; };
        cell.onclick = () => { pinned = i; renderRangeMap(ranges); };
        map.appendChild(cell);
      });
    }
    const counts = Object.fromEntries(STATES.map((s) => [s, 0]));
    cells.forEach((r, i) => {
      counts[r.state] = (counts[r.state] || 0) + 1;
      const cell = map.children[i];
      cell.className = `cell s-${r.state}${i === pinned ? ' pinned' : ''}`;
      cell.setAttribute('aria-label', `range ${r.index}: ${r.state}`);
    });
    const legend = $('range-legend');
    legend.innerHTML = '';
    for (const s of STATES) {
      const item = el('span', { class: 'legend-item', 'data-state': s });
      item.append(el('i', { class: `swatch s-${s}` }), `${s} ${counts[s]}`);
      legend.appendChild(item);
    }
    $('range-summary').textContent = cells.length ? `${cells.length} ranges` : 'not planned yet';
    const detail = $('range-detail');
    if (pinned != null && cells[pinned]) showRange(detail, cells[pinned]);
    else detail.textContent = cells.length ? 'hover over a range, or click it to keep it shown here' : '';
  }

  // ---- charts: axes with ticks and units ----
  function niceStep(max, ticks) {
    const raw = max / ticks;
    const mag = 10 ** Math.floor(Math.log10(raw));
    return [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  }

  // Frame of a chart: returns scale functions after drawing axes, gridlines, tick labels and axis titles.
  function axes(svg, { width, height, xMax, yMax, xLabel, yLabel, xTicks = 6, yTicks = 4 }) {
    const m = { left: 64, right: 14, top: 26, bottom: 40 };
    const w = width - m.left - m.right;
    const h = height - m.top - m.bottom;
    // whole units on both axes (seconds, points/s)
    const xStep = Math.max(1, Math.round(niceStep(Math.max(xMax, 1), xTicks)));
    const yStep = Math.max(1, Math.round(niceStep(Math.max(yMax, 1), yTicks)));
    const xTop = Math.ceil(Math.max(xMax, 1) / xStep) * xStep;
    const yTop = Math.ceil(Math.max(yMax, 1) / yStep) * yStep;
    const x = (v) => m.left + (v / xTop) * w;
    const y = (v) => m.top + h - (v / yTop) * h;
    const g = el('svg:g', { class: 'axes' });
    for (let v = 0; v <= yTop + 1e-9; v += yStep) {
      g.appendChild(el('svg:line', { x1: m.left, x2: m.left + w, y1: y(v), y2: y(v), class: 'grid' }));
      g.appendChild(el('svg:text', { x: m.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, fmt(v)));
    }
    for (let v = 0; v <= xTop + 1e-9; v += xStep) {
      g.appendChild(el('svg:line', { x1: x(v), x2: x(v), y1: m.top + h, y2: m.top + h + 4, class: 'tick' }));
      g.appendChild(el('svg:text', { x: x(v), y: m.top + h + 16, 'text-anchor': 'middle' }, fmt(v)));
    }
    g.appendChild(el('svg:line', { x1: m.left, x2: m.left + w, y1: m.top + h, y2: m.top + h, class: 'axis' }));
    g.appendChild(el('svg:line', { x1: m.left, x2: m.left, y1: m.top, y2: m.top + h, class: 'axis' }));
    g.appendChild(el('svg:text', { x: m.left + w / 2, y: height - 4, 'text-anchor': 'middle', class: 'title x-title' }, xLabel));
    g.appendChild(el('svg:text', { x: 12, y: m.top + h / 2, 'text-anchor': 'middle', class: 'title y-title',
      transform: `rotate(-90 12 ${m.top + h / 2})` }, yLabel));
    svg.appendChild(g);
    return { x, y, m, w, h };
  }

  // Points copied per second (ranges reported in that second; seconds without a report are 0) and a 5-s average.
  function renderThroughput(points) {
    const svg = $('chart');
    svg.innerHTML = '';
    if (!points.length) {
      svg.appendChild(el('svg:text', { x: 300, y: 100, 'text-anchor': 'middle', class: 'empty' }, 'no range copied yet'));
      return;
    }
    const t0 = points[0].t;
    const span = points[points.length - 1].t - t0;
    const perSecond = new Array(span + 1).fill(0);
    points.forEach((p) => { perSecond[p.t - t0] += p.pointsPerSecond; });
    const avg = perSecond.map((_, i) => {
      const window = perSecond.slice(Math.max(0, i - 4), i + 1);
      return window.reduce((a, b) => a + b, 0) / window.length;
    });
    // second i is the bar over [i, i + 1); the axis spans at least 10 s so a young run's bars keep their width
    const { x, y, h, m } = axes(svg, { width: 600, height: 220, xMax: Math.max(span + 1, 10),
      yMax: Math.max(...perSecond), xLabel: 'seconds since the first range was copied (s)', yLabel: 'points/s' });
    const barW = Math.max(1, x(1) - x(0) - 1);
    perSecond.forEach((v, i) => {
      if (v) svg.appendChild(el('svg:rect', { x: x(i), y: y(v), width: barW, height: m.top + h - y(v), class: 'bar' }));
    });
    const line = avg.map((v, i) => `${x(i + 0.5).toFixed(1)},${y(v).toFixed(1)}`);
    if (line.length === 1) line.unshift(`${x(0).toFixed(1)},${y(avg[0]).toFixed(1)}`);
    svg.appendChild(el('svg:polyline', { points: line.join(' '), class: 'avg' }));
    const key = el('svg:g', { class: 'key' });
    key.append(el('svg:rect', { x: 410, y: 4, width: 10, height: 10, class: 'bar' }),
      el('svg:text', { x: 424, y: 13 }, 'per second'),
      el('svg:line', { x1: 495, x2: 509, y1: 9, y2: 9, class: 'avg' }),
      el('svg:text', { x: 513, y: 13 }, '5-s average'));
    svg.appendChild(key);
  }

  // ---- workers: replicas seen, their ranges and points/s ----
  function renderWorkers(data) {
    $('replicas').textContent = `${data.replicas} replica${data.replicas === 1 ? '' : 's'} seen`;
    const body = document.querySelector('#workers tbody');
    body.innerHTML = '';
    for (const w of data.workers) {
      const tr = el('tr');
      [w.worker, fmt(w.rangesCopied), fmt(w.rangesVerified), fmt(w.inFlight), fmt(w.pointsCopied),
        fmt(w.pointsPerSecond), fmt(w.failedAttempts), new Date(w.lastSeen).toLocaleTimeString()]
        .forEach((v) => tr.appendChild(el('td', {}, v)));
      body.appendChild(tr);
    }
    const svg = $('worker-chart');
    svg.innerHTML = '';
    if (!data.workers.length) return;
    const rowH = 26;
    const height = 70 + rowH * data.workers.length;
    svg.setAttribute('viewBox', `0 0 600 ${height}`);
    const { x, m } = axes(svg, { width: 600, height, xMax: Math.max(...data.workers.map((w) => w.pointsPerSecond)),
      yMax: 0, yTicks: 1, xLabel: 'points/s (copied points over its time on the run)', yLabel: '' });
    svg.querySelectorAll('.axes text[text-anchor="end"]').forEach((t) => t.remove()); // no value axis on a bar chart
    data.workers.forEach((w, i) => {
      const top = m.top + 4 + i * rowH;
      svg.appendChild(el('svg:rect', { x: m.left, y: top, width: Math.max(1, x(w.pointsPerSecond) - m.left),
        height: rowH - 8, class: 'bar' }));
      svg.appendChild(el('svg:text', { x: m.left + 4, y: top + rowH - 13, class: 'bar-label' },
        `${w.worker} · ${fmt(w.pointsPerSecond)} points/s`));
    });
  }

  // ---- verification: the report as a table (whatever else it carries, key by key below) ----
  const KNOWN = ['checks', 'passes', 'rangesChecked', 'differing', 'repaired', 'repairedPoints', 'convergedByStream',
    'resyncedPoints', 'stillDiffering', 'catchUpConverged', 'sourcePoints', 'targetPoints', 'exactCounts',
    'countAttempts', 'durationMs', 'pointsChecked', 'recall', 'passDetails', 'capturedWrites', 'writes', 'readiness'];

  function recallText(r) {
    if (!r) return null;
    if (!r.checked) return `not checked (${r.why || 'target not quantized'})`;
    if (!r.measured) return `not measured: ${r.reason} (threshold ${r.threshold})`;
    const each = Object.entries(r.perVector || {});
    const vectors = each.length > 1 ? ` (${each.map(([name, v]) => `${name || 'default'} ${v.recallAt10}`).join(', ')})` : '';
    return `recall@${r.k} ${r.recallAt10}${vectors} over ${fmt(r.queries)} queries, threshold ${r.threshold} — `
      + (r.passed ? 'passed' : 'below the threshold');
  }

  // the readiness gate: is the target indexed enough to serve (what migration-indexing events report while it is not)
  function readinessText(r) {
    if (!r) return null;
    if (r.status == null) return r.ready ? 'ready' : 'not ready';
    return `${r.ready ? 'ready' : 'not ready'}: status ${r.status}, optimizer ${r.optimizer}, `
      + `${fmt(r.indexedVectors)} vectors indexed of ${fmt(r.requiredIndexed)} required, ${fmt(r.points)} points`
      + (r.reason ? ` — ${r.reason}` : '');
  }

  function renderVerification(found) {
    // the migration-verified event's details carry the report as "verification"
    const v = found && typeof found.verification === 'object' ? found.verification : found;
    const table = $('verification');
    const body = table.querySelector('tbody');
    body.innerHTML = '';
    const passes = $('verification-passes');
    passes.querySelector('tbody').innerHTML = '';
    const empty = !v || typeof v !== 'object';
    $('verification-empty').hidden = !empty;
    table.hidden = empty;
    passes.hidden = empty || !Array.isArray(v.passDetails) || !v.passDetails.length;
    if (empty) return;
    const rows = [
      ['checks', Array.isArray(v.checks) ? v.checks.join(', ') : v.checks],
      ['passes', v.passes],
      ['ranges checked / differing / repaired', v.rangesChecked == null ? null
        : `${fmt(v.rangesChecked)} / ${fmt(v.differing)} / ${fmt(v.repaired)}`],
      ['points repaired / explained by the stream / re-synced', v.repairedPoints == null ? null
        : `${fmt(v.repairedPoints)} / ${fmt(v.convergedByStream)} / ${fmt(v.resyncedPoints)}`],
      ['exact counts (source → target)', v.sourcePoints == null ? null
        : `${fmt(v.sourcePoints)} → ${fmt(v.targetPoints)}: ${v.exactCounts}`],
      ['recall', recallText(v.recall)],
      ['readiness (indexing)', readinessText(v.readiness)],
      ['catch-up converged', v.catchUpConverged == null ? null : v.catchUpConverged ? 'yes' : 'no'],
      ['still differing', Array.isArray(v.stillDiffering) ? (v.stillDiffering.join('; ') || 'none') : null],
      ['captured writes', v.writes || (v.capturedWrites == null ? null : fmt(v.capturedWrites))],
      ['points checked', v.pointsChecked == null ? null : fmt(v.pointsChecked)],
      ['duration', v.durationMs == null ? null : secs(v.durationMs)],
    ];
    // readiness, indexing and anything a newer report adds: shown key by key rather than dropped
    for (const [k, val] of Object.entries(v)) {
      if (!KNOWN.includes(k)) rows.push([k, typeof val === 'object' ? JSON.stringify(val) : String(val)]);
    }
    for (const [k, val] of rows) {
      if (val == null) continue;
      const tr = el('tr', { 'data-key': k });
      tr.append(el('th', {}, k), el('td', {}, String(val)));
      if (k === 'recall' && v.recall && v.recall.measured) tr.classList.add(v.recall.passed ? 'ok' : 'bad');
      if (k === 'readiness (indexing)') tr.classList.add(v.readiness.ready ? 'ok' : 'bad');
      body.appendChild(tr);
    }
    for (const p of v.passDetails || []) {
      const tr = el('tr');
      [p.pass, fmt(p.rangesChecked), fmt(p.differing), fmt(p.repaired), fmt(p.repairedPoints), secs(p.durationMs)]
        .forEach((c) => tr.appendChild(el('td', {}, c)));
      passes.querySelector('tbody').appendChild(tr);
    }
  }

  // ---- timeline: the run's lifecycle events in order ----
  function renderTimeline(events) {
    const list = $('timeline');
    list.innerHTML = '';
    if (!events.length) list.appendChild(el('li', { class: 'muted' }, 'no events yet'));
    for (const e of events) {
      const li = el('li', { 'data-type': e.type });
      li.append(el('time', { datetime: e.time }, new Date(e.time).toLocaleTimeString()),
        el('span', { class: `event ${e.type}` }, e.type));
      if (e.summary) li.append(el('span', { class: 'summary' }, e.summary));
      if (e.reason) li.append(el('span', { class: 'reason' }, e.reason));
      if (!e.sent) li.append(el('span', { class: 'muted' }, '(not on the events topic yet)'));
      list.appendChild(li);
    }
  }

  window.RunViews = {
    // each panel on its own: one that cannot render does not blank the others (the error goes to the status line)
    render({ detail, ranges: cells, workers, events }) {
      const failed = [];
      for (const [name, draw] of [['range map', () => renderRangeMap(cells)],
        ['throughput', () => renderThroughput(detail.throughput)], ['workers', () => renderWorkers(workers)],
        ['verification', () => renderVerification(detail.verification)], ['timeline', () => renderTimeline(events)]]) {
        try {
          draw();
        } catch (e) {
          failed.push(`${name}: ${e.message}`);
        }
      }
      if (failed.length) throw new Error(`could not show ${failed.join('; ')}`);
    },
    // another run was selected: forget the range kept shown
    reset() { pinned = null; },
  };
})();
