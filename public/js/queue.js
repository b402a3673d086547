// Live queue page: first state over HTTP (/queue/state), then Socket.IO pushes (WQ.queueFeed: the
// whole state on connect, then a diff when the queue changes). Progress and ETAs advance in the browser between pushes.
(function () {
  'use strict';
  var state = null;
  var receivedAt = 0;
  var statusEl = document.getElementById('live-status');
  var staleEl = document.getElementById('stale-notice');
  var listEl = document.getElementById('queue-list');
  var hidePrev = document.getElementById('hide-previous');
  var scrolled = false;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function coverUrl(item) {
    if (item.cover_art_path)
      return (
        '/images/' + String(item.cover_art_path).split('/').map(encodeURIComponent).join('/') + '/200.webp'
      );
    return item.thumbnail_url || null;
  }
  function cover(item, cls) {
    var box = el('div', cls);
    var url = coverUrl(item);
    if (url) {
      var img = el('img');
      img.src = url;
      img.alt = '';
      img.loading = 'lazy';
      box.appendChild(img);
    } else {
      box.appendChild(el('span', 'queue-letter', (item.title || '?').charAt(0).toUpperCase()));
    }
    return box;
  }
  function clockTime(offsetSec, fallbackIso) {
    var at = isFinite(offsetSec) ? new Date(receivedAt + offsetSec * 1000) : new Date(fallbackIso);
    if (isNaN(at.getTime())) return '';
    // one time format for the whole site: the viewer's own locale
    return '~' + at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }
  var promoLabel = WQ.promoTypeLabel;
  function elapsedNow() {
    var np = state && state.now_playing;
    if (!np) return 0;
    var t = Math.max(0, Number(np.currentTime) || 0);
    if (!np.paused && !(state && state.stale)) t += (Date.now() - receivedAt) / 1000;
    return np.seconds > 0 ? Math.min(t, np.seconds) : t;
  }

  function renderNow() {
    var np = state && state.now_playing;
    document.getElementById('now-empty').hidden = !!np;
    document.getElementById('now-body').hidden = !np;
    if (!np) return;
    var item = null;
    state.items.forEach(function (i) {
      if (i.uid === np.uid) item = i;
    });
    var art = document.getElementById('now-cover');
    art.replaceChildren(
      cover(
        { title: np.title, cover_art_path: np.cover_art_path, thumbnail_url: np.thumbnail_url },
        'queue-cover-lg',
      ),
    );
    document.getElementById('now-title').textContent = (item && item.title) || np.title || 'Unknown';
    var who = whoAsked(item || np);
    document.getElementById('now-by').textContent =
      who.tier === 'Channel'
        ? 'Channel pick'
        : 'Queued by ' + who.by + (item && item.is_pay ? ' · ' + who.tier : '');
    document.getElementById('now-desc').textContent = np.description || '';
    var chips = document.getElementById('now-chips');
    chips.replaceChildren();
    (np.categories || []).concat(np.tags || []).forEach(function (c) {
      chips.appendChild(el('span', 'chip', c));
    });
    renderProgress();
  }
  function renderProgress() {
    var np = state && state.now_playing;
    if (!np) return;
    var e = elapsedNow();
    var total = Number(np.seconds) || 0;
    document.getElementById('now-elapsed').textContent =
      WQ.formatDuration(e) + ' / ' + WQ.formatDuration(total);
    document.getElementById('now-remaining').textContent = total
      ? WQ.formatDuration(total - e) + ' remaining'
      : '';
    document.getElementById('now-bar').style.width = (total ? Math.min(100, (e / total) * 100) : 0) + '%';
  }

  // Who asked for it, in words: the paying viewer, someone who queued in CyTube itself, or the
  // channel (admin inserts, events, promos) — never the bot's account name.
  // The bots: configured on the page, plus whoever queued the items webqueue itself inserted.
  function botNames() {
    var names = {};
    (document.getElementById('queue-page').getAttribute('data-bot-names') || '')
      .split(',')
      .forEach(function (n) {
        if (n) names[n.toLowerCase()] = true;
      });
    ((state && state.items) || []).forEach(function (i) {
      var ours =
        i.is_pay ||
        i.is_promo ||
        i.tier === 'admin' ||
        (i.schedule_id !== null && i.schedule_id !== undefined);
      if (ours && i.queueby) names[i.queueby.toLowerCase()] = true;
    });
    return names;
  }
  function whoAsked(i) {
    if (i.is_pay) return { by: i.paid_by || 'a viewer', tier: i.tier === 'playnext' ? 'Play next' : 'Queue' };
    var channel = i.is_promo || i.tier === 'admin' || (i.schedule_id !== null && i.schedule_id !== undefined);
    if (!channel && i.paid_by && !botNames()[i.paid_by.toLowerCase()])
      return { by: i.paid_by, tier: 'Added in CyTube' };
    return { by: 'Channel', tier: 'Channel' };
  }

  function renderList() {
    listEl.replaceChildren();
    if (!state) return;
    var npUid = state.now_playing ? state.now_playing.uid : null;
    var npIndex = -1;
    state.items.forEach(function (i, idx) {
      if (i.uid === npUid) npIndex = idx;
    });
    var total = 0;
    state.items.forEach(function (i) {
      total += Number(i.duration_sec) || 0;
    });
    document.getElementById('queue-summary').textContent =
      state.items.length + (state.items.length === 1 ? ' item' : ' items') + ' · ' + WQ.formatDuration(total);
    if (state.items.length === 0) {
      var empty = el('li', 'queue-empty');
      empty.appendChild(document.createTextNode('The queue is empty. '));
      var browse = el('a', null, 'Browse the catalog');
      browse.href = '/catalog';
      empty.appendChild(browse);
      empty.appendChild(document.createTextNode(' and put something on: it starts at once.'));
      listEl.appendChild(empty);
      return;
    }
    state.items.forEach(function (item, idx) {
      // a paid item that has not played yet (e.g. skipped over by an admin jump) is never hidden
      if (hidePrev.checked && npIndex >= 0 && idx < npIndex && !item.is_pay) return;
      var li = el('li', 'queue-row' + (item.uid === npUid ? ' playing' : ''));
      li.dataset.uid = String(item.uid);
      // the place in play order: what plays next is #1 (the list loops)
      var place =
        item.uid === npUid
          ? 'Now'
          : npIndex < 0
            ? '#' + (idx + 1)
            : '#' + ((idx - npIndex + state.items.length) % state.items.length);
      var pos = el('span', 'queue-pos', place);
      pos.setAttribute('aria-label', item.uid === npUid ? 'Playing now' : 'Position ' + place.slice(1));
      li.appendChild(pos);
      li.appendChild(cover(item, 'queue-thumb'));
      var main = el('div', 'queue-row-main');
      main.appendChild(el('div', 'queue-row-title', item.title || 'Unknown'));
      var meta = el('div', 'queue-row-meta muted');
      var who = whoAsked(item);
      meta.appendChild(el('span', null, who.tier === 'Channel' ? 'Channel pick' : 'by ' + who.by));
      if (item.is_pay) meta.appendChild(el('span', 'badge pay', 'Paid · ' + who.tier));
      if (item.is_pay && npIndex >= 0 && idx < npIndex)
        meta.appendChild(el('span', 'badge', 'Waiting: skipped by a jump'));
      if (item.is_promo)
        meta.appendChild(
          el('span', 'badge promo promo-' + (item.promo_type || 'other'), promoLabel(item.promo_type)),
        );
      main.appendChild(meta);
      li.appendChild(main);
      var side = el('div', 'queue-row-side');
      side.appendChild(el('div', null, WQ.formatDuration(item.duration_sec)));
      side.appendChild(
        el(
          'div',
          'muted',
          item.uid === npUid ? 'now' : clockTime(item.estimated_start_in_sec, item.estimated_start_at),
        ),
      );
      li.appendChild(side);
      listEl.appendChild(li);
    });
    if (!scrolled && npUid !== null) {
      scrolled = true;
      var row = listEl.querySelector('.playing');
      if (row && row.scrollIntoView) row.scrollIntoView({ block: 'nearest' });
    }
  }

  function apply(next) {
    state = next;
    receivedAt = Date.now();
    staleEl.hidden = !next.stale;
    renderNow();
    renderList();
  }
  function setStatus(live, text) {
    statusEl.className = 'status-dot ' + (live ? 'live' : 'down');
    statusEl.textContent = text;
  }

  hidePrev.addEventListener('change', renderList);
  setInterval(renderProgress, 1000);

  WQ.api('GET', '/queue/state').then(function (res) {
    if (res.ok) apply(res.data);
    else WQ.toast(res.data.detail || 'Could not load the queue', 'error');
  });

  var socket = WQ.live(setStatus);
  if (!socket) return;
  WQ.queueFeed(socket, apply);
  socket.on('feed_status', function (s) {
    staleEl.hidden = !s.stale;
    if (state) state.stale = !!s.stale;
  });
  socket.on('schedule_fired', function (d) {
    WQ.toast('Scheduled playlist started: ' + (d && d.playlist_name ? d.playlist_name : ''));
  });
  setInterval(function () {
    if (socket.connected) socket.emit('ping');
  }, 30000);
})();

// Scheduled Playlist sidebar box (schedules): /queue/next-schedule refetched every 120 s, the
// countdown redrawn every 30 s; "Pay-to-play is closed — starts in …" while the pre-fire lock is on.
(function () {
  'use strict';
  var box = document.getElementById('next-schedule');
  if (!box) return;
  var next = null;
  function countdown(ms) {
    var min = Math.max(0, Math.ceil(ms / 60000));
    var d = Math.floor(min / 1440),
      h = Math.floor((min % 1440) / 60),
      m = min % 60;
    return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + m + 'm';
  }
  function draw() {
    var at = next && next.fire_at ? new Date(next.fire_at) : null;
    box.hidden = !at || isNaN(at.getTime());
    if (box.hidden) return;
    document.getElementById('next-schedule-label').textContent = next.label;
    document.getElementById('next-schedule-time').textContent = at.toLocaleString([], {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    var left = countdown(at.getTime() - Date.now());
    var text = document.getElementById('next-schedule-countdown');
    text.textContent = next.lock_active ? 'Pay-to-play is closed — starts in ' + left : 'Starts in ' + left;
    text.className = next.lock_active ? 'queue-schedule-locked' : '';
  }
  function load() {
    WQ.api('GET', '/queue/next-schedule').then(function (res) {
      if (res.ok) {
        next = res.data && res.data.fire_at ? res.data : null;
        draw();
      }
    });
  }
  load();
  setInterval(draw, 30000);
  setInterval(load, 120000);
})();
