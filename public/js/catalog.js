// Catalog pages: remembered sort, auto-submitting filters, admin Hide/Unhide, and the Queue hook.
// Plain browser JS; uses window.WQ from app.js.
(function () {
  'use strict';
  var SORT_KEY = 'browse_sort';

  function storage() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  // Re-apply the remembered sort when the URL does not name one (browse/search pages only).
  var sortSelect = document.querySelector('select[data-remember]');
  if (sortSelect) {
    var store = storage();
    var params = new URLSearchParams(window.location.search);
    var saved = store && store.getItem(SORT_KEY);
    var known = Array.prototype.some.call(sortSelect.options, function (o) {
      return o.value === saved;
    });
    if (!params.has('sort') && saved && saved !== 'default' && known && saved !== sortSelect.value) {
      params.set('sort', saved);
      params.delete('page');
      window.location.replace(window.location.pathname + '?' + params.toString());
      return;
    }
    sortSelect.addEventListener('change', function () {
      if (store) store.setItem(SORT_KEY, sortSelect.value);
    });
  }

  // Filters submit on change. With an empty search box the form goes to /catalog/browse.
  var form = document.getElementById('catalog-filters');
  if (form) {
    var submit = function () {
      var q = form.querySelector('input[name=q]');
      form.action = q && q.value.trim() ? '/catalog/search' : '/catalog/browse';
      if (q && !q.value.trim()) q.disabled = true;
      Array.prototype.forEach.call(form.querySelectorAll('select'), function (s) {
        // Like the server's links: no empty filters, no sort=default.
        if (!s.value || (s.name === 'sort' && s.value === 'default')) s.disabled = true;
      });
      form.submit();
    };
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      submit();
    });
    Array.prototype.forEach.call(form.querySelectorAll('[data-autosubmit]'), function (el) {
      el.addEventListener('change', submit);
    });
    liveSearch(form);
  }

  // Search as you type: after a short pause, fetch the server-rendered results page for the
  // current box and filters and swap the heading and results in place (focus stays in the box,
  // escaping stays on the server); the URL follows with replaceState. Older answers are dropped.
  function liveSearch(form) {
    var box = form.querySelector('input[name=q]');
    var results = document.getElementById('catalog-results');
    var heading = document.querySelector('.catalog-heading');
    if (!box || !results || !window.fetch || !window.DOMParser) return;
    var timer = null;
    var seq = 0;
    var last = box.value.trim();
    box.addEventListener('input', function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, 250);
    });
    function run() {
      var q = box.value.trim();
      if (q === last) return;
      last = q;
      var params = new URLSearchParams();
      if (q) params.set('q', q);
      Array.prototype.forEach.call(form.querySelectorAll('select, input[type=hidden]'), function (el) {
        if (el.name && el.value && !(el.name === 'sort' && el.value === 'default'))
          params.set(el.name, el.value);
      });
      var url =
        (q ? '/catalog/search' : '/catalog/browse') + (params.toString() ? '?' + params.toString() : '');
      var mine = ++seq;
      form.setAttribute('aria-busy', 'true');
      fetch(url, { headers: { Accept: 'text/html' }, credentials: 'same-origin' })
        .then(function (res) {
          return res.ok ? res.text() : Promise.reject(new Error('HTTP ' + res.status));
        })
        .then(function (html) {
          if (mine !== seq) return;
          var doc = new DOMParser().parseFromString(html, 'text/html');
          var fresh = doc.getElementById('catalog-results');
          var freshHeading = doc.querySelector('.catalog-heading');
          if (!fresh) return;
          results.innerHTML = fresh.innerHTML;
          if (heading && freshHeading) heading.textContent = freshHeading.textContent;
          if (freshHeading) document.title = doc.title || document.title;
          window.history.replaceState(null, '', url);
        })
        .catch(function () {
          /* keep the current results; Enter still submits the form */
        })
        .then(function () {
          if (mine === seq) form.removeAttribute('aria-busy');
        });
    }
  }

  function hideOrUnhide(button, hide) {
    var token = button.getAttribute('data-token');
    var title = button.getAttribute('data-title') || token;
    var question = hide
      ? 'Hide "' + title + '" from the catalog? It gets the kryten-hidden tag here and in MediaCMS.'
      : 'Unhide "' + title + '"?';
    if (!window.confirm(question)) return;
    button.disabled = true;
    WQ.api('POST', '/admin/catalog/' + encodeURIComponent(token) + (hide ? '/hide' : '/unhide')).then(
      function (r) {
        button.disabled = false;
        if (!r.ok) {
          WQ.toast(r.data.detail || 'Failed', 'error');
          return;
        }
        WQ.toast(
          (hide ? 'Hidden' : 'Unhidden') + (r.data.remote_ok ? '' : ' locally (MediaCMS update failed)'),
          r.data.remote_ok ? 'ok' : 'error',
        );
        var tile = button.closest('.tile');
        if (tile && hide) tile.classList.add('tile-hidden');
        if (tile && !hide) tile.classList.remove('tile-hidden');
        button.setAttribute('data-action', hide ? 'unhide' : 'hide');
        button.textContent = hide ? 'Unhide' : 'Hide';
      },
    );
  }

  // Admin playlist buttons: "+ Recent" appends to the admin's newest playlist; "Add to playlist"
  // opens a small picker of saved playlists (POST /admin/playlists/{id}/append).
  function appended(r) {
    if (r.ok) WQ.toast('Added to "' + r.data.name + '"');
    else WQ.toast(r.data.detail || 'Failed', 'error');
  }
  function addToRecent(token) {
    WQ.api('POST', '/admin/playlists/recent/append', { friendly_token: token }).then(appended);
  }
  function pickPlaylist(token, title) {
    WQ.api('GET', '/admin/playlists').then(function (r) {
      if (!r.ok) return WQ.toast(r.data.detail || 'Failed', 'error');
      if (!r.data.length) return WQ.toast('Create a playlist first', 'error');
      var backdrop = document.createElement('div');
      backdrop.className = 'modal-backdrop';
      var box = document.createElement('div');
      box.className = 'modal';
      box.setAttribute('role', 'dialog');
      box.setAttribute('aria-modal', 'true');
      box.setAttribute('aria-label', 'Add to playlist');
      var heading = document.createElement('h2');
      heading.textContent = 'Add "' + title + '" to…';
      var select = document.createElement('select');
      select.setAttribute('aria-label', 'Playlist');
      r.data.forEach(function (p) {
        var option = document.createElement('option');
        option.value = String(p.id);
        option.textContent = p.name + ' (' + p.item_count + ')';
        select.appendChild(option);
      });
      var actions = document.createElement('div');
      actions.className = 'actions';
      var cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.className = 'button secondary';
      cancel.textContent = 'Cancel';
      var add = document.createElement('button');
      add.type = 'button';
      add.className = 'button';
      add.textContent = 'Add';
      actions.append(cancel, add);
      box.append(heading, select, actions);
      backdrop.appendChild(box);
      document.body.appendChild(backdrop);
      select.focus();
      function close() {
        backdrop.remove();
      }
      cancel.addEventListener('click', close);
      backdrop.addEventListener('keydown', function (e) {
        if (e.key === 'Escape') close();
      });
      add.addEventListener('click', function () {
        add.disabled = true;
        WQ.api('POST', '/admin/playlists/' + encodeURIComponent(select.value) + '/append', {
          friendly_token: token,
        }).then(function (res) {
          close();
          appended(res);
        });
      });
    });
  }

  // Queue hook: the queue feature sets window.WQ.onQueue(detail) to open its receipt modal
  // (and window.WQ.onQueueAdmin for admins). Until then the button is a link to the detail page.
  document.addEventListener('click', function (ev) {
    var el = ev.target && ev.target.closest ? ev.target.closest('[data-action]') : null;
    if (!el) return;
    var action = el.getAttribute('data-action');
    var detail = { token: el.getAttribute('data-token'), title: el.getAttribute('data-title'), element: el };
    if (action === 'playlist-recent') {
      ev.preventDefault();
      addToRecent(detail.token);
    } else if (action === 'playlist-add') {
      ev.preventDefault();
      pickPlaylist(detail.token, detail.title || detail.token);
    } else if (action === 'hide' || action === 'unhide') {
      ev.preventDefault();
      hideOrUnhide(el, action === 'hide');
    } else if (action === 'queue' && window.WQ && typeof WQ.onQueue === 'function') {
      ev.preventDefault();
      WQ.onQueue(detail);
    } else if (action === 'queue-admin' && window.WQ && typeof WQ.onQueueAdmin === 'function') {
      ev.preventDefault();
      WQ.onQueueAdmin(detail);
    } else if (
      action === 'back' &&
      window.history.length > 1 &&
      document.referrer.indexOf(window.location.origin) === 0
    ) {
      ev.preventDefault();
      window.history.back();
    }
  });
})();
