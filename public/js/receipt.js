// Receipt modal for pay-to-play: any [data-action="queue"][data-token] opens it (browse, detail).
// GET /queue/preview → Item, Price, Discount, Total, Balance, Balance after → Confirm POSTs
// /queue/add (or /queue/playnext with data-tier="playnext") with a per-modal client_key so a
// double click spends once. Plain JS; uses window.WQ from app.js.
(function () {
  'use strict';
  var WQ = window.WQ;
  var REASONS = {
    insufficient_balance: "You don't have enough Z for this item.",
    daily_limit_reached: "You've reached today's queue limit. Try again tomorrow.",
    blackout_active: 'Queuing is temporarily disabled.',
  };

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var s = '';
    for (var i = 0; i < 32; i++) s += Math.floor(Math.random() * 16).toString(16);
    return (
      s.slice(0, 8) +
      '-' +
      s.slice(8, 12) +
      '-4' +
      s.slice(13, 16) +
      '-a' +
      s.slice(17, 20) +
      '-' +
      s.slice(20)
    );
  }

  function reasonText(p) {
    if (p.already_queued) return 'This title is already on the playlist.';
    if (p.locked && p.lock_message) return p.lock_message;
    if (p.available !== false) return '';
    if (p.message) return p.message;
    if (p.error_code === 'cooldown_active') {
      var min = Math.max(1, Math.ceil((p.cooldown_remaining_sec || 0) / 60));
      return 'You can queue again in ' + min + ' minute' + (min === 1 ? '' : 's') + '.';
    }
    return REASONS[p.error_code] || 'Queuing is not available right now.';
  }

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  }

  function row(dl, label, value, cls) {
    var dt = el('dt', null, label);
    var dd = el('dd', cls || null, value);
    dl.appendChild(dt);
    dl.appendChild(dd);
  }

  var seq = 0;
  // Give the dialog a name, move focus into it, close on Escape, and hand focus back on close.
  function show(backdrop, modal, heading, focusEl) {
    heading.id = 'receipt-heading-' + ++seq;
    modal.setAttribute('aria-labelledby', heading.id);
    var opener = document.activeElement;
    backdrop._restore = function () {
      document.removeEventListener('keydown', onKey);
      if (opener && opener.focus && document.contains(opener)) opener.focus();
    };
    function onKey(ev) {
      if (ev.key === 'Escape') close(backdrop);
    }
    document.addEventListener('keydown', onKey);
    document.body.appendChild(backdrop);
    focusEl.focus();
  }

  function close(backdrop) {
    if (backdrop && backdrop.parentNode) backdrop.parentNode.removeChild(backdrop);
    if (backdrop && backdrop._restore) {
      var restore = backdrop._restore;
      backdrop._restore = null;
      restore();
    }
  }

  function open(token, tier) {
    var backdrop = el('div', 'modal-backdrop receipt-backdrop');
    var modal = el('div', 'modal receipt');
    modal.setAttribute('role', 'dialog');
    modal.setAttribute('aria-modal', 'true');
    var heading = modal.appendChild(el('h2', null, tier === 'playnext' ? 'Play Next' : 'Queue'));
    // Queue and Play next side by side: the same price, a different place in the queue.
    var tiers = modal.appendChild(el('div', 'receipt-tiers'));
    tiers.setAttribute('role', 'group');
    tiers.setAttribute('aria-label', 'How it plays');
    [
      ['queue', 'Queue'],
      ['playnext', 'Play next'],
    ].forEach(function (t) {
      var b = tiers.appendChild(el('button', 'button small secondary receipt-tier', t[1]));
      b.type = 'button';
      b.setAttribute('data-tier', t[0]);
      b.setAttribute('aria-pressed', String(t[0] === tier));
      b.addEventListener('click', function () {
        if (t[0] === tier || confirm.textContent === 'Done') return;
        tier = t[0];
        heading.textContent = tier === 'playnext' ? 'Play Next' : 'Queue';
        tiers.querySelectorAll('button').forEach(function (x) {
          x.setAttribute('aria-pressed', String(x.getAttribute('data-tier') === tier));
        });
        load();
      });
    });
    var body = el('div', 'receipt-body', 'Loading price…');
    modal.appendChild(body);
    var actions = el('div', 'actions');
    var cancel = el('button', 'button secondary', 'Cancel');
    cancel.type = 'button';
    var confirm = el('button', 'button', 'Confirm');
    confirm.type = 'button';
    confirm.disabled = true;
    confirm.setAttribute('data-testid', 'receipt-confirm');
    actions.appendChild(cancel);
    actions.appendChild(confirm);
    modal.appendChild(actions);
    backdrop.appendChild(modal);
    show(backdrop, modal, heading, cancel);
    var clientKey = uuid();
    cancel.addEventListener('click', function () {
      close(backdrop);
    });
    backdrop.addEventListener('click', function (ev) {
      if (ev.target === backdrop) close(backdrop);
    });

    function load() {
      confirm.disabled = true;
      var url =
        '/queue/preview?friendly_token=' + encodeURIComponent(token) + '&tier=' + encodeURIComponent(tier);
      WQ.api('GET', url).then(function (res) {
        body.textContent = '';
        if (!res.ok) {
          body.appendChild(el('p', 'receipt-reason', res.data.detail || 'Price unavailable right now.'));
          return;
        }
        var p = res.data;
        preview = p;
        var dl = el('dl', 'receipt-lines');
        row(dl, 'Item', p.title);
        row(
          dl,
          'Plays',
          tier === 'playnext' ? 'Right after what is playing now' : 'After the items already queued',
        );
        row(dl, 'Price' + (p.tier_label ? ' (' + p.tier_label + ')' : ''), WQ.formatZ(p.base_cost));
        if (p.discount_pct) {
          row(dl, 'Your rank discount (' + p.discount_pct + ' %)', '-' + WQ.formatZ(p.discount_amount));
        }
        row(dl, 'Total', WQ.formatZ(p.cost_z), 'receipt-total');
        row(dl, 'Balance', p.balance === null ? '—' : WQ.formatZ(p.balance));
        if (p.balance_after !== null) {
          row(dl, 'Balance after', WQ.formatZ(p.balance_after), p.balance_after < 0 ? 'negative' : '');
        }
        if (typeof p.daily_remaining === 'number') {
          row(
            dl,
            'Purchases left today',
            p.daily_remaining + (p.available !== false ? ' (this one included)' : ''),
          );
        }
        body.appendChild(dl);
        var why = reasonText(p);
        if (why) {
          body.appendChild(el('p', 'receipt-reason', why + ' Nothing was charged.'));
          confirm.disabled = true;
        } else {
          confirm.disabled = false;
        }
      });
    }
    load();

    // After Confirm, the modal says what happened, in words, then offers the queue.
    function done(title, lines, ok) {
      body.textContent = '';
      body.appendChild(el('p', ok ? 'receipt-done' : 'receipt-reason', title));
      var dl = el('dl', 'receipt-lines');
      lines.forEach(function (l) {
        row(dl, l[0], l[1]);
      });
      if (lines.length) body.appendChild(dl);
      var link = body.appendChild(el('a', 'receipt-link', ok ? 'See it in the queue' : 'See the queue'));
      link.href = '/queue';
      confirm.textContent = 'Done';
      confirm.disabled = false;
      confirm.onclick = function () {
        close(backdrop);
      };
      cancel.remove();
      confirm.focus();
    }
    function chargedWords(data) {
      if (data.charged === true) {
        return data.refunded
          ? 'You were charged and the Z was refunded.'
          : 'You were charged; the refund is on its way (it is retried until it goes through).';
      }
      if (data.charged === 'unknown') return 'If the charge went through, it is refunded automatically.';
      return 'You were not charged.';
    }

    var preview = null;
    confirm.addEventListener('click', function () {
      if (confirm.textContent === 'Done') return;
      confirm.disabled = true;
      confirm.textContent = 'Queuing…';
      var path = tier === 'playnext' ? '/queue/playnext' : '/queue/add';
      WQ.api('POST', path, { friendly_token: token, tier: tier, client_key: clientKey }).then(function (res) {
        if (res.ok) {
          document.dispatchEvent(new CustomEvent('wq:purchased', { detail: { token: token } }));
          if (res.status === 202) {
            done(res.data.detail, [], true);
            return;
          }
          var lines = [['Paid', WQ.formatZ(preview.cost_z)]];
          if (preview.balance_after !== null) lines.push(['Balance now', WQ.formatZ(preview.balance_after)]);
          WQ.api('GET', '/queue/tiles?tokens=' + encodeURIComponent(token)).then(function (status) {
            var s = status.ok && status.data.items[0];
            if (s && s.position !== null) {
              lines.push([
                'Place in the queue',
                '#' +
                  s.position +
                  (s.starts_at
                    ? ', starting about ' +
                      new Date(s.starts_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
                    : ''),
              ]);
            } else if (s && s.playing) lines.push(['Place in the queue', 'Playing now']);
            done('Queued “' + preview.title + '”.', lines, true);
          });
        } else {
          var reason =
            REASONS[res.data.detail] || res.data.message || res.data.detail || 'Could not queue it.';
          // a retry is safe (same client_key); an uncertain charge or a title on the playlist is not retried
          var final = res.data.code === 'already_queued' || res.data.code === 'spend_uncertain';
          if (!final && (res.status >= 500 || res.status === 409)) {
            WQ.toast(reason, 'error');
            confirm.textContent = 'Try again';
            confirm.disabled = false;
            return;
          }
          done('Not queued: ' + reason + ' ' + chargedWords(res.data), [], false);
          if (res.data.charged === true) document.dispatchEvent(new CustomEvent('wq:purchased'));
        }
      });
    });
  }

  // Admin "Queue as Admin": pick the placement, POST /admin/queue/add.
  function openAdmin(token, title) {
    var backdrop = el('div', 'modal-backdrop receipt-backdrop');
    var modal = el('div', 'modal receipt');
    modal.setAttribute('role', 'dialog');
    modal.setAttribute('aria-modal', 'true');
    var heading = modal.appendChild(el('h2', null, 'Queue as Admin'));
    if (title) modal.appendChild(el('p', 'muted', title));
    var actions = el('div', 'actions receipt-admin-actions');
    [
      ['playnext_refund', 'Play next & refund all pending'],
      ['after_purchased', 'Play after all purchased items'],
      ['cancel', 'Cancel'],
    ].forEach(function (opt) {
      var b = el('button', opt[0] === 'cancel' ? 'button secondary' : 'button', opt[1]);
      b.type = 'button';
      b.addEventListener('click', function () {
        if (opt[0] === 'cancel') return close(backdrop);
        b.disabled = true;
        WQ.api('POST', '/admin/queue/add', { friendly_token: token, mode: opt[0] }).then(function (res) {
          if (res.ok) {
            WQ.toast(
              res.data.refunded ? 'Added; ' + res.data.refunded + ' item(s) refunded' : 'Added to queue!',
            );
            close(backdrop);
          } else {
            WQ.toast(res.data.detail || 'Could not queue it.', 'error');
            b.disabled = false;
          }
        });
      });
      actions.appendChild(b);
    });
    modal.appendChild(actions);
    backdrop.appendChild(modal);
    backdrop.addEventListener('click', function (ev) {
      if (ev.target === backdrop) close(backdrop);
    });
    show(backdrop, modal, heading, actions.lastChild);
  }

  // The catalog pages call these hooks (public/js/catalog.js); other pages use the click handler.
  WQ.onQueue = function (d) {
    open(d.token, (d.element && d.element.getAttribute('data-tier')) || 'queue');
  };
  WQ.onQueueAdmin = function (d) {
    openAdmin(d.token, d.title);
  };
  document.addEventListener('click', function (ev) {
    if (ev.defaultPrevented) return; // already handled through the hooks
    var t = ev.target && ev.target.closest ? ev.target.closest('[data-action="queue"][data-token]') : null;
    if (!t) return;
    ev.preventDefault();
    open(t.getAttribute('data-token'), t.getAttribute('data-tier') || 'queue');
  });
})();
