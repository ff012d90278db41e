/**
 * The browser script of the page `modulith docs` writes, as a string constant: inlined into the
 * page as is, so the page is byte-for-byte the same whichever compiler built the package (a
 * function's `.toString()` would differ between tsc and SWC). Plain ES2017, no backticks, no
 * template placeholders.
 *
 * Everything from the model reaches the DOM through textContent or setAttribute, never as HTML:
 * module descriptions, event names and file paths are text written by other people.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var model = JSON.parse(document.getElementById('model').textContent);
  var modules = {};
  model.modules.forEach(function (m) { modules[m.name] = m; });
  var edges = {};
  model.edges.forEach(function (e) { edges[e.id] = e; });

  // Palette (repeated in the stylesheet's legend).
  var COLOR = { module: '#3f72af', shared: '#2f9e8f', ok: '#8a96a3', violation: '#d64545', debt: '#e8890c',
    undeclared: '#8e44ad', unused: '#b0bec5', match: '#f0b429', selected: '#102a43' };

  function clamp(value, low, high) { return Math.max(low, Math.min(high, value)); }
  /** A node's diameter from its lines of code: square root, so a module ten times larger is ~3x wider. */
  function diameter(m) { return Math.round(clamp(14 + 2.4 * Math.sqrt(m.size.lines || 0), 34, 96)); }

  // ---- Layout: layers by dependency depth (dependencies below their dependents), fixed order within
  // a layer from a few barycentre sweeps. Pure arithmetic on the sorted model: the same model always
  // gives the same picture, with no random seed anywhere.
  function layout() {
    var names = model.modules.map(function (m) { return m.name; });
    var down = {};
    names.forEach(function (n) { down[n] = []; });
    model.edges.forEach(function (e) {
      if (e.kind === 'dependency' && down[e.from] && down[e.to] && e.from !== e.to) down[e.from].push(e.to);
    });
    var depth = {};
    var visiting = {};
    function depthOf(n) {
      if (depth[n] !== undefined) return depth[n];
      if (visiting[n]) return 0; // a cycle: cut it here
      visiting[n] = true;
      var d = 0;
      down[n].forEach(function (t) { d = Math.max(d, depthOf(t) + 1); });
      visiting[n] = false;
      depth[n] = d;
      return d;
    }
    names.forEach(depthOf);
    // Rows: deepest layer on top; a layer wider than MAX_ROW wraps into several rows.
    var MAX_ROW = 7;
    var maxDepth = 0;
    names.forEach(function (n) { maxDepth = Math.max(maxDepth, depth[n]); });
    var rows = [];
    for (var d = maxDepth; d >= 0; d--) {
      var layer = names.filter(function (n) { return depth[n] === d; });
      for (var i = 0; i < layer.length; i += MAX_ROW) rows.push(layer.slice(i, i + MAX_ROW));
    }
    var neighbours = {};
    names.forEach(function (n) { neighbours[n] = []; });
    model.edges.forEach(function (e) {
      if (neighbours[e.from] && neighbours[e.to] && e.from !== e.to) {
        neighbours[e.from].push(e.to);
        neighbours[e.to].push(e.from);
      }
    });
    var X = 190, Y = 130;
    var x = {};
    function place() {
      rows.forEach(function (row) {
        row.forEach(function (n, i) { x[n] = (i - (row.length - 1) / 2) * X; });
      });
    }
    place();
    for (var sweep = 0; sweep < 6; sweep++) {
      rows.forEach(function (row) {
        var centre = {};
        row.forEach(function (n) {
          var ns = neighbours[n];
          var sum = 0;
          ns.forEach(function (o) { sum += x[o]; });
          centre[n] = ns.length ? sum / ns.length : x[n];
        });
        row.sort(function (a, b) { return centre[a] - centre[b] || (a < b ? -1 : a > b ? 1 : 0); });
      });
      place();
    }
    var positions = {};
    rows.forEach(function (row, r) {
      // Stagger alternate rows a little so edges that skip a row do not run through a node.
      var shift = r % 2 ? X / 4 : 0;
      row.forEach(function (n) { positions[n] = { x: x[n] + shift, y: r * Y }; });
    });
    return positions;
  }

  function isError(v) { return v.severity !== 'warn'; }

  var positions = layout();
  var elements = [];
  model.modules.forEach(function (m) {
    var classes = [m.shared ? 'shared' : 'plain'];
    // Only errors draw a red (open) or orange (baselined) border; warnings are listed in the panel.
    if (m.violations.some(isError)) classes.push('open');
    else if (m.debt.some(isError)) classes.push('indebted');
    elements.push({ group: 'nodes', data: { id: m.name, name: m.name, size: diameter(m) },
      position: positions[m.name], classes: classes.join(' ') });
  });
  model.edges.forEach(function (e) {
    if (!modules[e.from] || !modules[e.to]) return;
    elements.push({ group: 'edges', data: { id: e.id, source: e.from, target: e.to },
      classes: e.kind + ' ' + e.status });
  });

  var cy = cytoscape({
    container: document.getElementById('graph'),
    elements: elements,
    layout: { name: 'preset', fit: true, padding: 48 },
    minZoom: 0.2,
    maxZoom: 3,
    boxSelectionEnabled: false,
    autoungrabify: false,
    style: [
      { selector: 'node', style: {
        'width': 'data(size)', 'height': 'data(size)', 'background-color': COLOR.module,
        'border-width': 2, 'border-color': '#ffffff', 'label': 'data(name)', 'font-size': 16,
        'color': '#1f2933', 'text-valign': 'bottom', 'text-margin-y': 5, 'text-background-color': '#ffffff',
        'text-background-opacity': 0.85, 'text-background-padding': 2, 'text-background-shape': 'roundrectangle' } },
      { selector: 'node.shared', style: { 'shape': 'round-rectangle', 'background-color': COLOR.shared } },
      { selector: 'node.open', style: { 'border-width': 5, 'border-color': COLOR.violation } },
      { selector: 'node.indebted', style: { 'border-width': 4, 'border-color': COLOR.debt } },
      { selector: 'edge', style: {
        'width': 2, 'line-color': COLOR.ok, 'target-arrow-color': COLOR.ok, 'target-arrow-shape': 'triangle',
        'curve-style': 'bezier', 'arrow-scale': 1.1, 'opacity': 0.9 } },
      { selector: 'edge.event', style: { 'line-style': 'dashed', 'line-dash-pattern': [7, 5], 'target-arrow-shape': 'vee' } },
      { selector: 'edge.violation', style: { 'line-color': COLOR.violation, 'target-arrow-color': COLOR.violation, 'width': 3.5 } },
      { selector: 'edge.debt', style: { 'line-color': COLOR.debt, 'target-arrow-color': COLOR.debt, 'width': 3 } },
      { selector: 'edge.undeclared', style: { 'line-color': COLOR.undeclared, 'target-arrow-color': COLOR.undeclared, 'width': 3 } },
      { selector: 'edge.unused', style: { 'line-color': COLOR.unused, 'target-arrow-color': COLOR.unused, 'line-style': 'dotted' } },
      { selector: '.faded', style: { 'opacity': 0.2 } },
      { selector: 'node.match', style: { 'border-width': 5, 'border-color': COLOR.match } },
      { selector: 'node.chosen', style: { 'border-width': 5, 'border-color': COLOR.selected, 'overlay-opacity': 0 } },
      { selector: 'edge.chosen', style: { 'width': 5, 'z-index': 10 } },
      { selector: ':selected', style: { 'overlay-opacity': 0 } }
    ]
  });
  // A small app would be fitted at a giant zoom: cap it, so nodes and labels keep a reading size.
  if (cy.zoom() > 1.1) { cy.zoom(1.1); cy.center(); }
  window.modulithGraph = cy;

  // ---- The side panel, built from DOM nodes; text always through textContent.
  var panel = document.getElementById('panel');
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }
  function code(text) { return el('code', {}, [text]); }
  function section(title, items, render, testId) {
    if (!items.length) return null;
    return el('section', { 'data-test': testId }, [el('h3', {}, [title + ' (' + items.length + ')']),
      el('ul', {}, items.map(function (item) { return el('li', {}, [render(item)]); }))]);
  }
  function moduleButton(name) {
    var b = el('button', { 'class': 'link', 'type': 'button', 'data-module': name }, [name]);
    b.addEventListener('click', function () { select('module', name); });
    return b;
  }
  function edgeButton(e, text) {
    var b = el('button', { 'class': 'link', 'type': 'button', 'data-edge': e.id }, [text]);
    b.addEventListener('click', function () { select('edge', e.id); });
    return b;
  }
  function badge(text, kind) { return el('span', { 'class': 'badge ' + (kind || '') }, [text]); }
  function problems(title, list, kind, testId) {
    if (!list.length) return null;
    return el('section', { 'data-test': testId }, [el('h3', {}, [title + ' (' + list.length + ')']),
      el('ul', {}, list.map(function (v) {
        return el('li', { 'class': 'problem ' + kind }, [el('strong', {}, [v.rule]),
          v.severity === 'warn' ? ' (warning) ' : ' ', v.message, el('br'),
          code(v.from), ' \u2192 ', code(v.to)]);
      }))]);
  }
  function fill(kind, name, children) {
    panel.textContent = '';
    panel.setAttribute('data-showing', kind);
    panel.setAttribute('data-name', name);
    children.forEach(function (c) { if (c) panel.appendChild(c); });
    panel.scrollTop = 0;
  }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  function showModule(m) {
    var touching = model.edges.filter(function (e) { return e.from === m.name || e.to === m.name; });
    fill('module', m.name, [
      el('h2', {}, [m.name]),
      el('p', {}, [m.shared ? badge('shared', 'shared') : null,
        m.violations.length ? badge(plural(m.violations.length, 'violation'), 'violation') : null,
        m.debt.length ? badge(m.debt.length + ' debt', 'debt') : null]),
      m.description ? el('p', { 'data-test': 'description' }, [m.description]) : null,
      el('p', { 'class': 'meta' }, [code(m.dir + '/'), ' \u00b7 ', plural(m.size.files, 'file'), ', ',
        'about ' + plural(m.size.lines, 'line')]),
      m.owners.length ? el('p', { 'class': 'meta', 'data-test': 'owners' }, ['Owners: ' + m.owners.join(', ')]) : null,
      el('p', {}, [el('a', { 'href': './' + encodeURIComponent(m.name) + '.md', 'data-test': 'canvas-link' },
        ['Canvas: ' + m.name + '.md'])]),
      m.facades.length ? el('section', { 'data-test': 'facades' }, [el('h3', {}, ['Facades (' + m.facades.length + ')'])]
        .concat(m.facades.map(function (f) {
          return el('div', { 'class': 'facade' }, [code(f.name),
            el('ul', {}, f.methods.map(function (s) { return el('li', {}, [code(s)]); }))]);
        }))) : null,
      section('Publishes', m.publishes, code, 'publishes'),
      section('Listens to', m.listens, code, 'listens'),
      section('Routes', m.routes, code, 'routes'),
      section('Tables', m.tables, code, 'tables'),
      section('Depends on', m.dependsOn, moduleButton, 'depends-on'),
      section('Used by', m.dependents, moduleButton, 'dependents'),
      section('Edges', touching, function (e) {
        var out = e.from === m.name;
        return edgeButton(e, (out ? '\u2192 ' + e.to : '\u2190 ' + e.from) + ' \u00b7 ' + e.kind + ', ' + e.status);
      }, 'edges'),
      problems('Violations', m.violations, '', 'violations'),
      problems('Known debt (baselined)', m.debt, 'debt', 'debt')
    ]);
  }

  var STATUS_TEXT = { ok: 'ok', violation: 'open violation', debt: 'known debt (baselined)',
    undeclared: 'used but not declared in dependsOn', unused: 'declared in dependsOn but never used' };

  function showEdge(e) {
    fill('edge', e.id, [
      el('h2', {}, [e.from + ' \u2192 ' + e.to]),
      el('p', {}, [badge(e.kind), badge(STATUS_TEXT[e.status] || e.status, e.status)]),
      el('p', {}, e.kind === 'event'
        ? [moduleButton(e.from), ' publishes events that ', moduleButton(e.to), ' listens to.']
        : [moduleButton(e.from), ' uses ', moduleButton(e.to),
          e.declared ? ' (declared in its dependsOn).' : ' (not declared in its dependsOn).']),
      section('Facade calls', e.calls, code, 'calls'),
      section('Events', e.events, code, 'events'),
      section('Imports', e.imports, function (i) { return el('span', {}, [code(i.from), ' \u2192 ', code(i.to)]); }, 'imports'),
      problems('Violations', e.violations, '', 'violations'),
      problems('Known debt (baselined)', e.debt, 'debt', 'debt')
    ]);
  }

  function showOverview() {
    var open = model.edges.filter(function (e) { return e.status !== 'ok'; });
    fill('overview', '', [
      el('h2', {}, ['Modules']),
      el('p', { 'class': 'meta' }, ['Click a module or an edge to see what lies behind it.']),
      section('All modules', model.modules, function (m) {
        return el('span', {}, [moduleButton(m.name), m.shared ? ' (shared)' : '',
          m.violations.length ? ' \u2014 ' + plural(m.violations.length, 'violation') : '']);
      }, 'all-modules'),
      section('Edges needing attention', open, function (e) {
        return edgeButton(e, e.from + ' \u2192 ' + e.to + ' \u00b7 ' + e.kind + ', ' + e.status);
      }, 'attention')
    ]);
  }

  // ---- Selection, kept in the address (#module=NAME, #edge=ID) so a link can point at a module.
  function clearMarks() { cy.elements().removeClass('faded chosen match'); }
  function apply(kind, id) {
    clearMarks();
    var target = id ? cy.$id(id) : cy.collection();
    if (kind === 'module' && modules[id] && target.length) {
      cy.elements().not(target.closedNeighborhood()).addClass('faded');
      target.addClass('chosen');
      showModule(modules[id]);
    } else if (kind === 'edge' && edges[id] && target.length) {
      cy.elements().not(target.union(target.connectedNodes())).addClass('faded');
      target.addClass('chosen');
      showEdge(edges[id]);
    } else {
      showOverview();
    }
  }
  function select(kind, id) {
    var hash = kind ? '#' + kind + '=' + encodeURIComponent(id) : '';
    if (location.hash !== hash) {
      if (history.replaceState) history.replaceState(null, '', hash || location.pathname + location.search);
    }
    apply(kind, id);
  }
  function fromHash() {
    var match = /^#(module|edge)=(.*)$/.exec(location.hash);
    if (!match) return apply(null, null);
    var id;
    try { id = decodeURIComponent(match[2]); } catch (error) { return apply(null, null); }
    apply(match[1], id);
  }
  cy.on('tap', 'node', function (event) { select('module', event.target.id()); });
  cy.on('tap', 'edge', function (event) { select('edge', event.target.id()); });
  cy.on('tap', function (event) { if (event.target === cy) select(null, null); });
  window.addEventListener('hashchange', fromHash);

  // ---- Search: typing highlights the modules whose name contains the text; Enter selects one.
  var search = document.getElementById('search');
  var names = document.getElementById('module-names');
  model.modules.forEach(function (m) { names.appendChild(el('option', { 'value': m.name })); });
  function matches(text) {
    var q = text.trim().toLowerCase();
    if (!q) return [];
    return model.modules.filter(function (m) { return m.name.toLowerCase().indexOf(q) >= 0; });
  }
  search.addEventListener('input', function () {
    var found = matches(search.value);
    cy.nodes().removeClass('match');
    if (!search.value.trim()) { cy.elements().removeClass('faded'); return; }
    cy.elements().addClass('faded');
    found.forEach(function (m) { cy.$id(m.name).removeClass('faded').addClass('match'); });
  });
  search.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') { search.value = ''; select(null, null); return; }
    if (event.key !== 'Enter') return;
    var q = search.value.trim().toLowerCase();
    var found = matches(q);
    var exact = found.filter(function (m) { return m.name.toLowerCase() === q; })[0] || found[0];
    if (!exact) return;
    select('module', exact.name);
    cy.animate({ center: { eles: cy.$id(exact.name) } }, { duration: 200 });
  });

  // ---- Header summary.
  var violations = 0, debt = 0;
  model.modules.forEach(function (m) { violations += m.violations.length; debt += m.debt.length; });
  document.getElementById('summary').textContent = plural(model.modules.length, 'module') + ' \u00b7 ' +
    plural(model.edges.length, 'edge') + ' \u00b7 ' + plural(violations, 'open violation') + ' \u00b7 ' + debt + ' known debt';

  fromHash();
  document.body.setAttribute('data-ready', 'true');
})();
`;
