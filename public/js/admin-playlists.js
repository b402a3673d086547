// Admin Playlists (PRODUCT.md §3 page 7): the list (Reserve/Release, Edit, Delete, + New Playlist)
// and the editor (working item list with drag-and-drop and ↑/↓, catalog search, bulk text import,
// Save Items, Import to Live). The editor's item list is local until Save Items.
(function () {
  'use strict';
  var listView = document.getElementById('pl-list-view');
  var editor = document.getElementById('pl-editor');
  var rows = document.getElementById('pl-rows');
  var itemsEl = document.getElementById('ed-items');
  var current = null; // the playlist being edited (server copy of its details)
  var working = []; // [{media_type, media_id, title, duration_sec}]
  var dirty = false;
  var dragFrom = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function button(text, cls, action) {
    var b = el('button', 'button small ' + (cls || 'secondary'), text);
    b.type = 'button';
    if (action) b.dataset.action = action;
    return b;
  }
  function failed(res) {
    WQ.toast(res.data.detail || 'Failed (' + res.status + ')', 'error');
  }
  function setDirty(value) {
    dirty = value;
    document.getElementById('ed-dirty').hidden = !dirty;
  }

  // --- list ---
  function renderList(playlists) {
    rows.replaceChildren();
    if (!playlists.length) {
      var td = rows.appendChild(el('tr')).appendChild(el('td', 'muted', 'No playlists yet.'));
      td.colSpan = 6;
      return;
    }
    playlists.forEach(function (p) {
      var tr = el('tr');
      tr.dataset.id = String(p.id);
      var name = el('td');
      name.appendChild(el('div', 'pl-name', p.name));
      if (p.description) name.appendChild(el('div', 'muted small', p.description));
      tr.appendChild(name);
      var reserved = el('td');
      reserved.appendChild(
        el('span', 'badge ' + (p.is_immutable ? 'bad' : ''), p.is_immutable ? 'Immutable' : 'Mutable'),
      );
      tr.appendChild(reserved);
      var promo = el('td');
      if (p.promo_type) promo.appendChild(el('span', 'badge promo', p.promo_type));
      tr.appendChild(promo);
      tr.appendChild(el('td', null, p.item_count));
      tr.appendChild(el('td', null, p.created_by));
      var actions = el('td', 'mgmt-row-actions');
      var toggle = button(p.is_immutable ? 'Release' : 'Reserve', 'secondary', 'toggle');
      toggle.dataset.immutable = p.is_immutable ? '1' : '0';
      var wrap = el('div', 'row-actions');
      wrap.append(toggle, button('Edit', 'secondary', 'edit'), button('Delete', 'danger', 'delete'));
      actions.appendChild(wrap);
      tr.appendChild(actions);
      tr.dataset.name = p.name;
      rows.appendChild(tr);
    });
  }
  function loadList() {
    return WQ.api('GET', '/admin/playlists').then(function (res) {
      if (!res.ok) return failed(res);
      renderList(res.data);
    });
  }
  rows.addEventListener('click', function (ev) {
    var b = ev.target.closest ? ev.target.closest('button[data-action]') : null;
    if (!b) return;
    var tr = b.closest('tr');
    var id = tr.dataset.id;
    var name = tr.dataset.name;
    var action = b.dataset.action;
    if (action === 'edit') {
      openEditor(id);
    } else if (action === 'delete') {
      if (!window.confirm('Delete "' + name + '" and its items? Schedules using it lose their playlist.'))
        return;
      WQ.api('DELETE', '/admin/playlists/' + id).then(function (res) {
        if (!res.ok) return failed(res);
        WQ.toast('Deleted "' + name + '"');
        loadList();
      });
    } else if (action === 'toggle') {
      var reserve = b.dataset.immutable !== '1';
      var question = reserve
        ? 'Reserve "' +
          name +
          '"? Its items disappear from browse and search and cannot be bought until released.'
        : 'Release "' + name + '"? Its items return to browse and search and can be bought again.';
      if (!window.confirm(question)) return;
      WQ.api('PUT', '/admin/playlists/' + id, { is_immutable: reserve }).then(function (res) {
        if (!res.ok) return failed(res);
        WQ.toast(reserve ? 'Reserved' : 'Released');
        loadList();
      });
    }
  });

  // --- new playlist modal ---
  var modal = document.getElementById('new-modal');
  function closeModal() {
    modal.hidden = true;
  }
  document.getElementById('pl-new').addEventListener('click', function () {
    document.getElementById('new-form').reset();
    modal.hidden = false;
    document.getElementById('new-name').focus();
  });
  document.getElementById('new-cancel').addEventListener('click', closeModal);
  modal.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape') closeModal();
  });
  document.getElementById('new-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var body = {
      name: document.getElementById('new-name').value,
      description: document.getElementById('new-description').value || undefined,
      is_immutable: document.getElementById('new-immutable').checked,
      promo_type: document.getElementById('new-promo').value || null,
    };
    WQ.api('POST', '/admin/playlists', body).then(function (res) {
      if (!res.ok) return failed(res);
      closeModal();
      WQ.toast('Created "' + body.name.trim() + '"');
      openEditor(res.data.id);
    });
  });

  // --- editor ---
  function showList() {
    if (dirty && !window.confirm('Leave the editor? Unsaved item changes are lost.')) return;
    current = null;
    setDirty(false);
    editor.hidden = true;
    listView.hidden = false;
    if (window.location.hash) history.replaceState(null, '', window.location.pathname);
    loadList();
  }
  function openEditor(id) {
    return WQ.api('GET', '/admin/playlists/' + encodeURIComponent(id)).then(function (res) {
      if (!res.ok) {
        failed(res);
        return showList();
      }
      current = res.data;
      working = res.data.items.map(function (i) {
        return {
          media_type: i.media_type,
          media_id: i.media_id,
          title: i.title,
          duration_sec: i.duration_sec,
        };
      });
      setDirty(false);
      fillMeta();
      renderItems();
      document.getElementById('ed-unresolved').replaceChildren();
      listView.hidden = true;
      editor.hidden = false;
      history.replaceState(null, '', '#playlist-' + current.id);
    });
  }
  function fillMeta() {
    document.getElementById('ed-heading').textContent = 'Edit: ' + current.name;
    document.getElementById('ed-name').value = current.name;
    document.getElementById('ed-description').value = current.description || '';
    document.getElementById('ed-immutable').checked = Boolean(current.is_immutable);
    document.getElementById('ed-promo').value = current.promo_type || '';
  }
  function renderItems() {
    itemsEl.replaceChildren();
    var total = 0;
    working.forEach(function (item, idx) {
      total += Number(item.duration_sec) || 0;
      var li = el('li', 'pl-item');
      li.draggable = true;
      li.dataset.index = String(idx);
      li.appendChild(el('span', 'pl-pos muted', idx + 1));
      var main = el('div', 'pl-item-main');
      main.appendChild(el('div', 'pl-item-title', item.title || item.media_id));
      var meta = el('div', 'muted small');
      meta.appendChild(el('span', 'badge', item.media_type));
      meta.appendChild(
        document.createTextNode(' ' + (item.duration_sec ? WQ.formatDuration(item.duration_sec) : '–')),
      );
      main.appendChild(meta);
      li.appendChild(main);
      var actions = el('div', 'pl-item-actions');
      var up = button('↑', 'secondary', 'up');
      up.setAttribute('aria-label', 'Move up');
      up.disabled = idx === 0;
      var down = button('↓', 'secondary', 'down');
      down.setAttribute('aria-label', 'Move down');
      down.disabled = idx === working.length - 1;
      var remove = button('✕', 'danger', 'remove');
      remove.setAttribute('aria-label', 'Remove');
      actions.append(up, down, remove);
      li.appendChild(actions);
      itemsEl.appendChild(li);
    });
    document.getElementById('ed-empty').hidden = working.length > 0;
    document.getElementById('ed-summary').textContent =
      working.length + (working.length === 1 ? ' item · ' : ' items · ') + WQ.formatDuration(total);
  }
  function move(from, to) {
    if (to < 0 || to >= working.length || from === to) return;
    var item = working.splice(from, 1)[0];
    working.splice(to, 0, item);
    setDirty(true);
    renderItems();
  }
  itemsEl.addEventListener('click', function (ev) {
    var b = ev.target.closest ? ev.target.closest('button[data-action]') : null;
    if (!b) return;
    var idx = Number(b.closest('li').dataset.index);
    if (b.dataset.action === 'up') move(idx, idx - 1);
    else if (b.dataset.action === 'down') move(idx, idx + 1);
    else if (b.dataset.action === 'remove') {
      working.splice(idx, 1);
      setDirty(true);
      renderItems();
    }
    var again = itemsEl.querySelector(
      'li[data-index="' +
        (b.dataset.action === 'up' ? idx - 1 : idx + 1) +
        '"] button[data-action="' +
        b.dataset.action +
        '"]',
    );
    if (again && !again.disabled && b.dataset.action !== 'remove') again.focus();
  });
  itemsEl.addEventListener('dragstart', function (ev) {
    var li = ev.target.closest ? ev.target.closest('li') : null;
    if (!li) return;
    dragFrom = Number(li.dataset.index);
    ev.dataTransfer.effectAllowed = 'move';
    ev.dataTransfer.setData('text/plain', li.dataset.index);
    li.classList.add('dragging');
  });
  itemsEl.addEventListener('dragover', function (ev) {
    if (dragFrom === null) return;
    ev.preventDefault();
    ev.dataTransfer.dropEffect = 'move';
  });
  itemsEl.addEventListener('drop', function (ev) {
    ev.preventDefault();
    var li = ev.target.closest ? ev.target.closest('li') : null;
    var to = li ? Number(li.dataset.index) : working.length - 1;
    if (dragFrom !== null) move(dragFrom, to);
    dragFrom = null;
  });
  itemsEl.addEventListener('dragend', function () {
    dragFrom = null;
    Array.prototype.forEach.call(itemsEl.querySelectorAll('.dragging'), function (e) {
      e.classList.remove('dragging');
    });
  });

  document.getElementById('ed-back').addEventListener('click', showList);
  document.getElementById('ed-meta').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var body = {
      name: document.getElementById('ed-name').value,
      description: document.getElementById('ed-description').value || null,
      is_immutable: document.getElementById('ed-immutable').checked,
      promo_type: document.getElementById('ed-promo').value || null,
    };
    if (
      body.is_immutable &&
      !current.is_immutable &&
      !window.confirm(
        'Reserve this playlist? Its items disappear from browse and search and cannot be bought.',
      )
    )
      return;
    WQ.api('PUT', '/admin/playlists/' + current.id, body).then(function (res) {
      if (!res.ok) return failed(res);
      current.name = body.name.trim();
      current.description = body.description;
      current.is_immutable = body.is_immutable;
      current.promo_type = body.promo_type;
      fillMeta();
      WQ.toast('Details saved');
    });
  });
  document.getElementById('ed-save').addEventListener('click', function () {
    WQ.api('PUT', '/admin/playlists/' + current.id + '/items', { items: working }).then(function (res) {
      if (!res.ok) return failed(res);
      setDirty(false);
      WQ.toast('Saved ' + res.data.count + ' item(s)');
    });
  });
  document.getElementById('ed-import').addEventListener('click', function () {
    var question =
      'Import the saved items of "' +
      current.name +
      '" to the end of the live queue?' +
      (dirty ? ' Unsaved changes are not included: Save Items first.' : '');
    if (!window.confirm(question)) return;
    var b = document.getElementById('ed-import');
    b.disabled = true;
    importing = current.id;
    progressEl.textContent = 'Importing…';
    resultBox.hidden = true;
    WQ.api('POST', '/admin/playlists/' + current.id + '/import').then(function (res) {
      b.disabled = false;
      importing = null;
      progressEl.textContent = '';
      if (!res.ok) return failed(res);
      if (!res.data.success) return WQ.toast(res.data.error || 'Import failed', 'error');
      showImportResult(res.data);
    });
  });

  // Import to Live: "n of m" while it runs (Socket.IO), then every item that failed and why.
  var importing = null;
  var progressEl = document.getElementById('ed-import-progress');
  var resultBox = document.getElementById('ed-import-result');
  function showImportResult(r) {
    resultBox.hidden = false;
    document.getElementById('ed-import-summary').textContent =
      'Added ' +
      r.added +
      ' of ' +
      (r.added + r.errors) +
      ' to the end of the live queue' +
      (r.errors ? '; ' + r.errors + ' could not be added:' : '.');
    var list = document.getElementById('ed-import-failures');
    list.replaceChildren();
    (r.failures || []).forEach(function (f) {
      list.appendChild(el('li', null, '#' + f.position + ' ' + (f.title || 'untitled') + ': ' + f.error));
    });
    WQ.toast(
      'Imported ' + r.added + ' item(s)' + (r.errors ? ', ' + r.errors + ' failed' : ''),
      r.errors ? 'error' : 'ok',
    );
  }
  var socket = WQ.live(function () {});
  if (socket) {
    socket.on('import_progress', function (p) {
      if (importing === null || p.playlist_id !== Number(importing)) return;
      progressEl.textContent = 'Importing ' + p.done + ' of ' + p.total + '…';
    });
  }

  // --- add from catalog ---
  var results = document.getElementById('ed-results');
  document.getElementById('ed-search-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var q = document.getElementById('ed-q').value.trim();
    if (!q) return;
    results.replaceChildren(el('li', 'muted', 'Searching…'));
    WQ.api('GET', '/catalog/search?q=' + encodeURIComponent(q)).then(function (res) {
      results.replaceChildren();
      if (!res.ok) return failed(res);
      if (!res.data.items.length) results.appendChild(el('li', 'muted', 'No results.'));
      res.data.items.forEach(function (item) {
        var li = el('li');
        var text = el('div');
        text.appendChild(el('div', null, item.title));
        text.appendChild(el('div', 'muted small', WQ.formatDuration(item.duration_sec)));
        var add = button('Add', 'secondary', 'add');
        add.addEventListener('click', function () {
          working.push({
            media_type: 'cm',
            media_id: item.manifest_url,
            title: item.title,
            duration_sec: item.duration_sec,
          });
          setDirty(true);
          renderItems();
          WQ.toast('Added "' + item.title + '"');
        });
        li.append(text, add);
        results.appendChild(li);
      });
    });
  });

  // --- bulk text import ---
  var bulk = document.getElementById('ed-bulk');
  var unresolved = document.getElementById('ed-unresolved');
  document.getElementById('ed-bulk-file').addEventListener('change', function (ev) {
    var file = ev.target.files && ev.target.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      bulk.value = String(reader.result || '');
    };
    reader.onerror = function () {
      WQ.toast('Could not read the file', 'error');
    };
    reader.readAsText(file);
    ev.target.value = '';
  });
  document.getElementById('ed-bulk-parse').addEventListener('click', function () {
    WQ.api('POST', '/admin/playlists/parse-text', { text: bulk.value }).then(function (res) {
      if (!res.ok) return failed(res);
      res.data.items.forEach(function (item) {
        working.push(item);
      });
      if (res.data.items.length) setDirty(true);
      renderItems();
      unresolved.replaceChildren();
      res.data.errors.forEach(function (e) {
        unresolved.appendChild(
          el('li', null, 'Line ' + e.line + ': ' + e.token + ' — ' + (e.message || e.reason)),
        );
      });
      WQ.toast(
        'Added ' +
          res.data.items.length +
          ' item(s)' +
          (res.data.errors.length ? ', ' + res.data.errors.length + ' unresolved' : ''),
        res.data.errors.length ? 'error' : 'ok',
      );
    });
  });

  window.addEventListener('beforeunload', function (ev) {
    if (dirty) {
      ev.preventDefault();
      ev.returnValue = '';
    }
  });

  var match = /^#playlist-(\d+)$/.exec(window.location.hash);
  if (match) openEditor(match[1]);
  else loadList();
})();
