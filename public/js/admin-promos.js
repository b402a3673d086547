// Admin promos: whether promos run (with a one-click off that applies even when saving fails),
// the settings form (PUT /admin/promos/config, inline errors from the 400 body), each pool's
// weight / rest / hours, the live preview of the next decisions with the chances behind them,
// and the decision log in words.
(function () {
  'use strict';
  var el = WQ.el;
  var form = document.getElementById('promo-form');
  var fields = Array.prototype.slice.call(form.querySelectorAll('[data-field]'));
  var DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
  var DAY_NAMES = { MO: 'Mon', TU: 'Tue', WE: 'Wed', TH: 'Thu', FR: 'Fri', SA: 'Sat', SU: 'Sun' };
  var OUTCOMES = {
    inserted: 'Inserted',
    unconfirmed: 'Inserted (placement not confirmed yet)',
    would_insert: 'Would insert (shadow mode)',
    failed: 'Failed',
    skipped: 'Not needed: the item started or left first',
    no_clip: 'Nothing inserted',
  };
  var current = null; // the last settings view

  var typeLabel = WQ.promoTypeLabel;
  function percent(p) {
    if (!p) return '0 %';
    var v = p * 100;
    return (v >= 10 || v === Math.round(v) ? Math.round(v) : v.toFixed(1)) + ' %';
  }
  function clock(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
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
  function clearErrors(scope) {
    scope.querySelectorAll('.field-error').forEach(function (e) {
      e.textContent = '';
    });
    scope.querySelectorAll('[aria-invalid]').forEach(function (f) {
      f.removeAttribute('aria-invalid');
    });
  }
  function showErrors(scope, data, generalId) {
    var errors = Array.isArray(data.errors) ? data.errors : [];
    var unplaced = [];
    errors.forEach(function (err) {
      var slot = scope.querySelector('[data-error-for="' + err.field + '"]');
      var input = scope.querySelector('[data-field="' + err.field + '"]');
      if (input) input.setAttribute('aria-invalid', 'true');
      if (slot) slot.textContent = err.message;
      else unplaced.push(err.message);
    });
    document.getElementById(generalId).textContent = unplaced.length
      ? unplaced.join('; ')
      : errors.length
        ? ''
        : data.detail || 'Could not save';
  }

  // --- on / off ---

  function showState(view) {
    var on = view.config.enabled;
    var text = on
      ? view.config.shadow_mode
        ? 'Promos are on in shadow mode: decisions are logged, nothing is inserted.'
        : 'Promos are on.'
      : 'Promos are off: nothing is inserted.';
    document.getElementById('promo-state-text').textContent = text;
    document.getElementById('promo-state').className = 'card promo-state ' + (on ? 'is-on' : 'is-off');
    var warning = document.getElementById('promo-warning');
    warning.hidden = !view.warning;
    warning.textContent = view.warning || '';
    var toggle = document.getElementById('promo-toggle');
    toggle.hidden = false;
    toggle.textContent = on ? 'Turn promos off now' : 'Turn promos on';
    toggle.className = on ? 'button danger' : 'button';
  }
  document.getElementById('promo-toggle').addEventListener('click', function () {
    var turnOn = current && !current.config.enabled;
    WQ.api('PUT', '/admin/promos/config', { enabled: Boolean(turnOn) }).then(function (res) {
      if (res.ok) {
        fill(res.data);
        WQ.toast(
          res.data.persisted ? (turnOn ? 'Promos are on' : 'Promos are off') : res.data.warning,
          res.data.persisted ? undefined : 'error',
        );
        loadPreview();
      } else WQ.toast(res.data.detail || 'Could not change it', 'error');
    });
  });

  // --- settings ---

  function fill(view) {
    current = view;
    fields.forEach(function (f) {
      var value = getPath(view.config, f.getAttribute('data-field'));
      if (f.type === 'checkbox') f.checked = Boolean(value);
      else f.value = value === undefined || value === null ? '' : value;
    });
    document.getElementById('promo-source').textContent =
      view.source === 'unsaved'
        ? 'Not saved (applies until a restart)'
        : view.source === 'runtime'
          ? 'Saved settings' +
            (view.updated_at ? ' (' + new Date(view.updated_at).toLocaleString() + ')' : '')
          : 'Settings from the config file';
    showState(view);
    fillPoolRules(view.config.pools || {});
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
    clearErrors(form);
    WQ.api('PUT', '/admin/promos/config', collect()).then(function (res) {
      if (res.ok) {
        fill(res.data);
        WQ.toast(
          res.data.persisted ? 'Promo settings saved' : res.data.warning,
          res.data.persisted ? undefined : 'error',
        );
        loadPreview();
      } else {
        showErrors(form, res.data, 'form-error');
        WQ.toast(res.data.detail || 'Not saved', 'error');
      }
    });
  });
  document.getElementById('promo-reset').addEventListener('click', function () {
    if (!window.confirm('Go back to the config file settings?')) return;
    clearErrors(form);
    WQ.api('DELETE', '/admin/promos/config').then(function (res) {
      if (res.ok) {
        fill(res.data);
        WQ.toast('Back to the config file settings');
      } else WQ.toast(res.data.detail || 'Reset failed', 'error');
    });
  });

  // --- pools ---

  var poolsForm = document.getElementById('pools-form');
  function input(type, label, field, attrs) {
    var i = el('input');
    i.type = type;
    i.setAttribute('aria-label', label);
    i.setAttribute('data-field', field);
    Object.keys(attrs || {}).forEach(function (k) {
      i.setAttribute(k, attrs[k]);
    });
    return i;
  }
  function cellWithError(tr, control, field, label) {
    var td = tr.appendChild(el('td'));
    td.setAttribute('data-label', label);
    td.appendChild(control);
    var err = td.appendChild(el('span', null, 'field-error'));
    err.setAttribute('data-error-for', field);
    err.setAttribute('role', 'alert');
    return td;
  }
  function loadPools() {
    return WQ.api('GET', '/admin/promos/pools').then(function (res) {
      var rows = document.getElementById('pool-rows');
      rows.replaceChildren();
      if (!res.ok) {
        rows.appendChild(el('tr')).appendChild(el('td', res.data.detail || 'Could not load', 'muted'));
        return;
      }
      Object.keys(res.data.types).forEach(function (type) {
        var info = res.data.types[type];
        if (!info.pools.length) {
          var empty = rows.appendChild(el('tr'));
          empty.setAttribute('data-type', type);
          empty.appendChild(el('td')).appendChild(el('span', typeLabel(type), 'badge promo promo-' + type));
          var td = empty.appendChild(el('td', 'No playlist has this type: its slots are skipped', 'muted'));
          td.colSpan = 5;
          return;
        }
        info.pools.forEach(function (p) {
          var tr = rows.appendChild(el('tr'));
          tr.setAttribute('data-type', type);
          tr.setAttribute('data-pool', p.id);
          tr.appendChild(el('td')).appendChild(el('span', typeLabel(type), 'badge promo promo-' + type));
          var a = el('a', p.name + ' (' + p.clips + ')');
          a.href = '/admin/playlists#playlist-' + p.id;
          var name = tr.appendChild(el('td'));
          name.appendChild(a);
          if (!p.clips) name.appendChild(el('span', ' empty: skipped', 'muted small'));
          var base = 'pools.' + p.id + '.';
          cellWithError(
            tr,
            input('number', p.name + ' weight', base + 'weight', { min: '0', step: 'any', placeholder: '1' }),
            base + 'weight',
            'Weight',
          );
          cellWithError(
            tr,
            input('number', p.name + ' rests for minutes after a clip', base + 'cooldown_minutes', {
              min: '0',
              step: 'any',
              placeholder: '0',
            }),
            base + 'cooldown_minutes',
            'Rests (min)',
          );
          var hours = el('span', null, 'pool-hours');
          hours.appendChild(input('time', p.name + ' from', base + 'window.start'));
          hours.appendChild(el('span', '–', 'muted'));
          hours.appendChild(input('time', p.name + ' until', base + 'window.end'));
          var hoursCell = cellWithError(tr, hours, base + 'window.start', 'Hours');
          var endErr = hoursCell.appendChild(el('span', null, 'field-error'));
          endErr.setAttribute('data-error-for', base + 'window.end');
          var days = el('span', null, 'pool-days');
          DAYS.forEach(function (d) {
            var label = el('label', null, 'day-toggle');
            var box = input('checkbox', p.name + ' on ' + DAY_NAMES[d], base + 'window.days.' + d);
            label.appendChild(box);
            label.appendChild(el('span', DAY_NAMES[d].slice(0, 2)));
            days.appendChild(label);
          });
          cellWithError(tr, days, base + 'window.days', 'Days');
        });
      });
      if (current) fillPoolRules(current.config.pools || {});
    });
  }
  function fillPoolRules(pools) {
    document.querySelectorAll('#pool-rows tr[data-pool]').forEach(function (tr) {
      var rules = pools[tr.getAttribute('data-pool')] || {};
      var base = 'pools.' + tr.getAttribute('data-pool') + '.';
      var q = function (f) {
        return tr.querySelector('[data-field="' + base + f + '"]');
      };
      q('weight').value = rules.weight == null ? '' : rules.weight;
      q('cooldown_minutes').value = rules.cooldown_minutes == null ? '' : rules.cooldown_minutes;
      var w = rules.window || null;
      q('window.start').value = w ? w.start : '';
      q('window.end').value = w ? w.end : '';
      DAYS.forEach(function (d) {
        q('window.days.' + d).checked = Boolean(w && w.days && w.days.indexOf(d) >= 0);
      });
    });
  }
  function collectPools() {
    var pools = {};
    document.querySelectorAll('#pool-rows tr[data-pool]').forEach(function (tr) {
      var id = tr.getAttribute('data-pool');
      var base = 'pools.' + id + '.';
      var q = function (f) {
        return tr.querySelector('[data-field="' + base + f + '"]');
      };
      var rules = {};
      if (q('weight').value !== '') rules.weight = Number(q('weight').value);
      if (q('cooldown_minutes').value !== '') rules.cooldown_minutes = Number(q('cooldown_minutes').value);
      var start = q('window.start').value;
      var end = q('window.end').value;
      var days = DAYS.filter(function (d) {
        return q('window.days.' + d).checked;
      });
      if (start || end || days.length) {
        rules.window = { start: start || '00:00', end: end || '00:00', days: days };
      } else rules.window = null;
      pools[id] = rules;
    });
    return pools;
  }
  poolsForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    clearErrors(poolsForm);
    // The whole map is sent and replaces the saved one: cleared fields go back to the defaults.
    var body = { pools: collectPools() };
    WQ.api('PUT', '/admin/promos/config', body).then(function (res) {
      if (res.ok) {
        fill(res.data);
        WQ.toast('Pool settings saved');
        loadPreview();
      } else {
        showErrors(poolsForm, res.data, 'pools-error');
        WQ.toast(res.data.detail || 'Not saved', 'error');
      }
    });
  });

  // --- preview and chances (live) ---

  function showPreview(view) {
    document.getElementById('preview-at').textContent = 'as of ' + new Date(view.at).toLocaleTimeString();
    var idle = document.getElementById('preview-idle');
    var list = document.getElementById('preview-list');
    list.replaceChildren();
    var why = {
      disabled: 'Promos are off: nothing will be inserted.',
      immutable_event: 'A curated event is running: no promo until it ends.',
      bulk_load: 'A playlist is being loaded: decisions resume after the next poll.',
      no_now_playing: 'Nothing is playing.',
    }[view.idle];
    idle.hidden = !why && view.steps.length > 0;
    idle.textContent = why || (view.steps.length ? '' : 'No promo slot comes up in the queue as it is.');
    view.steps.forEach(function (s) {
      var li = list.appendChild(el('li', null, 'preview-step' + (s.skipped ? ' is-skipped' : '')));
      li.appendChild(el('span', '~' + clock(s.at_ms), 'preview-time'));
      li.appendChild(el('span', typeLabel(s.promo_type), 'badge promo promo-' + s.promo_type));
      var main = li.appendChild(el('span', null, 'preview-main'));
      if (s.skipped) {
        main.appendChild(el('strong', 'Nothing'));
        main.appendChild(
          document.createTextNode(
            ' before “' +
              (s.before_title || 'the next item') +
              '”: ' +
              s.skipped +
              (s.next_eligible_at_ms ? ' (next clip eligible ~' + clock(s.next_eligible_at_ms) + ')' : ''),
          ),
        );
      } else {
        main.appendChild(el('strong', s.clip_title || s.clip));
        main.appendChild(document.createTextNode(' before “' + (s.before_title || 'the next item') + '”'));
        if (s.pool_name)
          main.appendChild(
            el(
              'span',
              ' from ' + s.pool_name + (s.chance != null ? ' (' + percent(s.chance) + ')' : ''),
              'muted',
            ),
          );
      }
      li.appendChild(el('span', s.why, 'preview-why muted small'));
    });
    var rows = document.getElementById('readout-rows');
    rows.replaceChildren();
    var r = view.readout.general;
    r.types.forEach(function (t) {
      var tr = rows.appendChild(el('tr', null, 'readout-type'));
      var th = tr.appendChild(el('th'));
      th.scope = 'row';
      th.appendChild(el('span', typeLabel(t.type), 'badge promo promo-' + t.type));
      var chance = tr.appendChild(el('td'));
      var bar = chance.appendChild(el('span', null, 'chance-bar'));
      bar.style.setProperty('--chance', String(Math.round(t.probability * 100)));
      chance.appendChild(el('span', percent(t.probability), 'chance-value'));
      tr.appendChild(el('td', t.excluded || '', 'muted small'));
      r.pools
        .filter(function (p) {
          return p.type === t.type;
        })
        .forEach(function (p) {
          var pr = rows.appendChild(el('tr', null, 'readout-pool'));
          pr.appendChild(el('td', p.name, 'pool-name'));
          pr.appendChild(el('td', percent(p.probability)));
          pr.appendChild(el('td', p.excluded || '', 'muted small'));
        });
    });
  }
  function loadPreview() {
    return WQ.api('GET', '/admin/promos/preview').then(function (res) {
      if (res.ok) showPreview(res.data);
    });
  }

  // --- decision log ---

  function describeChoice(detail) {
    if (!detail) return null;
    var box = el('details', null, 'decision-detail');
    box.appendChild(el('summary', 'How it was chosen'));
    var ul = box.appendChild(el('ul'));
    detail.types.forEach(function (t) {
      ul.appendChild(
        el(
          'li',
          typeLabel(t.type) + ': ' + percent(t.probability) + (t.excluded ? ' (' + t.excluded + ')' : ''),
        ),
      );
    });
    detail.pools.forEach(function (p) {
      ul.appendChild(
        el('li', p.name + ': ' + percent(p.probability) + (p.excluded ? ' (' + p.excluded + ')' : '')),
      );
    });
    detail.excluded_clips.forEach(function (c) {
      ul.appendChild(el('li', '“' + (c.title || c.clip) + '” left out: ' + c.why, 'muted'));
    });
    return box;
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
        var cell = function (label, text, cls) {
          var td = tr.appendChild(el('td', text, cls));
          td.setAttribute('data-label', label);
          return td;
        };
        cell('When', new Date(d.at).toLocaleTimeString());
        cell('Type').appendChild(el('span', typeLabel(d.promo_type), 'badge promo promo-' + d.promo_type));
        cell('Clip', d.clip_title || (d.clip ? d.clip : '—'));
        var cls = d.outcome === 'inserted' ? 'ok' : d.outcome === 'failed' ? 'bad' : '';
        var outcome = cell('Outcome');
        outcome.appendChild(el('span', OUTCOMES[d.outcome] || d.outcome, 'badge ' + cls));
        if (d.error) outcome.appendChild(el('div', d.error, 'muted small'));
        var why = cell(
          'Why',
          (d.why ? d.why.charAt(0).toUpperCase() + d.why.slice(1) : '') +
            (d.source === 'pay' ? ' (at purchase)' : ''),
        );
        var detail = describeChoice(d.detail);
        if (detail) why.appendChild(detail);
        rows.appendChild(tr);
      });
    });
  }
  document.getElementById('decisions-refresh').addEventListener('click', loadDecisions);

  // Weights only matter for the general types (lead-ins are not chosen by weight).
  ['feature_presentation', 'viewers_choice'].forEach(function (type) {
    var field = form.querySelector('[data-field="types.' + type + '.weight"]');
    if (field) {
      field.disabled = true;
      field.title = 'Lead-ins are not chosen by weight';
    }
  });
  document.querySelectorAll('[data-type-label]').forEach(function (b) {
    b.textContent = typeLabel(b.getAttribute('data-type-label'));
  });

  var socket = WQ.live(function (ok, text) {
    var s = document.getElementById('live-status');
    s.textContent = text;
    s.className = 'live-status ' + (ok ? 'ok' : 'muted');
  });
  if (socket) {
    socket.on('promo_preview', function (view) {
      showPreview(view);
      loadDecisions();
    });
  }

  loadConfig().then(loadPools);
  loadPreview();
  loadDecisions();
  setInterval(loadDecisions, 15000);
})();
