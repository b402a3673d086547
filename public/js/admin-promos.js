// Admin promos: settings form (PUT /admin/promos/config, inline errors from the 400 body),
// the pools per type with links to the playlist editor, and the recent promo decisions.
(function () {
  'use strict';
  var form = document.getElementById('promo-form');
  var fields = Array.prototype.slice.call(form.querySelectorAll('[data-field]'));

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function getPath(obj, path) {
    return path.split('.').reduce(function (o, k) {
      return o == null ? undefined : o[k];
    }, obj);
  }
  function setPath(obj, path, value) {
    var keys = path.split('.');
    var last = keys.pop();
    var target = keys.reduce(function (o, k) {
      o[k] = o[k] || {};
      return o[k];
    }, obj);
    target[last] = value;
  }
  function clearErrors() {
    form.querySelectorAll('.field-error').forEach(function (e) {
      e.textContent = '';
    });
    fields.forEach(function (f) {
      f.removeAttribute('aria-invalid');
    });
  }
  function showErrors(data) {
    var errors = Array.isArray(data.errors) ? data.errors : [];
    var unplaced = [];
    errors.forEach(function (err) {
      var slot = form.querySelector('[data-error-for="' + err.field + '"]');
      var input = form.querySelector('[data-field="' + err.field + '"]');
      if (input) input.setAttribute('aria-invalid', 'true');
      if (slot) slot.textContent = err.message;
      else unplaced.push(err.field + ': ' + err.message);
    });
    document.getElementById('form-error').textContent = unplaced.length
      ? unplaced.join('; ')
      : errors.length
        ? ''
        : data.detail || 'Could not save';
  }

  function fill(view) {
    fields.forEach(function (f) {
      var value = getPath(view.config, f.getAttribute('data-field'));
      if (f.type === 'checkbox') f.checked = Boolean(value);
      else f.value = value === undefined || value === null ? '' : value;
    });
    document.getElementById('promo-source').textContent =
      view.source === 'runtime'
        ? 'Saved settings' + (view.updated_at ? ' (' + new Date(view.updated_at).toLocaleString() + ')' : '')
        : 'Settings from the config file';
  }
  function collect() {
    var body = {};
    fields.forEach(function (f) {
      var path = f.getAttribute('data-field');
      if (f.disabled) return;
      if (f.type === 'checkbox') setPath(body, path, f.checked);
      else if (f.type === 'number') {
        if (f.value === '') {
          if (/\.weight$/.test(path)) setPath(body, path, null);
          else setPath(body, path, '');
        } else setPath(body, path, Number(f.value));
      } else setPath(body, path, f.value);
    });
    return body;
  }

  function loadConfig() {
    return WQ.api('GET', '/admin/promos/config').then(function (res) {
      if (res.ok) fill(res.data);
      else WQ.toast(res.data.detail || 'Could not load the settings', 'error');
    });
  }
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    clearErrors();
    WQ.api('PUT', '/admin/promos/config', collect()).then(function (res) {
      if (res.ok) {
        fill(res.data);
        WQ.toast('Promo settings saved');
      } else {
        showErrors(res.data);
        WQ.toast(res.data.detail || 'Not saved', 'error');
      }
    });
  });
  document.getElementById('promo-reset').addEventListener('click', function () {
    if (!window.confirm('Go back to the config file settings?')) return;
    clearErrors();
    WQ.api('DELETE', '/admin/promos/config').then(function (res) {
      if (res.ok) {
        fill(res.data);
        WQ.toast('Back to the config file settings');
      } else WQ.toast(res.data.detail || 'Reset failed', 'error');
    });
  });

  function loadPools() {
    return WQ.api('GET', '/admin/promos/pools').then(function (res) {
      var rows = document.getElementById('pool-rows');
      rows.replaceChildren();
      if (!res.ok) {
        rows.appendChild(el('tr')).appendChild(el('td', 'muted', res.data.detail || 'Could not load'));
        return;
      }
      Object.keys(res.data.types).forEach(function (type) {
        var info = res.data.types[type];
        var tr = el('tr');
        tr.setAttribute('data-type', type);
        tr.appendChild(el('td')).appendChild(el('span', 'badge promo promo-' + type, type));
        tr.appendChild(el('td', info.clips ? '' : 'muted', info.clips));
        var cell = tr.appendChild(el('td'));
        if (!info.pools.length) cell.appendChild(el('span', 'muted', 'No playlist: this type is skipped'));
        info.pools.forEach(function (p, i) {
          if (i) cell.appendChild(document.createTextNode(', '));
          var a = el('a', null, p.name + ' (' + p.clips + ')');
          a.href = '/admin/playlists#playlist-' + p.id;
          cell.appendChild(a);
        });
        rows.appendChild(tr);
      });
    });
  }

  function loadDecisions() {
    return WQ.api('GET', '/admin/promos/decisions').then(function (res) {
      if (!res.ok) return;
      var list = res.data.decisions || [];
      document.getElementById('decisions-empty').hidden = list.length > 0;
      document.getElementById('decisions-table').hidden = list.length === 0;
      var rows = document.getElementById('decision-rows');
      rows.replaceChildren();
      list.forEach(function (d) {
        var tr = el('tr');
        tr.appendChild(el('td', null, new Date(d.at).toLocaleTimeString()));
        tr.appendChild(el('td')).appendChild(el('span', 'badge promo promo-' + d.promo_type, d.promo_type));
        tr.appendChild(el('td', null, d.clip_title || d.clip_media_id));
        tr.appendChild(el('td', null, d.target_uid + (d.source === 'pay' ? ' (pay)' : '')));
        var outcome = el(
          'span',
          'badge ' + (d.outcome === 'inserted' ? 'ok' : d.outcome === 'failed' ? 'bad' : ''),
          d.outcome,
        );
        if (d.error) outcome.title = d.error;
        tr.appendChild(el('td')).appendChild(outcome);
        tr.appendChild(el('td', 'muted small', d.seed === null ? '' : d.seed + ' / ' + d.draws));
        rows.appendChild(tr);
      });
    });
  }
  document.getElementById('decisions-refresh').addEventListener('click', loadDecisions);

  // Weights only matter for the general types (lead-ins are not chosen by weight).
  ['feature_presentation', 'viewers_choice'].forEach(function (type) {
    var input = form.querySelector('[data-field="types.' + type + '.weight"]');
    if (input) {
      input.disabled = true;
      input.title = 'Lead-ins are not chosen by weight';
    }
  });

  loadConfig();
  loadPools();
  loadDecisions();
  setInterval(loadDecisions, 10000);
})();
