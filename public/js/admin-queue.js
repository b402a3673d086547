// Admin queue management: a live table of the queue (Socket.IO, WQ.queueFeed), Jump / Remove,
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
    return '~' + at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }
  function setStatus(live, text) {
    statusEl.className = 'status-dot ' + (live ? 'live' : 'down');
    statusEl.textContent = text;
  }

  // A small dialog with a message, a list and a choice of buttons; resolves with the key chosen
  // (null for Cancel or Escape).
  function choose(title, message, list, options) {
    return new Promise(function (resolve) {
      var backdrop = el('div', 'modal-backdrop');
      var modal = el('div', 'modal');
      modal.setAttribute('role', 'dialog');
      modal.setAttribute('aria-modal', 'true');
      var heading = modal.appendChild(el('h2', null, title));
      heading.id = 'choose-heading';
      modal.setAttribute('aria-labelledby', heading.id);
      modal.appendChild(el('p', null, message));
      if (list.length) {
        var ul = modal.appendChild(el('ul', 'choose-list'));
        list.forEach(function (line) {
          ul.appendChild(el('li', null, line));
        });
      }
      var actions = modal.appendChild(el('div', 'actions choose-actions'));
      var done = function (key) {
        backdrop.remove();
        resolve(key);
      };
      options.concat([['cancel', 'Cancel', 'button secondary']]).forEach(function (o) {
        var b = actions.appendChild(el('button', o[2] || 'button', o[1]));
        b.type = 'button';
        b.addEventListener('click', function () {
          done(o[0] === 'cancel' ? null : o[0]);
        });
      });
      backdrop.addEventListener('keydown', function (ev) {
        if (ev.key === 'Escape') done(null);
      });
      backdrop.appendChild(modal);
      document.body.appendChild(backdrop);
      actions.lastChild.focus();
    });
  }
  // The paid items a jump to `uid` goes past, in play order (the list loops).
  function skippedPaid(uid) {
    var items = state ? state.items : [];
    var npUid = state && state.now_playing ? state.now_playing.uid : null;
    var from = -1;
    var to = -1;
    items.forEach(function (i, k) {
      if (i.uid === npUid) from = k;
      if (i.uid === uid) to = k;
    });
    if (to < 0) return [];
    var out = [];
    if (from < 0) out = items.slice(0, to);
    else for (var k = (from + 1) % items.length; k !== to; k = (k + 1) % items.length) out.push(items[k]);
    return out.filter(function (i) {
      return i.is_pay;
    });
  }

  // Reorder: "Move after…" from the keyboard (a list of the other items), or drag and drop.
  function moveAfter(uid, afterUid, name) {
    WQ.api('POST', '/admin/queue/' + uid + '/move', { after_uid: afterUid }).then(function (res) {
      var d = res.data || {};
      if (res.ok && d.success === false)
        return WQ.toast('Not moved: ' + (d.error || 'CyTube did not apply it'), 'error');
      report(res, 'Moved ' + name);
    });
  }
  function pickAfter(uid, name) {
    var backdrop = el('div', 'modal-backdrop');
    var modal = el('div', 'modal');
    modal.setAttribute('role', 'dialog');
    modal.setAttribute('aria-modal', 'true');
    modal.setAttribute('aria-labelledby', 'move-heading');
    var h = modal.appendChild(el('h2', null, 'Move ' + name));
    h.id = 'move-heading';
    var label = modal.appendChild(el('label', null, 'Put it right after'));
    label.htmlFor = 'move-after';
    var select = modal.appendChild(el('select'));
    select.id = 'move-after';
    (state ? state.items : []).forEach(function (i, k) {
      if (i.uid === uid) return;
      var o = el('option', null, '#' + (k + 1) + ' ' + (i.title || 'Untitled'));
      o.value = String(i.uid);
      select.appendChild(o);
    });
    var actions = modal.appendChild(el('div', 'actions'));
    var cancel = actions.appendChild(el('button', 'button secondary', 'Cancel'));
    cancel.type = 'button';
    var ok = actions.appendChild(el('button', 'button', 'Move'));
    ok.type = 'button';
    var close = function () {
      backdrop.remove();
    };
    cancel.addEventListener('click', close);
    ok.addEventListener('click', function () {
      close();
      moveAfter(uid, Number(select.value), name);
    });
    backdrop.addEventListener('keydown', function (ev) {
      if (ev.key === 'Escape') close();
    });
    backdrop.appendChild(modal);
    document.body.appendChild(backdrop);
    select.focus();
  }
  var dragged = null;
  rows.addEventListener('dragstart', function (ev) {
    var tr = ev.target.closest && ev.target.closest('tr[data-uid]');
    if (!tr) return;
    dragged = Number(tr.dataset.uid);
    ev.dataTransfer.effectAllowed = 'move';
    ev.dataTransfer.setData('text/plain', tr.dataset.uid);
  });
  rows.addEventListener('dragover', function (ev) {
    if (dragged !== null) ev.preventDefault();
  });
  rows.addEventListener('drop', function (ev) {
    var tr = ev.target.closest && ev.target.closest('tr[data-uid]');
    if (!tr || dragged === null) return;
    ev.preventDefault();
    var onto = Number(tr.dataset.uid);
    var uid = dragged;
    dragged = null;
    if (onto === uid) return;
    var item = findItem(uid);
    moveAfter(uid, onto, item && item.title ? '"' + item.title + '"' : 'the item');
  });
  rows.addEventListener('dragend', function () {
    dragged = null;
  });

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
      if (item.is_pay) {
        pay.appendChild(
          el(
            'span',
            'badge pay',
            (item.tier === 'playnext' ? 'Play next' : 'Queue') + ' · ' + (item.paid_by || 'paid'),
          ),
        );
      } else if (item.is_promo)
        pay.appendChild(
          el('span', 'badge promo promo-' + (item.promo_type || 'other'), WQ.promoTypeLabel(item.promo_type)),
        );
      else if (item.schedule_id !== null && item.schedule_id !== undefined)
        pay.appendChild(el('span', 'badge', 'Scheduled event'));
      else if (item.tier === 'admin') pay.appendChild(el('span', 'badge', 'Added by an admin'));
      tr.appendChild(pay);
      tr.appendChild(el('td', null, item.paid_by || item.queueby || ''));
      tr.appendChild(el('td', null, item.z_cost ? WQ.formatZ(item.z_cost) : ''));
      tr.appendChild(el('td', null, item.uid === npUid ? 'now' : eta(item)));
      var actions = el('td', 'mgmt-row-actions');
      var jump = el('button', 'button small secondary', 'Jump');
      jump.type = 'button';
      jump.dataset.action = 'jump';
      var move = el('button', 'button small secondary', 'Move');
      move.type = 'button';
      move.dataset.action = 'move';
      move.setAttribute('aria-label', 'Move ' + (item.title || 'this item') + ' after…');
      var remove = el('button', 'button small danger', 'Remove');
      remove.type = 'button';
      remove.dataset.action = 'remove';
      var wrap = el('div', 'row-actions');
      wrap.append(jump, move, remove);
      actions.appendChild(wrap);
      tr.appendChild(actions);
      // drag a row onto another: it goes right after that one
      tr.draggable = true;
      rows.appendChild(tr);
    });
    // each cell names its column, so rows can stack as cards on a phone
    var heads = Array.prototype.map.call(document.querySelectorAll('.mgmt-table thead th'), function (th) {
      return th.textContent.trim();
    });
    rows.querySelectorAll('tr').forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, k) {
        if (heads[k] && heads[k] !== 'Actions') td.setAttribute('data-label', heads[k]);
      });
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
    if (btn.dataset.action === 'move') {
      pickAfter(uid, name);
      return;
    }
    if (btn.dataset.action === 'jump') {
      var paid = skippedPaid(uid);
      var lines = paid.map(function (i) {
        return (i.title || 'Untitled') + ' — paid by ' + (i.paid_by || 'a viewer');
      });
      var options = paid.length
        ? [
            ['refund', 'Jump and refund them', 'button danger'],
            ['keep', 'Jump; they play when the list comes round', 'button'],
          ]
        : [['keep', 'Play it now', 'button']];
      var message = paid.length
        ? 'Playing ' +
          name +
          ' now goes past ' +
          paid.length +
          ' paid item' +
          (paid.length === 1 ? '' : 's') +
          ':'
        : 'Play ' + name + ' now?';
      choose('Jump', message, lines, options).then(function (pick) {
        if (!pick) return;
        WQ.api('POST', '/admin/queue/' + uid + '/jump', { refund_skipped: pick === 'refund' }).then(
          function (res) {
            var d = res.data || {};
            report(
              res,
              'Jumping…' +
                (d.refunded ? ' ' + d.refunded + ' refunded (' + WQ.formatZ(d.refunded_z) + ')' : ''),
            );
          },
        );
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
    var items = state ? state.items : [];
    var paid = items.filter(function (i) {
      return i.is_pay;
    }).length;
    var loop = items.filter(function (i) {
      return !i.temp && !i.is_pay && !i.is_promo;
    }).length;
    var options = [['all', 'Clear everything', 'button danger']];
    if (loop > 0 && loop < items.length) {
      options.unshift([
        'loop',
        "Clear, keep the channel's loop (" + loop + ' item' + (loop === 1 ? '' : 's') + ')',
        'button',
      ]);
    }
    var message =
      paid > 0
        ? paid + ' paid item' + (paid === 1 ? ' is' : 's are') + ' refunded either way.'
        : 'Nothing in the queue is paid for.';
    choose('Clear the queue', message, [], options).then(function (pick) {
      if (!pick) return;
      WQ.api('POST', '/admin/queue/clear', { keep_loop: pick === 'loop' }).then(function (res) {
        var d = res.data || {};
        report(
          res,
          'Queue cleared' +
            (d.refunded !== undefined ? ' (' + d.refunded + ' refunded)' : '') +
            (d.kept_loop ? '; ' + d.kept_loop + ' loop item' + (d.kept_loop === 1 ? '' : 's') + ' kept' : ''),
        );
      });
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
  WQ.queueFeed(socket, apply);
  socket.on('feed_status', function (s) {
    if (state) {
      state.stale = !!s.stale;
      render();
    }
  });
})();
