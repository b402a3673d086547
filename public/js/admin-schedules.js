// Admin Schedules ("Scheduled Events"): the active-event banner (Clear Active, Unlock now), a
// pre-fire Unlock now, the schedule table (Fire Now, Edit, Delete) and the New/Edit modal.
// Times are shown in the browser's zone and sent as UTC ISO.
(function () {
  'use strict';
  var rows = document.getElementById('sched-rows');
  var modal = document.getElementById('sched-modal');
  var form = document.getElementById('sched-form');
  var errorEl = document.getElementById('f-error');
  var schedules = [];
  var editing = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function local(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? '' : d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  }
  function pad(n) {
    return String(n).padStart(2, '0');
  }
  // A datetime-local value (browser-local wall time) for an ISO instant, and back.
  function toLocalInput(iso) {
    var d = new Date(iso);
    return (
      d.getFullYear() +
      '-' +
      pad(d.getMonth() + 1) +
      '-' +
      pad(d.getDate()) +
      'T' +
      pad(d.getHours()) +
      ':' +
      pad(d.getMinutes())
    );
  }
  function fromLocalInput(value) {
    var d = new Date(value);
    return isNaN(d.getTime()) ? null : d.toISOString();
  }
  function report(res, okText) {
    if (res.ok) WQ.toast(okText);
    else WQ.toast(detail(res), 'error');
    return res.ok;
  }
  function detail(res) {
    var d = res.data && res.data.detail;
    if (Array.isArray(d)) return d.join('; ');
    return d || 'Failed (' + res.status + ')';
  }

  function renderRows() {
    rows.replaceChildren();
    if (!schedules.length) {
      rows.appendChild(el('tr')).appendChild(el('td', 'muted', 'No schedules yet.')).colSpan = 6;
      return;
    }
    schedules.forEach(function (s) {
      var tr = el('tr');
      tr.dataset.id = String(s.id);
      var label = el('td', null, s.label);
      if (s.is_recurring) {
        var r = el('span', 'sched-recurring', ' ↻');
        r.title = s.rrule || 'recurring';
        label.appendChild(r);
      }
      tr.appendChild(label);
      tr.appendChild(el('td', null, s.playlist_name || '(none)'));
      tr.appendChild(el('td', null, local(s.fire_at)));
      tr.appendChild(el('td', null, s.pre_fire_lock_minutes));
      var status = el('td');
      status.appendChild(el('span', 'badge sched-' + s.status, s.status));
      tr.appendChild(status);
      var actions = el('td', 'mgmt-row-actions');
      var wrap = actions.appendChild(el('div', 'row-actions'));
      [
        ['fire', 'Fire Now', 'button small danger'],
        ['edit', 'Edit', 'button small secondary'],
        ['delete', 'Delete', 'button small secondary'],
      ].forEach(function (a) {
        var b = el('button', a[2], a[1]);
        b.type = 'button';
        b.dataset.action = a[0];
        wrap.appendChild(b);
      });
      tr.appendChild(actions);
      rows.appendChild(tr);
    });
  }

  function loadList() {
    return WQ.api('GET', '/admin/schedules').then(function (res) {
      if (!res.ok) {
        WQ.toast(detail(res), 'error');
        return;
      }
      schedules = Array.isArray(res.data) ? res.data : [];
      renderRows();
    });
  }

  function loadState() {
    return Promise.all([
      WQ.api('GET', '/admin/schedules/active'),
      WQ.api('GET', '/admin/schedules/lock-status'),
    ]).then(function (r) {
      var active = r[0].ok ? r[0].data : {};
      var locks = r[1].ok ? r[1].data : { pre_fire: [] };
      var banner = document.getElementById('active-banner');
      banner.hidden = !active.schedule_id && !active.playlist_id;
      if (!banner.hidden) {
        document.getElementById('active-name').textContent =
          active.playlist_name || active.label || 'a scheduled event';
        document.getElementById('active-immutable').hidden = !active.is_immutable;
        document.getElementById('active-locked').hidden = !active.locked;
        document.getElementById('btn-unlock-event').hidden = !active.locked;
        var end = active.estimated_end_at ? new Date(active.estimated_end_at) : null;
        document.getElementById('active-ends').textContent =
          end && !isNaN(end.getTime())
            ? 'Ends ~' + end.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
            : '';
      }
      var pre = (locks.pre_fire || [])[0];
      var preBanner = document.getElementById('prefire-banner');
      preBanner.hidden = !pre;
      if (pre)
        document.getElementById('prefire-text').textContent =
          'Pay-to-play is locked ahead of "' + pre.label + '" (fires ' + local(pre.fire_at) + ').';
    });
  }
  function refresh() {
    return Promise.all([loadList(), loadState()]);
  }

  function unlock() {
    WQ.api('POST', '/admin/schedules/unlock').then(function (res) {
      report(res, res.ok && res.data.lifted && res.data.lifted.length ? 'Unlocked' : 'Nothing was locked');
      refresh();
    });
  }
  document.getElementById('btn-unlock-event').addEventListener('click', unlock);
  document.getElementById('btn-unlock-prefire').addEventListener('click', unlock);
  document.getElementById('btn-clear-active').addEventListener('click', function () {
    if (
      !window.confirm('Clear the active schedule and return to free mode? The queue itself is not touched.')
    )
      return;
    WQ.api('POST', '/admin/schedules/clear-active').then(function (res) {
      report(res, 'Active schedule cleared');
      refresh();
    });
  });

  rows.addEventListener('click', function (ev) {
    var btn = ev.target.closest ? ev.target.closest('button[data-action]') : null;
    if (!btn) return;
    var id = Number(btn.closest('tr').dataset.id);
    var s = schedules.filter(function (x) {
      return x.id === id;
    })[0];
    if (!s) return;
    if (btn.dataset.action === 'fire') {
      if (
        !window.confirm(
          'Fire "' + s.label + '" now?\nThis clears the live queue and refunds every paid item.',
        )
      )
        return;
      btn.disabled = true;
      WQ.api('POST', '/admin/schedules/' + id + '/fire').then(function (res) {
        btn.disabled = false;
        report(res, res.ok ? 'Fired: ' + res.data.added + ' added, ' + res.data.refunded + ' refunded' : '');
        refresh();
      });
    } else if (btn.dataset.action === 'edit') {
      openModal(s);
    } else if (window.confirm('Delete the schedule "' + s.label + '"?')) {
      WQ.api('DELETE', '/admin/schedules/' + id).then(function (res) {
        report(res, 'Deleted');
        refresh();
      });
    }
  });

  function field(id) {
    return document.getElementById(id);
  }
  function openModal(s) {
    editing = s || null;
    errorEl.hidden = true;
    field('sched-heading').textContent = s ? 'Edit Schedule' : 'New Schedule';
    field('f-label').value = s ? s.label : '';
    if (s && s.playlist_id !== null) field('f-playlist').value = String(s.playlist_id);
    field('f-fire').value = s ? toLocalInput(s.fire_at) : '';
    field('f-lock').value = s ? s.pre_fire_lock_minutes : 15;
    setRepeat(s && s.is_recurring ? s.rrule || '' : '');
    field('f-active-wrap').hidden = !s;
    field('f-active').checked = s ? !!s.is_active : true;
    field('f-fallback').value = s && s.fallback_playlist_id ? String(s.fallback_playlist_id) : '';
    modal.hidden = false;
    field('f-label').focus();
  }
  function closeModal() {
    modal.hidden = true;
  }

  // Recurrence from a form (daily / weekly on days / monthly) that writes the RRULE; the raw
  // rule is the advanced choice. A stored rule the form can't show opens as Custom.
  var DAY_NAMES = {
    MO: 'Monday',
    TU: 'Tuesday',
    WE: 'Wednesday',
    TH: 'Thursday',
    FR: 'Friday',
    SA: 'Saturday',
    SU: 'Sunday',
  };
  var repeatSel = field('f-repeat');
  var dayBoxes = Array.prototype.slice.call(document.querySelectorAll('#f-days input'));
  function setRepeat(rule) {
    var r = (rule || '').toUpperCase().replace(/^RRULE:/, '');
    var weekly = /^FREQ=WEEKLY;BYDAY=((?:MO|TU|WE|TH|FR|SA|SU)(?:,(?:MO|TU|WE|TH|FR|SA|SU))*)$/.exec(r);
    dayBoxes.forEach(function (b) {
      b.checked = false;
    });
    field('f-rrule').value = rule || '';
    if (!r) repeatSel.value = 'none';
    else if (r === 'FREQ=DAILY') repeatSel.value = 'daily';
    else if (r === 'FREQ=MONTHLY') repeatSel.value = 'monthly';
    else if (weekly) {
      repeatSel.value = 'weekly';
      weekly[1].split(',').forEach(function (d) {
        dayBoxes.forEach(function (b) {
          if (b.value === d) b.checked = true;
        });
      });
    } else repeatSel.value = 'custom';
    showRepeat();
  }
  function repeatRule() {
    switch (repeatSel.value) {
      case 'daily':
        return 'FREQ=DAILY';
      case 'monthly':
        return 'FREQ=MONTHLY';
      case 'weekly': {
        var days = dayBoxes.filter(function (b) {
          return b.checked;
        });
        return days.length
          ? 'FREQ=WEEKLY;BYDAY=' +
              days
                .map(function (b) {
                  return b.value;
                })
                .join(',')
          : 'FREQ=WEEKLY';
      }
      case 'custom':
        return field('f-rrule').value.trim() || null;
      default:
        return null;
    }
  }
  function showRepeat() {
    field('f-days').hidden = repeatSel.value !== 'weekly';
    field('f-rrule-wrap').hidden = repeatSel.value !== 'custom';
    var rule = repeatRule();
    var words = '';
    if (repeatSel.value === 'weekly') {
      var on = dayBoxes
        .filter(function (b) {
          return b.checked;
        })
        .map(function (b) {
          return DAY_NAMES[b.value];
        });
      words = on.length
        ? 'Fires every ' + on.join(', ') + ' at the time above.'
        : 'Fires every week on the day of the date above.';
    } else if (repeatSel.value === 'daily') words = 'Fires every day at the time above.';
    else if (repeatSel.value === 'monthly') words = 'Fires every month on the day of the date above.';
    field('f-repeat-words').textContent =
      words + (rule && repeatSel.value !== 'custom' ? ' (RRULE ' + rule + ')' : '');
  }
  repeatSel.addEventListener('change', function () {
    if (repeatSel.value === 'custom' && !field('f-rrule').value) field('f-rrule').value = repeatRule() || '';
    showRepeat();
  });
  dayBoxes.forEach(function (b) {
    b.addEventListener('change', showRepeat);
  });

  // The guide: the next 7 days by day in your time, each event with its estimated end, and overlaps.
  function loadGuide() {
    return WQ.api('GET', '/admin/schedules/guide').then(function (res) {
      var box = document.getElementById('guide-days');
      var warnings = document.getElementById('guide-warnings');
      box.replaceChildren();
      warnings.replaceChildren();
      if (!res.ok) return;
      var g = res.data;
      var t = function (iso) {
        return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      };
      var day = function (iso) {
        return new Date(iso).toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long' });
      };
      g.overlaps.forEach(function (o) {
        var a = g.entries[o.first];
        var b = g.entries[o.second];
        var li = document.createElement('li');
        li.textContent =
          '“' +
          b.label +
          '” (' +
          day(b.starts_at) +
          ' ' +
          t(b.starts_at) +
          ') fires while “' +
          a.label +
          '” is still playing (until about ' +
          t(a.ends_at) +
          '): it will clear that event’s queue.';
        warnings.appendChild(li);
      });
      if (!g.entries.length) {
        var none = document.createElement('p');
        none.className = 'muted';
        none.textContent = 'No event fires in the next 7 days.';
        box.appendChild(none);
        return;
      }
      var current = '';
      var list = null;
      var clash = {};
      g.overlaps.forEach(function (o) {
        clash[o.first] = clash[o.second] = true;
      });
      g.entries.forEach(function (e, i) {
        var d = day(e.starts_at);
        if (d !== current) {
          current = d;
          var h = document.createElement('h3');
          h.className = 'guide-day';
          h.textContent = d;
          box.appendChild(h);
          list = document.createElement('ul');
          list.className = 'guide-list';
          box.appendChild(list);
        }
        var li = document.createElement('li');
        li.className = 'guide-entry' + (clash[i] ? ' is-clash' : '');
        var when = document.createElement('span');
        when.className = 'guide-when';
        when.textContent = t(e.starts_at) + (e.ends_at ? '–' + t(e.ends_at) : '');
        var what = document.createElement('span');
        what.className = 'guide-what';
        what.textContent =
          e.label +
          (e.playlist_name ? ' · ' + e.playlist_name : '') +
          (e.is_immutable ? ' · reserved' : '') +
          (e.is_recurring ? ' ↻' : '');
        li.appendChild(when);
        li.appendChild(what);
        if (e.fallback_playlist_name) {
          var then = document.createElement('span');
          then.className = 'guide-then muted small';
          then.textContent = 'then ' + e.fallback_playlist_name;
          li.appendChild(then);
        }
        list.appendChild(li);
      });
    });
  }
  document.getElementById('btn-new').addEventListener('click', function () {
    openModal(null);
  });
  document.getElementById('f-cancel').addEventListener('click', closeModal);
  modal.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape') closeModal();
  });

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var fireAt = fromLocalInput(field('f-fire').value);
    var playlist = Number(field('f-playlist').value);
    var showError = function (msg) {
      errorEl.textContent = msg;
      errorEl.hidden = false;
    };
    if (!field('f-label').value.trim()) return showError('Label is required.');
    if (!playlist) return showError('Choose a playlist (create one on the Playlists page first).');
    if (!fireAt) return showError('Fire at is required.');
    var body = {
      label: field('f-label').value.trim(),
      playlist_id: playlist,
      fire_at: fireAt,
      pre_fire_lock_minutes: Number(field('f-lock').value || 0),
      is_recurring: repeatRule() !== null,
      rrule: repeatRule(),
      fallback_playlist_id: field('f-fallback').value ? Number(field('f-fallback').value) : null,
    };
    if (editing) body.is_active = field('f-active').checked;
    var req = editing
      ? WQ.api('PUT', '/admin/schedules/' + editing.id, body)
      : WQ.api('POST', '/admin/schedules', body);
    field('f-save').disabled = true;
    req.then(function (res) {
      field('f-save').disabled = false;
      if (!res.ok) return showError(detail(res));
      closeModal();
      WQ.toast(editing ? 'Schedule saved' : 'Schedule created');
      refresh();
      loadGuide();
    });
  });

  refresh();
  loadGuide();
  setInterval(loadState, 30000);
})();
