// Admin dashboard: queue status and a live list of admin-room events (saga steps, refunds, presence).
(function () {
  'use strict';
  var MAX_EVENTS = 50;
  var list = document.getElementById('admin-events');
  var statusEl = document.getElementById('live-status');

  function setStatus(live, text) {
    statusEl.className = 'status-dot ' + (live ? 'live' : 'down');
    statusEl.textContent = text;
  }
  function add(kind, text, bad) {
    document.getElementById('events-empty').hidden = true;
    var li = document.createElement('li');
    var time = document.createElement('span');
    time.className = 'muted';
    time.textContent = new Date().toLocaleTimeString() + ' ';
    var badge = document.createElement('span');
    badge.className = 'badge' + (bad ? ' bad' : '');
    badge.textContent = kind;
    var body = document.createElement('span');
    body.textContent = ' ' + text;
    li.append(time, badge, body);
    list.prepend(li);
    while (list.children.length > MAX_EVENTS) list.lastChild.remove();
  }
  function title(uid, state) {
    var np = state.now_playing;
    if (!np) return 'nothing';
    var t = np.title;
    state.items.forEach(function (i) { if (i.uid === np.uid && i.title) t = i.title; });
    return t || 'Unknown';
  }

  // Presence watch: owners of paid items who left or went AFK, with a local grace countdown.
  var lastPresence = '';
  var presence = [];
  var presenceAt = Date.now();
  function renderPresence(tracked) {
    presence = tracked;
    presenceAt = Date.now();
    drawPresence();
  }
  function drawPresence() {
    var rows = document.getElementById('presence-rows');
    var elapsed = (Date.now() - presenceAt) / 1000;
    document.getElementById('presence-empty').hidden = presence.length > 0;
    document.getElementById('presence-table').hidden = presence.length === 0;
    rows.textContent = '';
    presence.forEach(function (t) {
      var tr = document.createElement('tr');
      var left = Math.max(0, Math.round(t.grace_left_sec - elapsed));
      [t.owner, t.state === 'afk' ? 'AFK' : 'left the channel', left + ' s', String(t.items)].forEach(function (text) {
        var td = document.createElement('td');
        td.textContent = text;
        tr.appendChild(td);
      });
      rows.appendChild(tr);
    });
  }
  setInterval(drawPresence, 1000);
  WQ.api('GET', '/admin/presence').then(function (r) { if (r.ok) renderPresence(r.data.tracked || []); });

  document.getElementById('action-clear').addEventListener('click', function () {
    if (!window.confirm('Clear the whole queue? Every pending paid item is refunded.')) return;
    WQ.api('POST', '/admin/queue/clear').then(function (r) {
      WQ.toast(r.ok && r.data.success !== false ? 'Queue cleared, ' + (r.data.refunded || 0) + ' refund(s)' : (r.data.detail || 'Clear failed'), r.ok ? 'ok' : 'error');
    });
  });
  document.getElementById('action-sync').addEventListener('click', function () {
    WQ.api('POST', '/admin/queue/sync-now').then(function (r) {
      WQ.toast(r.data.message || r.data.detail || 'Sync requested', r.ok && r.data.success !== false ? 'ok' : 'error');
    });
  });

  if (typeof io !== 'function') { setStatus(false, '● Disconnected'); return; }
  var socket = io({ path: '/socket.io', reconnectionDelay: 3000, reconnectionDelayMax: 3000 });
  socket.on('connect', function () { setStatus(true, '● Live'); });
  socket.on('disconnect', function () { setStatus(false, '● Disconnected'); });
  socket.on('connect_error', function (err) {
    setStatus(false, '● Disconnected');
    if (err && err.message === 'auth_error') socket.disconnect();
  });
  socket.on('queue_state', function (s) {
    document.getElementById('queue-count').textContent = String(s.items.length);
    document.getElementById('queue-now').textContent = title(null, s);
    document.getElementById('stale-notice').hidden = !s.stale;
  });
  socket.on('feed_status', function (s) {
    document.getElementById('stale-notice').hidden = !s.stale;
    add('feed', s.stale ? 'api-gate not answering' + (s.error ? ': ' + s.error : '') : 'api-gate answering again', s.stale);
  });
  socket.on('saga_step', function (e) {
    add('saga', e.username + ' · ' + (e.title || e.request_id) + ' → ' + e.state + (e.error ? ' (' + e.error + ')' : ''), !!e.error);
  });
  socket.on('refund', function (e) {
    add('refund', e.username + ' · ' + e.reason + ' · ' + (e.success ? (e.refunded_z != null ? WQ.formatZ(e.refunded_z) : 'done') : 'FAILED'), !e.success);
  });
  socket.on('presence', function (e) {
    var tracked = e.tracked || [];
    var names = tracked.map(function (t) { return t.owner + ':' + t.state; }).sort().join(',');
    if (names !== lastPresence) {
      add('presence', tracked.length ? 'watching ' + tracked.map(function (t) { return t.owner + ' (' + t.state + ')'; }).join(', ') : 'nobody watched');
      lastPresence = names;
    }
    renderPresence(tracked);
  });
})();
