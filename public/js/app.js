// Shared browser helpers for every page: toasts, JSON calls, logout. Plain JS, no build step.
(function () {
  'use strict';
  function toast(message, kind) {
    var box = document.getElementById('toasts');
    if (!box) return;
    var el = document.createElement('div');
    el.className = 'toast' + (kind === 'error' ? ' toast-error' : '');
    el.textContent = message;
    box.appendChild(el);
    setTimeout(function () {
      el.remove();
    }, 3000);
  }
  // fetch JSON; resolves {ok, status, data}; data.detail carries the server's message on errors.
  function api(method, url, body) {
    var opts = { method: method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    return fetch(url, opts).then(
      function (res) {
        return res.text().then(function (text) {
          var data = null;
          try {
            data = text ? JSON.parse(text) : null;
          } catch (e) {
            data = { detail: text };
          }
          return { ok: res.ok, status: res.status, data: data || {} };
        });
      },
      function () {
        return { ok: false, status: 0, data: { detail: 'Network error: the server could not be reached.' } };
      },
    );
  }
  function formatZ(n) {
    return (Number(n) || 0).toLocaleString('en-US') + ' Z';
  }
  function formatDuration(sec) {
    sec = Math.max(0, Math.round(Number(sec) || 0));
    var h = Math.floor(sec / 3600),
      m = Math.floor((sec % 3600) / 60),
      s = sec % 60;
    return (h ? h + ':' + String(m).padStart(2, '0') : m) + ':' + String(s).padStart(2, '0');
  }
  document.addEventListener('click', function (ev) {
    var t = ev.target;
    if (t && t.getAttribute && t.getAttribute('data-action') === 'logout') {
      api('POST', '/auth/logout').then(function () {
        window.location.href = '/auth/login';
      });
    }
  });
  // Live updates: one Socket.IO connection per page, reconnecting every 3 s, with the page's
  // status dot kept current through setStatus(isLive, text). Returns null without socket.io.
  function live(setStatus) {
    if (typeof io !== 'function') {
      setStatus(false, '● Disconnected');
      return null;
    }
    var socket = io({ path: '/socket.io', reconnectionDelay: 3000, reconnectionDelayMax: 3000 });
    socket.on('connect', function () {
      setStatus(true, '● Live');
    });
    socket.on('disconnect', function () {
      setStatus(false, '● Disconnected');
    });
    // a refund or a purchase in another tab: the navbar balance reads again
    socket.on('balance_changed', function () {
      setTimeout(balance, 300);
    });
    socket.on('connect_error', function (err) {
      if (err && err.message === 'auth_error') {
        setStatus(false, '● Disconnected (please log in again)');
        // Refused at the handshake: retrying would be refused too.
        socket.disconnect();
      } else {
        setStatus(false, '● Disconnected');
      }
    });
    return socket;
  }
  // The live queue of a page: the whole state on connect, then diffs (queue-diff.js); a diff
  // that does not follow what the page holds makes it ask for the whole state again.
  function queueFeed(socket, onState) {
    var current = null;
    socket.on('queue_state', function (state) {
      current = state;
      onState(state);
    });
    socket.on('queue_diff', function (diff) {
      var next = window.WQQueueDiff ? window.WQQueueDiff.applyQueueDiff(current, diff) : null;
      if (!next) {
        socket.emit('queue_resync');
        return;
      }
      if (next === current) return;
      current = next;
      onState(next);
    });
  }
  // An element with its text (via textContent, never HTML) and class.
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  // The viewer's balance in the navbar: read on load, every minute, when the tab comes back,
  // and at once after a purchase or refund in this tab (`wq:purchased`).
  function balance() {
    var slot = document.getElementById('nav-balance');
    if (!slot) return;
    api('GET', '/user/balance').then(function (res) {
      if (res.ok && res.data && res.data.found) {
        slot.textContent = formatZ(res.data.balance);
        slot.title = 'Your balance';
      }
    });
  }
  document.addEventListener('DOMContentLoaded', balance);
  // Times in the viewer's own locale; bars from their data (the CSP allows no inline styles).
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('time[data-local-time]').forEach(function (t) {
      var at = new Date(t.getAttribute('datetime'));
      if (!isNaN(at.getTime()))
        t.textContent = '~' + at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    });
    document.querySelectorAll('[data-progress]').forEach(function (bar) {
      bar.style.width = Number(bar.getAttribute('data-progress')) + '%';
    });
  });
  document.addEventListener('wq:purchased', function () {
    // the economy applies a spend or refund a moment after answering
    setTimeout(balance, 300);
    setTimeout(balance, 2000);
  });
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) balance();
  });
  setInterval(balance, 60000);
  // Promo types in words, for every page that shows them (queue, queue management, promos).
  var PROMO_TYPE_LABELS = {
    channel_identity: 'Channel identity',
    event: 'Event promo',
    mod_shoutout: 'Mod shout-out',
    feature_presentation: 'Feature Presentation',
    viewers_choice: "Viewer's Choice",
    general: 'General promo',
  };
  function promoTypeLabel(type) {
    return PROMO_TYPE_LABELS[type] || 'Promo';
  }
  window.WQ = {
    promoTypeLabel: promoTypeLabel,
    toast: toast,
    api: api,
    formatZ: formatZ,
    formatDuration: formatDuration,
    live: live,
    queueFeed: queueFeed,
    el: el,
  };
})();
