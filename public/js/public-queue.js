// Public queue page: local times, and a refresh every 15 s from /public/queue.json. Plain JS.
(function () {
  'use strict';
  var el = window.WQ.el;
  function localTimes() {
    var nodes = document.querySelectorAll('time.local-time[datetime]');
    for (var i = 0; i < nodes.length; i++) {
      var d = new Date(nodes[i].getAttribute('datetime'));
      if (!isNaN(d.getTime()))
        nodes[i].textContent = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    }
  }
  function byLine(i) {
    return i.tier === 'Channel' ? 'Channel pick' : 'Requested by ' + i.requester + ' · ' + i.tier;
  }
  function render(view) {
    var now = document.getElementById('pq-now');
    now.textContent = '';
    if (view.now_playing) {
      now.appendChild(el('h3', view.now_playing.title, 'pq-now-title'));
      now.appendChild(
        el('p', 'Requested by ' + view.now_playing.requester + ' · ' + view.now_playing.tier, 'muted'),
      );
    } else {
      now.appendChild(el('p', 'Nothing is playing.', 'muted'));
    }
    var list = document.getElementById('pq-list');
    list.textContent = '';
    var next = view.items.filter(function (i) {
      return !i.is_now_playing && !i.is_promo;
    });
    next.forEach(function (i) {
      var li = el('li', null, 'queue-row');
      var main = el('div', null, 'queue-row-main');
      main.appendChild(el('div', i.title, 'queue-row-title'));
      var sub = el('div', byLine(i), 'muted small');
      if (i.eta) {
        sub.appendChild(document.createTextNode(' · '));
        var t = el('time', i.eta, 'local-time');
        t.setAttribute('datetime', i.eta);
        sub.appendChild(t);
      }
      main.appendChild(sub);
      li.appendChild(main);
      list.appendChild(li);
    });
    if (!next.length) list.appendChild(el('li', 'The queue is empty.', 'muted'));
    document.getElementById('pq-stale').hidden = !view.stale;
    var updated = document.getElementById('pq-updated');
    updated.setAttribute('datetime', view.updated_at);
    localTimes();
  }
  function refresh() {
    fetch('/public/queue.json', { headers: { Accept: 'application/json' } })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (view) {
        if (view) render(view);
      })
      .catch(function () {});
  }
  localTimes();
  setInterval(refresh, 15000);
})();
