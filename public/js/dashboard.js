// Viewer dashboard: show server timestamps in the browser's local time. Plain JS.
(function () {
  'use strict';
  var nodes = document.querySelectorAll('time.local-time[datetime]');
  for (var i = 0; i < nodes.length; i++) {
    var d = new Date(nodes[i].getAttribute('datetime'));
    if (!isNaN(d.getTime())) nodes[i].textContent = d.toLocaleString();
  }
})();
