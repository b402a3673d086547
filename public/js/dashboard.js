// Viewer dashboard: show server timestamps in the browser's local time. Plain JS.
(function () {
  'use strict';
  var nodes = document.querySelectorAll('time.local-time[datetime]');
  for (var i = 0; i < nodes.length; i++) {
    var d = new Date(nodes[i].getAttribute('datetime'));
    if (!isNaN(d.getTime())) nodes[i].textContent = d.toLocaleString();
  }
})();

// Linked devices: make a one-time link code, list the keys, revoke one. Text via textContent.
(function () {
  'use strict';
  var list = document.getElementById('device-list');
  if (!list || !window.WQ) return;
  var codeBox = document.getElementById('device-code');
  var el = window.WQ.el;
  function when(iso) {
    return iso ? new Date(iso).toLocaleString() : 'never';
  }
  function render(devices) {
    list.textContent = '';
    if (!devices.length) {
      list.appendChild(el('li', 'No devices linked yet.', 'muted'));
      return;
    }
    devices.forEach(function (d) {
      var li = el('li', null, 'dash-row device-row');
      var main = el('div', null, 'dash-row-main');
      main.appendChild(el('span', d.name, 'dash-title'));
      main.appendChild(
        el(
          'span',
          d.revoked_at ? 'Revoked' : 'Active',
          'badge ' + (d.revoked_at ? 'status-refunded' : 'status-played'),
        ),
      );
      if (!d.revoked_at) {
        var revoke = el('button', 'Revoke', 'button secondary small');
        revoke.type = 'button';
        revoke.setAttribute('aria-label', 'Revoke ' + d.name);
        revoke.addEventListener('click', function () {
          WQ.api('DELETE', '/user/devices/' + d.id).then(function (r) {
            WQ.toast(
              r.ok
                ? d.name + ' can no longer read the queue'
                : (r.data && r.data.detail) || 'Could not revoke',
              r.ok ? 'ok' : 'error',
            );
            load();
          });
        });
        main.appendChild(revoke);
      }
      li.appendChild(main);
      li.appendChild(
        el(
          'div',
          'Key ' + d.key_hint + '… · linked ' + when(d.created_at) + ' · last used ' + when(d.last_used_at),
          'dash-row-sub muted',
        ),
      );
      list.appendChild(li);
    });
  }
  function load() {
    WQ.api('GET', '/user/devices').then(function (r) {
      if (r.ok) render(r.data);
      else list.textContent = 'Devices unavailable right now.';
    });
  }
  document.getElementById('device-code-button').addEventListener('click', function () {
    WQ.api('POST', '/user/devices/code').then(function (r) {
      if (!r.ok) {
        WQ.toast((r.data && r.data.detail) || 'Could not make a code', 'error');
        return;
      }
      codeBox.textContent = '';
      codeBox.appendChild(el('strong', r.data.code, 'device-code-value'));
      codeBox.appendChild(
        el(
          'span',
          ' — enter it on the device within 10 minutes (until ' +
            new Date(r.data.expires_at).toLocaleTimeString() +
            ').',
        ),
      );
      codeBox.hidden = false;
    });
  });
  load();
})();
