// Admin dashboard: queue status and a live list of admin-room events (saga steps, refunds, presence).
(function () {
  'use strict';
  var MAX_EVENTS = 50;
  var list = document.getElementById('admin-events');
  var statusEl = document.getElementById('live-status');

  function setStatus(live, text) {
    statusEl.className = 'status-dot ' + (live ? 'live' : 'down');
    statusEl.textContent = text;
  }
  function add(kind, text, bad) {
    document.getElementById('events-empty').hidden = true;
    var li = document.createElement('li');
    var time = document.createElement('span');
    time.className = 'muted';
    time.textContent = new Date().toLocaleTimeString() + ' ';
    var badge = document.createElement('span');
    badge.className = 'badge' + (bad ? ' bad' : '');
    badge.textContent = kind;
    var body = document.createElement('span');
    body.textContent = ' ' + text;
    li.append(time, badge, body);
    list.prepend(li);
    while (list.children.length > MAX_EVENTS) list.lastChild.remove();
  }
  function title(uid, state) {
    var np = state.now_playing;
    if (!np) return 'nothing';
    var t = np.title;
    state.items.forEach(function (i) {
      if (i.uid === np.uid && i.title) t = i.title;
    });
    return t || 'Unknown';
  }

  // Presence watch: owners of paid items who left or went AFK, with a local grace countdown.
  var lastPresence = '';
  var presence = [];
  var presenceAt = Date.now();
  function renderPresence(tracked) {
    presence = tracked;
    presenceAt = Date.now();
    drawPresence();
  }
  function drawPresence() {
    var rows = document.getElementById('presence-rows');
    var elapsed = (Date.now() - presenceAt) / 1000;
    document.getElementById('presence-empty').hidden = presence.length > 0;
    document.getElementById('presence-table').hidden = presence.length === 0;
    rows.textContent = '';
    presence.forEach(function (t) {
      var tr = document.createElement('tr');
      var left = Math.max(0, Math.round(t.grace_left_sec - elapsed));
      [t.owner, t.state === 'afk' ? 'AFK' : 'left the channel', left + ' s', String(t.items)].forEach(
        function (text) {
          var td = document.createElement('td');
          td.textContent = text;
          tr.appendChild(td);
        },
      );
      rows.appendChild(tr);
    });
  }
  setInterval(drawPresence, 1000);
  WQ.api('GET', '/admin/presence').then(function (r) {
    if (r.ok) renderPresence(r.data.tracked || []);
  });

  document.getElementById('action-clear').addEventListener('click', function () {
    if (!window.confirm('Clear the whole queue? Every pending paid item is refunded.')) return;
    WQ.api('POST', '/admin/queue/clear').then(function (r) {
      WQ.toast(
        r.ok && r.data.success !== false
          ? 'Queue cleared, ' + (r.data.refunded || 0) + ' refund(s)'
          : r.data.detail || 'Clear failed',
        r.ok ? 'ok' : 'error',
      );
    });
  });
  document.getElementById('action-sync').addEventListener('click', function () {
    WQ.api('POST', '/admin/queue/sync-now').then(function (r) {
      WQ.toast(
        r.data.message || r.data.detail || 'Sync requested',
        r.ok && r.data.success !== false ? 'ok' : 'error',
      );
    });
  });

  var socket = WQ.live(setStatus);
  if (!socket) return;
  window.WQ.adminSocket = socket; // shared with the Jobs card below
  WQ.queueFeed(socket, function (s) {
    document.getElementById('queue-count').textContent = String(s.items.length);
    document.getElementById('queue-now').textContent = title(null, s);
    document.getElementById('stale-notice').hidden = !s.stale;
  });
  socket.on('feed_status', function (s) {
    document.getElementById('stale-notice').hidden = !s.stale;
    add(
      'feed',
      s.stale ? 'api-gate not answering' + (s.error ? ': ' + s.error : '') : 'api-gate answering again',
      s.stale,
    );
  });
  socket.on('saga_step', function (e) {
    add(
      'saga',
      e.username +
        ' · ' +
        (e.title || e.request_id) +
        ' → ' +
        e.state +
        (e.error ? ' (' + e.error + ')' : ''),
      !!e.error,
    );
  });
  socket.on('refund', function (e) {
    add(
      'refund',
      e.username +
        ' · ' +
        (e.reason_text || e.reason) +
        ' · ' +
        (e.success
          ? e.refunded_z != null
            ? 'refunded ' + WQ.formatZ(e.refunded_z)
            : 'refunded'
          : 'refund failed'),
      !e.success,
    );
  });
  socket.on('presence', function (e) {
    var tracked = e.tracked || [];
    var names = tracked
      .map(function (t) {
        return t.owner + ':' + t.state;
      })
      .sort()
      .join(',');
    if (names !== lastPresence) {
      add(
        'presence',
        tracked.length
          ? 'watching ' +
              tracked
                .map(function (t) {
                  return t.owner + ' (' + t.state + ')';
                })
                .join(', ')
          : 'nobody watched',
      );
      lastPresence = names;
    }
    renderPresence(tracked);
  });
})();

// Jobs card, Recent Job Runs and Sync Logs (PRODUCT.md §3 page 6): live from the admin room's
// job_run events; while a job runs and no event arrives, refetch every 5 s. Text via textContent.
(function () {
  'use strict';
  var jobsBody = document.getElementById('jobs-rows');
  if (!jobsBody) return;
  var runsBody = document.getElementById('runs-rows');
  var logsBody = document.getElementById('synclog-rows');
  var modal = document.getElementById('job-modal');
  var form = document.getElementById('job-form');
  var fieldsBox = document.getElementById('job-fields');
  var errorEl = document.getElementById('job-error');
  var jobs = [];
  var modalJob = null;
  var pollTimer = null;
  var STATUSES = ['running', 'completed', 'failed', 'cancelled', 'interrupted'];

  var el = window.WQ.el;
  function when(iso) {
    return iso ? new Date(iso).toLocaleString() : '—';
  }
  function badge(status) {
    var s = STATUSES.indexOf(status) >= 0 ? status : 'running';
    return el('span', status, 'badge job-status job-' + s);
  }
  function summaryOf(run) {
    if (!run) return 'Never run';
    return (
      run.status + ' · ' + when(run.ended_at || run.started_at) + (run.summary ? ' · ' + run.summary : '')
    );
  }

  // A running job shows its phase and a progress bar (indeterminate when no end is known).
  function fillLast(cell, job) {
    cell.textContent = '';
    var run = job.last_run;
    if (job.running && run && run.progress) {
      var bar = el('progress', null, 'job-progress');
      bar.max = 100;
      if (run.progress.percent != null) bar.value = run.progress.percent;
      bar.setAttribute('aria-label', job.label + ' progress');
      cell.append(el('span', run.progress.label, 'job-phase'), bar);
      return;
    }
    cell.textContent = summaryOf(run);
  }

  function failuresList(failures) {
    var box = el('details', null, 'job-failures');
    box.appendChild(el('summary', failures.length === 1 ? '1 failure' : failures.length + ' failures'));
    var ul = el('ul');
    failures.slice(0, 50).forEach(function (f) {
      ul.appendChild(el('li', f));
    });
    box.appendChild(ul);
    return box;
  }

  function renderJobs() {
    jobsBody.textContent = '';
    jobs.forEach(function (job) {
      var tr = el('tr');
      tr.setAttribute('data-job', job.name);
      tr.appendChild(el('td', job.label));
      var last = el('td', null, 'muted small job-last');
      fillLast(last, job);
      tr.appendChild(last);
      var actions = el('td', null, 'row-actions');
      var run = el('button', job.running ? 'Running…' : 'Run', 'button small job-run');
      run.type = 'button';
      run.disabled = !!job.running;
      run.addEventListener('click', function () {
        startJob(job);
      });
      actions.appendChild(run);
      if (job.running && job.cancellable) {
        var cancel = el('button', 'Cancel', 'button secondary small job-cancel');
        cancel.type = 'button';
        cancel.addEventListener('click', function () {
          cancelJob(job);
        });
        actions.appendChild(cancel);
      }
      tr.appendChild(actions);
      jobsBody.appendChild(tr);
    });
    schedulePoll();
  }

  function renderRuns(runs) {
    runsBody.textContent = '';
    if (!runs.length) {
      var empty = el('tr');
      var td = el('td', 'No job runs yet.', 'muted');
      td.colSpan = 5;
      empty.appendChild(td);
      runsBody.appendChild(empty);
      return;
    }
    runs.forEach(function (r) {
      var tr = el('tr');
      tr.setAttribute('data-run', String(r.id));
      var label = r.job_name;
      jobs.forEach(function (j) {
        if (j.name === r.job_name) label = j.label;
      });
      tr.appendChild(el('td', label));
      tr.appendChild(el('td', when(r.started_at)));
      tr.appendChild(el('td', r.ended_at ? when(r.ended_at) : '—'));
      var st = el('td');
      st.appendChild(badge(r.status));
      tr.appendChild(st);
      var detail = el('td', r.summary || '', 'job-detail');
      if (r.failures && r.failures.length) detail.appendChild(failuresList(r.failures));
      tr.appendChild(detail);
      runsBody.appendChild(tr);
    });
  }

  function renderLogs(logs) {
    logsBody.textContent = '';
    logs.slice(0, 5).forEach(function (l) {
      var tr = el('tr');
      var st = el('td');
      st.appendChild(
        el(
          'span',
          l.status,
          'badge ' + (l.status === 'completed' ? 'ok' : l.status === 'error' ? 'bad' : ''),
        ),
      );
      [
        el('td', when(l.started_at)),
        st,
        el('td', String(l.items_new)),
        el('td', String(l.items_updated)),
        el('td', String(l.items_gone)),
        el('td', String(l.errors)),
      ].forEach(function (td) {
        tr.appendChild(td);
      });
      if (l.message) tr.title = l.message;
      logsBody.appendChild(tr);
    });
    if (!logs.length) {
      var tr = el('tr');
      var td = el('td', 'No syncs yet.', 'muted');
      td.colSpan = 6;
      tr.appendChild(td);
      logsBody.appendChild(tr);
    }
  }

  function refresh() {
    return Promise.all([
      WQ.api('GET', '/admin/jobs'),
      WQ.api('GET', '/admin/jobs/runs?limit=10'),
      WQ.api('GET', '/admin/queue/sync-logs'),
    ]).then(function (r) {
      if (r[0].ok) {
        jobs = r[0].data;
        renderJobs();
      }
      if (r[1].ok) renderRuns(r[1].data);
      if (r[2].ok) renderLogs(r[2].data);
    });
  }
  var lastEventAt = 0;
  function schedulePoll() {
    var busy = jobs.some(function (j) {
      return j.running;
    });
    if (busy && !pollTimer) {
      pollTimer = setInterval(function () {
        if (Date.now() - lastEventAt >= 5000) refresh();
      }, 5000);
    } else if (!busy && pollTimer) {
      clearInterval(pollTimer);
      pollTimer = null;
    }
  }

  function post(job, params) {
    return WQ.api('POST', '/admin/jobs/' + encodeURIComponent(job.name) + '/run', { params: params }).then(
      function (r) {
        if (r.ok) {
          WQ.toast(job.label + ' started', 'ok');
          job.running = true;
          renderJobs();
          refresh();
        }
        return r;
      },
    );
  }
  function startJob(job) {
    if (job.schema && job.schema.length) {
      openModal(job);
      return;
    }
    post(job, {}).then(function (r) {
      if (!r.ok) WQ.toast(r.data.detail || 'Could not start the job', 'error');
    });
  }
  function cancelJob(job) {
    WQ.api('POST', '/admin/jobs/' + encodeURIComponent(job.name) + '/cancel').then(function (r) {
      WQ.toast(r.ok ? 'Cancelling ' + job.label : r.data.detail || 'Cancel failed', r.ok ? 'ok' : 'error');
    });
  }

  // The modal form is built from the job's schema.
  function openModal(job) {
    modalJob = job;
    document.getElementById('job-modal-heading').textContent = job.label;
    fieldsBox.textContent = '';
    errorEl.hidden = true;
    job.schema.forEach(function (f) {
      var id = 'job-f-' + f.name;
      var input;
      var text = (f.label || f.name) + (f.required ? ' *' : '');
      if (f.type === 'bool') {
        var wrap = el('label', null, 'queue-switch');
        input = el('input');
        input.type = 'checkbox';
        input.id = id;
        input.checked = f.default === true;
        wrap.append(input, document.createTextNode(' ' + text));
        input.name = f.name;
        input.setAttribute('data-type', f.type);
        fieldsBox.appendChild(wrap);
        return;
      }
      var label = el('label', text);
      label.htmlFor = id;
      if (f.type === 'enum' || f.type === 'playlist') {
        input = el('select');
        if (f.type === 'playlist' || !f.required) {
          var none = el('option', f.type === 'playlist' ? 'None' : '—');
          none.value = '';
          input.appendChild(none);
        }
        (f.options || []).forEach(function (o) {
          var value = typeof o === 'object' ? o.value : o;
          var opt = el('option', typeof o === 'object' ? o.label : String(o));
          opt.value = String(value);
          if (f.default != null && String(f.default) === String(value)) opt.selected = true;
          input.appendChild(opt);
        });
      } else {
        input = el('input');
        input.type = f.type === 'int' || f.type === 'float' ? 'number' : 'text';
        if (f.type === 'float') input.step = 'any';
        if (f.default != null) input.value = String(f.default);
      }
      input.id = id;
      input.name = f.name;
      input.setAttribute('data-type', f.type);
      if (f.required) input.required = true;
      fieldsBox.append(label, input);
    });
    modal.hidden = false;
    var first = fieldsBox.querySelector('input, select');
    if (first) first.focus();
  }
  function closeModal() {
    modal.hidden = true;
    modalJob = null;
  }
  document.getElementById('job-cancel-modal').addEventListener('click', closeModal);
  modal.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape') closeModal();
  });
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    if (!modalJob) return;
    var job = modalJob;
    var params = {};
    fieldsBox.querySelectorAll('input, select').forEach(function (input) {
      params[input.name] = input.getAttribute('data-type') === 'bool' ? input.checked : input.value;
    });
    post(job, params).then(function (r) {
      if (r.ok) {
        closeModal();
        return;
      }
      errorEl.textContent = r.data.detail || 'Could not start the job';
      errorEl.hidden = false;
    });
  });

  // Live updates from the admin room.
  var socket = window.WQ.adminSocket;
  if (socket) {
    socket.on('job_run', function (e) {
      lastEventAt = Date.now();
      var job = null;
      jobs.forEach(function (j) {
        if (j.name === e.job_name) job = j;
      });
      if (job) {
        var wasRunning = job.running;
        job.running = e.status === 'running';
        job.last_run = {
          id: e.run_id,
          status: e.status,
          started_at: e.started_at,
          ended_at: e.ended_at,
          summary: e.summary,
          progress: e.progress,
          failures: e.failures,
        };
        if (wasRunning !== job.running) renderJobs();
        else {
          var row = jobsBody.querySelector('tr[data-job="' + CSS.escape(e.job_name) + '"] .job-last');
          if (row) fillLast(row, job);
        }
      }
      // progress ticks only move the bar; the runs table is refetched when a run starts or ends
      if (e.status !== 'running' || !e.progress) {
        WQ.api('GET', '/admin/jobs/runs?limit=10').then(function (r) {
          if (r.ok) renderRuns(r.data);
        });
      }
      if (e.job_name === 'catalog_sync' && e.status !== 'running') {
        WQ.api('GET', '/admin/queue/sync-logs').then(function (r) {
          if (r.ok) renderLogs(r.data);
        });
      }
    });
  }
  refresh();
})();
