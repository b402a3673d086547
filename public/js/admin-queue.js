// Admin queue management: a live table of the queue (Socket.IO queue_state), Jump / Remove,
// Add Item (catalog search), Refresh, Clear Queue, and the catalog sync log.
(function () {
  'use strict';
  var state = null;
  var receivedAt = 0;
  var rows = document.getElementById('mgmt-rows');
  var statusEl = document.getElementById('live-status');

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function eta(item) {
    var at = isFinite(item.estimated_start_in_sec)
      ? new Date(receivedAt + item.estimated_start_in_sec * 1000)
      : new Date(item.estimated_start_at);
    if (isNaN(at.getTime())) return '';
    return '~' + String(at.getHours()).padStart(2, '0') + ':' + String(at.getMinutes()).padStart(2, '0');
  }
  function setStatus(live, text) {
    statusEl.className = 'status-dot ' + (live ? 'live' : 'down');
    statusEl.textContent = text;
  }
  function report(res, okText) {
    if (res.ok) WQ.toast(okText);
    else WQ.toast(res.data.detail || 'Failed (' + res.status + ')', 'error');
    return res.ok;
  }

  function render() {
    if (!state) return;
    document.getElementById('stale-notice').hidden = !state.stale;
    var npUid = state.now_playing ? state.now_playing.uid : null;
    var nowTitle = state.now_playing ? state.now_playing.title : 'nothing';
    var total = 0;
    rows.replaceChildren();
    state.items.forEach(function (item, idx) {
      total += Number(item.duration_sec) || 0;
      if (item.uid === npUid && item.title) nowTitle = item.title;
      var tr = el('tr', item.uid === npUid ? 'playing' : '');
      tr.dataset.uid = String(item.uid);
      tr.appendChild(el('td', null, idx + 1));
      var t = el('td');
      t.appendChild(el('div', null, item.title || 'Unknown'));
      t.appendChild(el('div', 'muted', WQ.formatDuration(item.duration_sec)));
      tr.appendChild(t);
      tr.appendChild(el('td', null, item.media_type));
      var pay = el('td');
      if (item.is_pay) pay.appendChild(el('span', 'badge pay', item.tier || 'paid'));
      else if (item.is_promo)
        pay.appendChild(
          el('span', 'badge promo promo-' + (item.promo_type || 'other'), item.promo_type || 'promo'),
        );
      else if (item.schedule_id !== null && item.schedule_id !== undefined)
        pay.appendChild(el('span', 'badge', 'sched'));
      else if (item.tier === 'admin') pay.appendChild(el('span', 'badge', 'admin'));
      tr.appendChild(pay);
      tr.appendChild(el('td', null, item.paid_by || item.queueby || ''));
      tr.appendChild(el('td', null, item.z_cost ? WQ.formatZ(item.z_cost) : ''));
      tr.appendChild(el('td', null, item.uid === npUid ? 'now' : eta(item)));
      var actions = el('td', 'mgmt-row-actions');
      var jump = el('button', 'button small secondary', 'Jump');
      jump.type = 'button';
      jump.dataset.action = 'jump';
      var remove = el('button', 'button small danger', 'Remove');
      remove.type = 'button';
      remove.dataset.action = 'remove';
      var wrap = el('div', 'row-actions');
      wrap.append(jump, remove);
      actions.appendChild(wrap);
      tr.appendChild(actions);
      rows.appendChild(tr);
    });
    if (!state.items.length)
      rows.appendChild(el('tr')).appendChild(el('td', 'muted', 'The queue is empty.')).colSpan = 8;
    document.getElementById('mgmt-now').textContent = nowTitle || 'Unknown';
    document.getElementById('mgmt-summary').textContent =
      state.items.length + (state.items.length === 1 ? ' item · ' : ' items · ') + WQ.formatDuration(total);
  }
  function apply(next) {
    state = next;
    receivedAt = Date.now();
    render();
  }
  function load() {
    return WQ.api('GET', '/queue/state').then(function (res) {
      if (res.ok) apply(res.data);
      else WQ.toast(res.data.detail || 'Could not load the queue', 'error');
    });
  }
  function findItem(uid) {
    var found = null;
    (state ? state.items : []).forEach(function (i) {
      if (i.uid === uid) found = i;
    });
    return found;
  }

  rows.addEventListener('click', function (ev) {
    var btn = ev.target.closest ? ev.target.closest('button[data-action]') : null;
    if (!btn) return;
    var uid = Number(btn.closest('tr').dataset.uid);
    var item = findItem(uid);
    var name = item && item.title ? '"' + item.title + '"' : 'this item';
    if (btn.dataset.action === 'jump') {
      if (!window.confirm('Play ' + name + ' now?')) return;
      WQ.api('POST', '/admin/queue/' + uid + '/jump').then(function (res) {
        report(res, 'Jumping…');
      });
    } else {
      var note =
        item && item.is_pay
          ? '\nIt was paid for: ' + (item.paid_by || 'the buyer') + ' will be refunded.'
          : '';
      if (!window.confirm('Remove ' + name + ' from the queue?' + note)) return;
      WQ.api('DELETE', '/admin/queue/' + uid).then(function (res) {
        var d = res.data || {};
        if (res.ok && d.removed === false) {
          WQ.toast(
            'Not removed' + (d.kept_because === 'refund_refused' ? ': the refund was refused' : ''),
            'error',
          );
          return;
        }
        var refund = d.refunded
          ? ' · refunded ' + WQ.formatZ(d.refunded_z) + (d.username ? ' to ' + d.username : '')
          : '';
        report(res, 'Removed ' + name + refund);
      });
    }
  });
  document.getElementById('btn-refresh').addEventListener('click', function () {
    load();
    loadSync();
  });
  document.getElementById('btn-clear').addEventListener('click', function () {
    if (!window.confirm('Clear the whole queue? Every paid item will be refunded.')) return;
    WQ.api('POST', '/admin/queue/clear').then(function (res) {
      report(
        res,
        'Queue cleared' +
          (res.data && res.data.refunded !== undefined ? ' (' + res.data.refunded + ' refunded)' : ''),
      );
    });
  });

  // --- Add Item modal ---
  var modal = document.getElementById('add-modal');
  var results = document.getElementById('add-results');
  document.getElementById('btn-add').addEventListener('click', function () {
    modal.hidden = false;
    document.getElementById('add-q').focus();
  });
  document.getElementById('add-close').addEventListener('click', function () {
    modal.hidden = true;
  });
  modal.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape') modal.hidden = true;
  });
  document.getElementById('add-search-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var q = document.getElementById('add-q').value.trim();
    if (!q) return;
    results.replaceChildren(el('li', 'muted', 'Searching…'));
    WQ.api('GET', '/catalog/search?q=' + encodeURIComponent(q)).then(function (res) {
      results.replaceChildren();
      if (!res.ok) {
        results.appendChild(el('li', 'muted', res.data.detail || 'Search failed'));
        return;
      }
      var items = res.data.items || [];
      if (!items.length) results.appendChild(el('li', 'muted', 'No items found.'));
      items.forEach(function (it) {
        var li = el('li');
        li.appendChild(el('span', null, it.title + ' (' + WQ.formatDuration(it.duration_sec) + ')'));
        var add = el('button', 'button small', 'Add');
        add.type = 'button';
        add.addEventListener('click', function () {
          add.disabled = true;
          var mode = document.getElementById('add-mode').value;
          WQ.api('POST', '/admin/queue/add', { friendly_token: it.friendly_token, mode: mode }).then(
            function (r) {
              add.disabled = false;
              report(r, 'Added' + (r.data && r.data.refunded ? ' (' + r.data.refunded + ' refunded)' : ''));
            },
          );
        });
        li.appendChild(add);
        results.appendChild(li);
      });
    });
  });

  // --- catalog sync ---
  function loadSync() {
    var body = document.getElementById('sync-rows');
    return WQ.api('GET', '/admin/queue/sync-logs').then(function (res) {
      body.replaceChildren();
      var logs = Array.isArray(res.data) ? res.data : res.data.logs || res.data.items || [];
      if (!res.ok || !logs.length) {
        body
          .appendChild(el('tr'))
          .appendChild(
            el('td', 'muted', res.ok ? 'No syncs yet.' : res.data.detail || 'Could not load sync logs'),
          ).colSpan = 6;
        return;
      }
      logs.slice(0, 8).forEach(function (log) {
        var tr = el('tr');
        var started = new Date(log.started_at);
        tr.appendChild(el('td', null, isNaN(started.getTime()) ? log.started_at : started.toLocaleString()));
        tr.appendChild(el('td', null, log.status));
        tr.appendChild(el('td', null, log.items_new));
        tr.appendChild(el('td', null, log.items_updated));
        tr.appendChild(el('td', null, log.errors));
        tr.appendChild(el('td', 'muted', log.message || ''));
        body.appendChild(tr);
      });
    });
  }
  document.getElementById('btn-sync').addEventListener('click', function () {
    WQ.api('POST', '/admin/queue/sync-now').then(function (res) {
      if (report(res, (res.data && res.data.message) || 'Sync started')) setTimeout(loadSync, 2000);
    });
  });

  load();
  loadSync();
  var socket = WQ.live(setStatus);
  if (!socket) return;
  socket.on('queue_state', apply);
  socket.on('feed_status', function (s) {
    if (state) {
      state.stale = !!s.stale;
      render();
    }
  });
})();
