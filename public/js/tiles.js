// Catalog tiles and the detail page, for the viewer looking at them: "Playing now", "In the queue
// (#N, ~time)", "Played today" badges and this viewer's price on the Queue / Play next buttons
// (GET /queue/tiles). Refreshed every 30 s, when the tab comes back, and after a purchase.
(function () {
  'use strict';
  var el = WQ.el;
  var slots = Array.prototype.slice.call(document.querySelectorAll('[data-status-for]'));
  if (!slots.length) return;
  // One request per 60 distinct tokens (a home page repeats titles across rows).
  var tokens = slots
    .map(function (s) {
      return s.getAttribute('data-status-for');
    })
    .filter(function (t, i, all) {
      return all.indexOf(t) === i;
    });

  function clock(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }
  function sameDay(a, b) {
    return (
      a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate()
    );
  }
  function playedWords(iso) {
    var at = new Date(iso);
    var now = new Date();
    var yesterday = new Date(now.getTime() - 86400000);
    if (sameDay(at, now)) return 'Played today ' + clock(iso);
    if (sameDay(at, yesterday)) return 'Played yesterday';
    return null;
  }
  var z = WQ.formatZ;

  function render(s) {
    document.querySelectorAll('[data-status-for="' + s.token + '"]').forEach(function (slot) {
      badges(slot, s);
    });
    prices(s);
  }
  function badges(slot, s) {
    slot.replaceChildren();
    if (s.playing) slot.appendChild(el('span', 'Playing now', 'badge live'));
    else if (s.position !== null) {
      slot.appendChild(
        el(
          'span',
          'In the queue · #' + s.position + (s.starts_at ? ' · ~' + clock(s.starts_at) : ''),
          'badge queued',
        ),
      );
    }
    var played = s.played_at && !s.playing ? playedWords(s.played_at) : null;
    if (played) slot.appendChild(el('span', played, 'badge played'));
    if (s.blocked && slot.classList.contains('item-status')) {
      slot.appendChild(el('p', s.blocked, 'muted small'));
    }
  }
  function prices(s) {
    var buttons = document.querySelectorAll('[data-action="queue"][data-token="' + s.token + '"]');
    Array.prototype.forEach.call(buttons, function (b) {
      var label = b.getAttribute('data-price-label') || b.textContent;
      b.textContent = s.price ? label + ' · ' + z(s.price.cost_z) : label;
      if (s.price && s.price.discount_pct > 0) {
        b.title = z(s.price.base_cost) + ' less your ' + s.price.discount_pct + ' % rank discount';
      }
      if (s.blocked) {
        b.setAttribute('aria-disabled', 'true');
        b.classList.add('is-blocked');
        b.title = s.blocked;
      } else {
        b.removeAttribute('aria-disabled');
        b.classList.remove('is-blocked');
      }
    });
  }

  function refresh() {
    for (var i = 0; i < tokens.length; i += 60) {
      WQ.api('GET', '/queue/tiles?tokens=' + encodeURIComponent(tokens.slice(i, i + 60).join(','))).then(
        function (res) {
          if (res.ok) res.data.items.forEach(render);
        },
      );
    }
  }
  // A blocked button says why instead of opening the receipt.
  document.addEventListener(
    'click',
    function (ev) {
      var b = ev.target && ev.target.closest ? ev.target.closest('[data-action="queue"].is-blocked') : null;
      if (!b) return;
      ev.preventDefault();
      ev.stopImmediatePropagation();
      WQ.toast(b.title, 'error');
    },
    true,
  );
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) refresh();
  });
  document.addEventListener('wq:purchased', refresh);
  refresh();
  setInterval(refresh, 30000);
})();
