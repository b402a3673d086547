// Live queue updates as diffs: applyQueueDiff(state, diff) gives the next full queue state, or
// null when the diff does not follow the state the page holds (then the page asks the server
// for the whole state again). Shared by the browser (window.WQQueueDiff) and the server's tests.
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.WQQueueDiff = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  function applyQueueDiff(state, diff) {
    if (!state || !diff || state.version !== diff.base) return null;
    var known = {};
    var i;
    for (i = 0; i < state.items.length; i++) known[state.items[i].uid] = state.items[i];
    for (i = 0; i < diff.items.length; i++) known[diff.items[i].uid] = diff.items[i];
    var startMs = Date.parse(diff.updated_at);
    var items = [];
    for (i = 0; i < diff.order.length; i++) {
      var item = known[diff.order[i]];
      if (!item) return null;
      var copy = {};
      for (var key in item) if (Object.prototype.hasOwnProperty.call(item, key)) copy[key] = item[key];
      var eta = diff.etas[i];
      if (eta === null || eta === undefined) {
        delete copy.estimated_start_in_sec;
        delete copy.estimated_start_at;
      } else {
        // [seconds as shown, milliseconds from updated_at]
        copy.estimated_start_in_sec = eta[0];
        copy.estimated_start_at = new Date(startMs + eta[1]).toISOString();
      }
      items.push(copy);
    }
    var nowPlaying = 'now_playing' in diff ? diff.now_playing : state.now_playing;
    if (nowPlaying && diff.now_playing_time !== null && diff.now_playing_time !== undefined) {
      var np = {};
      for (var k in nowPlaying)
        if (Object.prototype.hasOwnProperty.call(nowPlaying, k)) np[k] = nowPlaying[k];
      np.currentTime = diff.now_playing_time;
      nowPlaying = np;
    }
    return {
      items: items,
      now_playing: nowPlaying,
      updated_at: diff.updated_at,
      stale: diff.stale,
      version: diff.version,
    };
  }

  return { applyQueueDiff: applyQueueDiff };
});
