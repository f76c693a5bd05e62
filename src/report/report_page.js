// tarsier report: draws the file tree from the data embedded in the page (schemaVersion 1,
// man/tarsier-report.1 PAGE DATA). Everything from the archive is set as text
// (textContent), never as markup. Rows are made when a directory is opened, so an image of
// tens of thousands of files opens at once.
(function () {
  'use strict';
  var started = performance.now();
  var dataBlock = document.getElementById('tarsier-data');
  var treeBox = document.getElementById('tree');
  if (!dataBlock || !treeBox) return;
  var data = JSON.parse(dataBlock.textContent);
  var nodes = data.nodes;
  var N = nodes.length;
  var layerSelect = document.getElementById('tree-layer');
  var filterInput = document.getElementById('tree-filter');
  var changesBox = document.getElementById('tree-changes');
  var status = document.getElementById('tree-status');
  var BATCH = 500;      // rows made at once in one directory ("show more" for the rest)
  var MAX_FOUND = 1000; // filtered or changed paths drawn at once

  var parent = new Int32Array(N);
  var children = new Array(N);
  for (var i = 0; i < N; i++) children[i] = null;
  for (i = 1; i < N; i++) {
    var p = nodes[i][0];
    parent[i] = p;
    (children[p] || (children[p] = [])).push(i);
  }
  var lowerNames = null;

  // The state of every path after the chosen layer.
  var alive = new Uint8Array(N);   // present in the merged tree
  var mark = new Array(N);         // 'A', 'C', 'D' when the chosen layer did that, else ''
  var type = new Array(N);         // f d l h o
  var size = new Float64Array(N);  // bytes (a directory: everything below it)
  var layer = -1;

  function compute(L) {
    layer = L;
    var kill = new Int32Array(N);
    var implicit = new Uint8Array(N);
    var own = new Float64Array(N);
    alive[0] = 1; kill[0] = -1; type[0] = 'd'; mark[0] = '';
    for (var i = 1; i < N; i++) {
      var n = nodes[i], p = parent[i], pk = kill[p];
      var last = -1, killOwn = -1, here = '';
      for (var k = 2; k + 2 < n.length; k += 3) {
        var l = n[k];
        if (l > L) break;
        last = k;
        var code = n[k + 1];
        if (code[0] === 'D' || code[1] !== 'd') killOwn = l;
        if (l === L) here = code[0];
      }
      kill[i] = Math.max(pk, killOwn);
      mark[i] = '';
      size[i] = 0;
      own[i] = 0;
      type[i] = 'd';
      if (!alive[p]) { alive[i] = 0; continue; }
      if (last < 0) { implicit[i] = 1; alive[i] = 1; continue; }
      var lastCode = n[last + 1], lastLayer = n[last];
      type[i] = lastCode[1];
      if (lastCode[0] === 'D') {
        alive[i] = 0;
        if (lastLayer === L && lastLayer > pk) { mark[i] = 'D'; size[i] = n[last + 2]; }
        continue;
      }
      alive[i] = lastLayer > pk ? 1 : 0;
      if (alive[i]) {
        mark[i] = here;
        if (type[i] !== 'd') own[i] = n[last + 2];
      }
    }
    // Below first: a directory's size is what lies under it; a directory no entry made
    // exists while something under it does.
    var below = new Uint8Array(N);
    for (i = N - 1; i > 0; i--) {
      if (!alive[i]) {
        if (mark[i] === 'D') below[parent[i]] = 1;  // keep the directory where it happened
        continue;
      }
      if (implicit[i] && !below[i]) { alive[i] = 0; continue; }
      size[i] += own[i];
      size[parent[i]] += size[i];
      below[parent[i]] = 1;
    }
  }

  function shown(i) { return alive[i] === 1 || mark[i] === 'D'; }
  function isDir(i) { return type[i] === 'd' && mark[i] !== 'D'; }
  function pathOf(i) {
    var parts = [];
    for (; i > 0; i = parent[i]) parts.push(nodes[i][1]);
    return '/' + parts.reverse().join('/');
  }

  function humanSize(n) {  // go-units HumanSize with 3 digits, as the rest of the page
    var units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
    var u = 0;
    while (n >= 1000 && u < units.length - 1) { n /= 1000; u++; }
    return String(Number(n.toPrecision(3))) + units[u];
  }

  // keep: null (every shown path) or a Uint8Array of the paths to draw; open: paths drawn
  // opened.
  var keep = null, open = null;

  function row(i, depth) {
    var div = document.createElement('div');
    div.className = 'node' + (isDir(i) ? ' dir' : '') + (mark[i] === 'D' ? ' gone' : '');
    div.setAttribute('role', 'treeitem');
    div.dataset.node = i;
    div.dataset.path = pathOf(i);
    div.dataset.mark = mark[i];
    div.style.paddingLeft = (8 + depth * 16) + 'px';
    var tw = document.createElement('span');
    tw.className = 'twisty';
    var m = document.createElement('span');
    m.className = 'mark ' + mark[i];
    m.textContent = mark[i];
    var name = document.createElement('span');
    name.className = 'name';
    name.textContent = nodes[i][1] + (type[i] === 'd' ? '/' : '');
    var sz = document.createElement('span');
    sz.className = 'size';
    sz.textContent = humanSize(size[i]);
    sz.title = size[i] + ' bytes';
    div.append(tw, m, name, sz);
    var wrap = document.createElement('div');
    wrap.append(div);
    if (isDir(i) && hasShownChild(i)) {
      tw.textContent = '\u25b8';
      div.setAttribute('aria-expanded', 'false');
      var toggle = function () { setOpen(wrap, i, depth, div.getAttribute('aria-expanded') !== 'true'); };
      tw.addEventListener('click', toggle);
      name.addEventListener('click', toggle);
      // Keyboard: Tab to a directory, Enter or Space opens or closes it.
      name.tabIndex = 0;
      name.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); toggle(); }
      });
      if (open && open[i]) setOpen(wrap, i, depth, true);
    }
    return wrap;
  }

  function hasShownChild(i) {
    var c = children[i];
    if (!c) return false;
    for (var k = 0; k < c.length; k++) if (shown(c[k]) && (!keep || keep[c[k]])) return true;
    return false;
  }

  function setOpen(wrap, i, depth, opened) {
    var div = wrap.firstChild;
    div.setAttribute('aria-expanded', opened ? 'true' : 'false');
    div.firstChild.textContent = opened ? '\u25be' : '\u25b8';
    if (wrap.childNodes.length > 1) wrap.removeChild(wrap.lastChild);
    if (!opened) return;
    var box = document.createElement('div');
    box.setAttribute('role', 'group');
    wrap.append(box);
    fill(box, i, depth + 1, 0);
  }

  // Draws the shown children of i from position `from`, BATCH at a time.
  function fill(box, i, depth, from) {
    var c = children[i] || [];
    var made = 0, k = from;
    var frag = document.createDocumentFragment();
    for (; k < c.length && made < BATCH; k++) {
      var j = c[k];
      if (!shown(j) || (keep && !keep[j])) continue;
      frag.append(row(j, depth));
      made++;
    }
    var rest = 0;
    for (var r = k; r < c.length; r++) if (shown(c[r]) && (!keep || keep[c[r]])) rest++;
    if (rest > 0) {
      var more = document.createElement('button');
      more.type = 'button';
      more.className = 'more';
      more.textContent = 'show ' + rest + ' more';
      more.style.marginLeft = (8 + depth * 16) + 'px';
      more.addEventListener('click', function () { box.removeChild(more); fill(box, i, depth, k); });
      frag.append(more);
    }
    box.append(frag);
  }

  function draw() {
    treeBox.textContent = '';
    var box = document.createElement('div');
    fill(box, 0, 0, 0);
    treeBox.append(box);
  }

  // Marks `list` and every directory above each; returns the set.
  function withParents(list) {
    var set = new Uint8Array(N);
    set[0] = 1;
    for (var k = 0; k < list.length; k++)
      for (var i = list[k]; i > 0 && !set[i]; i = parent[i]) set[i] = 1;
    return set;
  }

  function counts() {
    var a = 0, c = 0, d = 0, files = 0;
    for (var i = 1; i < N; i++) {
      if (mark[i] === 'A') a++; else if (mark[i] === 'C') c++; else if (mark[i] === 'D') d++;
      if (alive[i]) files++;
    }
    return 'layer ' + layer + ': ' + files + ' paths; ' + a + ' added, ' + c + ' changed, ' + d + ' deleted';
  }

  function update() {
    var q = filterInput.value.trim().toLowerCase();
    var only = changesBox.checked;
    var text = counts();
    if (!q && !only) {
      keep = null;
      open = null;
    } else {
      if (q && !lowerNames) lowerNames = nodes.map(function (n) { return String(n[1]).toLowerCase(); });
      var found = [], total = 0;
      for (var i = 1; i < N; i++) {
        if (!shown(i)) continue;
        if (only && !mark[i]) continue;
        if (q && lowerNames[i].indexOf(q) < 0) continue;
        total++;
        if (found.length < MAX_FOUND) found.push(i);
      }
      keep = withParents(found);
      open = keep;
      text += ' · ' + total + (total === 1 ? ' match' : ' matches') +
        (total > found.length ? ' (the first ' + found.length + ' shown)' : '');
    }
    status.textContent = text;
    draw();
  }

  function choose(L) {
    layerSelect.value = String(L);
    compute(L);
    update();
  }

  var timer = 0;
  filterInput.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  });
  changesBox.addEventListener('change', update);
  layerSelect.addEventListener('change', function () { choose(Number(layerSelect.value)); });

  // A finding's path: the layer it names, the tree opened down to the path.
  function reveal(L, path) {
    if (L >= 0) choose(L);
    var parts = path.split('/').filter(function (s) { return s.length > 0; });
    var i = 0;
    for (var k = 0; k < parts.length && i >= 0; k++) {
      var c = children[i] || [], next = -1;
      for (var m = 0; m < c.length; m++) if (nodes[c[m]][1] === parts[k]) { next = c[m]; break; }
      i = next;
    }
    if (i <= 0) return;
    filterInput.value = '';
    changesBox.checked = false;
    keep = null;
    open = withParents([parent[i]]);
    draw();
    var el = treeBox.querySelector('[data-node="' + i + '"]');
    if (el) {
      el.classList.add('found');
      el.scrollIntoView({block: 'center'});
    }
  }
  document.addEventListener('click', function (ev) {
    var a = ev.target.closest && ev.target.closest('a.path-link, a.tree-link');
    if (!a) return;
    var L = a.dataset.layer === '' || a.dataset.layer === undefined ? -1 : Number(a.dataset.layer);
    if (a.classList.contains('tree-link')) choose(L);
    else reveal(L, a.dataset.path);
  });

  for (i = 0; i < data.layers.length; i++) {
    var l = data.layers[i];
    var opt = document.createElement('option');
    opt.value = String(l.position);
    var cmd = l.createdBy.length > 70 ? l.createdBy.slice(0, 69) + '\u2026' : l.createdBy;
    opt.textContent = l.position + ': ' + (cmd || l.digest.slice(0, 19));
    layerSelect.append(opt);
  }
  document.querySelector('.tree-controls').hidden = false;
  document.querySelector('.tree-legend').hidden = false;
  if (data.layers.length > 0) choose(data.layers.length - 1);
  // For the browser test: the script's own time, and the time since navigation began.
  document.documentElement.dataset.treeReadyMs = String(Math.round(performance.now() - started));
  document.documentElement.dataset.treeReadyAt = String(Math.round(performance.now()));
})();
