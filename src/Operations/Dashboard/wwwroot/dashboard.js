// The OpenClaw dashboard: polls the JSON API and renders it. Everything shown goes through
// textContent or attributes (never innerHTML): tenant ids and names are tenant-controlled.
'use strict';

(function () {
  const API = '/dashboard/api';
  const POLL_MS = 2000;
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const CSRF = { 'X-OpenClaw-Dashboard': '1' };

  function $(id) { return document.getElementById(id); }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    return node;
  }

  function number(value, digits) {
    if (value === undefined || value === null || Number.isNaN(value)) return '–';
    return Number(value).toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 1 : digits });
  }

  function bytes(value) {
    if (!value) return '0 B';
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let index = 0;
    while (value >= 1024 && index < units.length - 1) { value /= 1024; index++; }
    return number(value, 1) + ' ' + units[index];
  }

  function time(value) { return value ? new Date(value).toLocaleTimeString() : '–'; }

  function fillRows(tableId, rows) {
    const body = $(tableId).tBodies[0];
    body.replaceChildren(...rows.map(cells => {
      const row = document.createElement('tr');
      for (const cell of cells) row.appendChild(cell instanceof Node ? cell : el('td', cell));
      return row;
    }));
  }

  function sourceNotice(id, name, source) {
    $(id).textContent = source && source.available ? '' : name + ': not available' + (source && source.reason ? ' (' + source.reason + ')' : '');
  }

  async function getJson(path, init) {
    const response = await fetch(API + path, Object.assign({ credentials: 'same-origin', cache: 'no-store' }, init || {}));
    if (response.status === 401) { window.location.assign('/dashboard/login'); throw new Error('logged out'); }
    if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
    return response.json();
  }

  // ---- charts ---------------------------------------------------------------------------

  function lineChart(svgId, series, lines) {
    const chart = $(svgId);
    const width = 600, height = 160, pad = 24;
    const values = series.flatMap(point => lines.map(line => point[line.key] || 0));
    const max = Math.max(1, ...values);
    const children = [
      svg('line', { x1: pad, y1: height - pad, x2: width, y2: height - pad, stroke: '#c9d0dc' }),
      Object.assign(svg('text', { x: 2, y: 12, class: 'axis' }), { textContent: number(max) }),
      Object.assign(svg('text', { x: 2, y: height - pad, class: 'axis' }), { textContent: '0' }),
    ];
    if (series.length > 1) {
      const step = (width - pad) / (series.length - 1);
      for (const line of lines) {
        const points = series.map((point, i) =>
          (pad + i * step).toFixed(1) + ',' + (height - pad - ((point[line.key] || 0) / max) * (height - 2 * pad)).toFixed(1));
        children.push(svg('polyline', { points: points.join(' '), class: line.className }));
      }
    }
    chart.replaceChildren(...children);
  }

  function barChart(svgId, items) {
    const chart = $(svgId);
    const width = 300, rowHeight = 18;
    const shown = items.slice(0, 8);
    const max = Math.max(1, ...shown.map(item => item.value));
    const children = [];
    shown.forEach((item, i) => {
      const y = 4 + i * rowHeight;
      children.push(Object.assign(svg('text', { x: 0, y: y + 12, class: 'axis' }), { textContent: item.label }));
      children.push(svg('rect', { x: 110, y: y, height: rowHeight - 4, width: Math.max(1, (item.value / max) * (width - 170)), class: 'bar' }));
      children.push(Object.assign(svg('text', { x: width - 55, y: y + 12, class: 'axis' }), { textContent: number(item.value, 0) }));
    });
    chart.replaceChildren(...children);
  }

  // ---- sections -------------------------------------------------------------------------

  function renderOverview(overview) {
    sourceNotice('stats-state', 'cluster stats', overview.stats);
    const last = overview.series.length ? overview.series[overview.series.length - 1] : null;
    const callsPerSecond = overview.silos.reduce((sum, silo) => sum + silo.callsPerSecond, 0);
    $('calls-rate').textContent = overview.stats.available ? number(callsPerSecond) : '–';
    $('latency-p99').textContent = last ? number(last.latencyP99Ms, 2) : '–';
    $('activations').textContent = overview.stats.available ? number(overview.silos.reduce((sum, silo) => sum + silo.activations, 0), 0) : '–';
    const tenants = overview.tenants;
    $('tenants').textContent = tenants
      ? number(tenants.activeInMemory, 0) + ' / ' + (tenants.registered === null || tenants.registered === undefined ? '?' : number(tenants.registered, 0))
      : '–';
    fillRows('silos', overview.silos.map(silo => [
      silo.silo, silo.status, silo.hostName, number(silo.cpuPercent), bytes(silo.workingSetBytes),
      number(silo.activations, 0) + (silo.maxActivations ? ' / ' + number(silo.maxActivations, 0) : ''),
      number(silo.callsPerSecond), number(silo.latencyP50Ms, 2) + ' / ' + number(silo.latencyP99Ms, 2), number(silo.edgeConnections, 0),
    ]));
    $('unreachable').textContent = overview.unreachable.length ? 'Not answering: ' + overview.unreachable.join(', ') : '';
    fillRows('grain-types', overview.grainTypes.map(type => [type.type, number(type.activations, 0), number(type.callsPerSecond)]));
    barChart('chart-types', overview.grainTypes.map(type => ({ label: type.type, value: type.activations })));
    lineChart('chart-calls', overview.series, [
      { key: 'callsPerSecond', className: 'line-calls' }, { key: 'failuresPerSecond', className: 'line-failures' }]);
    lineChart('chart-latency', overview.series, [
      { key: 'latencyP50Ms', className: 'line-p50' }, { key: 'latencyP99Ms', className: 'line-p99' }]);
  }

  function renderTop(top) {
    sourceNotice('top-state', 'top tenants', top.source);
    fillRows('top-tenants', top.tenants.map(tenant => {
      const cell = document.createElement('td');
      const link = el('a', tenant.tenantId);
      link.href = '#';
      link.addEventListener('click', event => { event.preventDefault(); $('tenant-id').value = tenant.tenantId; findTenant(false); });
      cell.appendChild(link);
      return [cell, time(tenant.lastCallAt), number(tenant.calls, 0), tenant.silo];
    }));
  }

  function alertRow(alert, resolved) {
    const severity = el('td', alert.severity, 'sev-' + alert.severity);
    return resolved
      ? [severity, alert.rule, alert.subject, alert.message, time(alert.raisedAt), alert.resolvedAt ? time(alert.resolvedAt) : 'active']
      : [severity, alert.rule, alert.subject, alert.message, number(alert.value, 2) + ' / ' + number(alert.threshold, 2), time(alert.raisedAt)];
  }

  function renderAlerts(alerts) {
    sourceNotice('alerts-state', 'alerts', alerts.source);
    fillRows('alerts-active', alerts.active.map(alert => alertRow(alert, false)));
    fillRows('alerts-history', alerts.history.map(alert => alertRow(alert, true)));
  }

  function definitionList(list, entries) {
    list.replaceChildren(...entries.flatMap(([name, value]) => [el('dt', name), el('dd', value === undefined || value === null || value === '' ? '–' : value)]));
  }

  function renderSync(sync) {
    sourceNotice('sync-state', 'config sync', sync.source);
    const status = sync.status;
    if (!status) { $('sync').replaceChildren(); return; }
    definitionList($('sync'), [
      ['Enabled', status.enabled ? 'yes' : 'no (standalone)'], ['Backend', status.backendUrl], ['Last attempt', time(status.lastAttemptAt)],
      ['Last success', time(status.lastSuccessAt)], ['Consecutive failures', status.consecutiveFailures], ['Last error', status.lastError],
      ['Next attempt', time(status.nextAttemptAt)],
      ['Last pass', 'created ' + status.lastCreated + ', updated ' + status.lastUpdated + ', suspended ' + status.lastSuspended +
        ', deleted ' + status.lastDeleted + ', tokens revoked ' + status.lastTokensRevoked],
      ['Running on', status.silo],
    ]);
  }

  function renderTenant(view) {
    const result = $('tenant-result');
    const heading = el('h3');
    heading.append(el('span', view.tenantId), document.createTextNode(' '), el('span', view.state, 'state-' + view.state));
    const list = document.createElement('dl');
    const activity = view.activity;
    definitionList(list, [
      ['Registered', view.registry.available ? (view.registered ? 'yes' : 'no') : 'registry not available (' + view.registry.reason + ')'],
      ['Display name', view.displayName], ['Plan', view.plan], ['Status', view.status],
      ['Provider', view.provider], ['Created', view.createdAt ? new Date(view.createdAt).toLocaleString() : null],
      ['State', view.state + (view.activeOn ? ' on ' + view.activeOn : '')],
      ['Sessions', activity ? activity.sessions : null], ['Active runs', activity ? activity.activeRuns : null],
      ['Socket subscribers', activity ? activity.subscribers : null],
      ['Usage', activity ? number(activity.inputTokensTotal, 0) + ' tokens in, ' + number(activity.outputTokensTotal, 0) + ' out, ' + number(activity.runsTotal, 0) + ' runs' : null],
      ['Last activity', activity && activity.lastActivityAt ? new Date(activity.lastActivityAt).toLocaleString() : null],
      ['Activity', view.activitySource.available ? 'read from the tenant grain' : view.activitySource.reason],
    ]);
    result.replaceChildren(heading, list);
    $('tenant-load').hidden = view.state === 'active';
  }

  async function findTenant(load) {
    const tenantId = $('tenant-id').value.trim();
    if (!tenantId) return;
    const path = '/tenants/' + encodeURIComponent(tenantId) + (load ? '/load' : '');
    try {
      const response = await fetch(API + path, { method: load ? 'POST' : 'GET', credentials: 'same-origin', headers: load ? CSRF : {} });
      if (response.status === 401) { window.location.assign('/dashboard/login'); return; }
      if (!response.ok) {
        const problem = await response.json().catch(() => ({}));
        $('tenant-result').replaceChildren(el('p', problem.detail || ('HTTP ' + response.status), 'error'));
        return;
      }
      renderTenant(await response.json());
    } catch (error) {
      $('tenant-result').replaceChildren(el('p', String(error), 'error'));
    }
  }

  async function refresh() {
    const jobs = [
      getJson('/overview').then(renderOverview),
      getJson('/tenants/top').then(renderTop),
      getJson('/alerts').then(renderAlerts),
      getJson('/sync').then(renderSync),
    ];
    const outcomes = await Promise.allSettled(jobs);
    const failed = outcomes.filter(outcome => outcome.status === 'rejected');
    $('updated').textContent = failed.length
      ? 'update failed: ' + failed.map(outcome => outcome.reason && outcome.reason.message).join('; ')
      : 'updated ' + new Date().toLocaleTimeString();
  }

  function startDashboard() {
    $('tenant-form').addEventListener('submit', event => { event.preventDefault(); findTenant(false); });
    $('tenant-load').addEventListener('click', () => findTenant(true));
    $('logout').addEventListener('click', async () => {
      await fetch('/dashboard/logout', { method: 'POST', credentials: 'same-origin', headers: CSRF });
      window.location.assign('/dashboard/login');
    });
    refresh();
    window.setInterval(refresh, POLL_MS);
  }

  function startLogin() {
    $('login-form').addEventListener('submit', async event => {
      event.preventDefault();
      const response = await fetch('/dashboard/login', {
        method: 'POST', credentials: 'same-origin',
        headers: Object.assign({ 'Content-Type': 'application/json' }, CSRF),
        body: JSON.stringify({ token: $('login-token').value }),
      });
      if (response.ok) { window.location.assign('/dashboard'); return; }
      const problem = await response.json().catch(() => ({}));
      $('login-error').textContent = problem.detail || ('Login failed (HTTP ' + response.status + ')');
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    if (document.body.dataset.page === 'login') startLogin(); else startDashboard();
  });
})();
