// Live queue updates as diffs: applyQueueDiff(state, diff) gives the next full queue state, the
// same state when the page already holds that version or a later one (it came in a whole state
// first), or null when the diff does not follow the state the page holds (then the page asks
// the server for the whole state again). Shared by the browser (window.WQQueueDiff) and the server's tests.
// The diff's shape is described in src/live/queue-diff.rules.ts.
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.WQQueueDiff = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  function copyOf(item) {
    var copy = {};
    for (var key in item) if (Object.prototype.hasOwnProperty.call(item, key)) copy[key] = item[key];
    return copy;
  }

  function applyQueueDiff(state, diff) {
    if (state && diff && diff.version <= state.version) return state;
    if (!state || !diff || state.version !== diff.base) return null;
    var known = {};
    var starts = {};
    var i;
    for (i = 0; i < state.items.length; i++) {
      var had = state.items[i];
      known[had.uid] = had;
      starts[had.uid] = had.estimated_start_at === undefined ? null : Date.parse(had.estimated_start_at);
    }
    for (i = 0; i < diff.items.length; i++) known[diff.items[i].uid] = diff.items[i];

    var order = state.items.map(function (item) {
      return item.uid;
    });
    if (diff.splice) Array.prototype.splice.apply(order, diff.splice);

    var explicit = {};
    for (i = 0; i < diff.eta_set.length; i++) explicit[diff.eta_set[i][0]] = diff.eta_set[i][1];
    var updatedMs = Date.parse(diff.updated_at);
    var run = 0;
    var shift = null;
    var items = [];
    for (i = 0; i < order.length; i++) {
      var item = known[order[i]];
      if (!item) return null;
      while (run < diff.eta_runs.length && diff.eta_runs[run][0] <= i) shift = diff.eta_runs[run++][1];
      var copy = copyOf(item);
      copy.position = diff.positions ? diff.positions[i] : i;
      var start;
      if (Object.prototype.hasOwnProperty.call(explicit, i)) start = explicit[i];
      else if (shift !== null && starts[order[i]] !== null && starts[order[i]] !== undefined) {
        start = starts[order[i]] + shift;
      } else return null;
      if (start === null) {
        delete copy.estimated_start_in_sec;
        delete copy.estimated_start_at;
      } else {
        copy.estimated_start_in_sec = Math.round((start - updatedMs) / 1000);
        copy.estimated_start_at = new Date(start).toISOString();
      }
      items.push(copy);
    }
    var nowPlaying = 'now_playing' in diff ? diff.now_playing : state.now_playing;
    if (nowPlaying && diff.now_playing_time !== null && diff.now_playing_time !== undefined) {
      var np = copyOf(nowPlaying);
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
