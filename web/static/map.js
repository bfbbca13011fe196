// The National Data Map page, dataset by dataset (the overview is glance.js): draws the map
// actions' answers with cytoscape (Canvas 2D, so it
// works without a GPU) and mirrors every drawn node in a list of buttons, so the map can be used
// with a keyboard and a screen reader. All data comes from /api/3/action/datamap_* and
// package_autocomplete; every label is set as text (never as HTML).
(function () {
  "use strict";
  var container = document.getElementById("map");
  if (!container || typeof cytoscape !== "function") return;
  var lang = container.getAttribute("data-lang") === "en" ? "en" : "ko";
  function T(ko, en) { return lang === "en" ? en : ko; }
  var statusEl = document.getElementById("map-status");
  var itemsEl = document.getElementById("map-items");
  var pathEl = document.getElementById("map-path-result");
  var suggestEl = document.getElementById("map-suggest");

  function status(text) { statusEl.textContent = text; }

  var api = window.datamapAction;  // action.js, loaded with the page

  var colours = { category: "#0b4ea2", agency: "#1d7a46", dataset: "#b3261e", keyword: "#a35a00", term: "#5b2370" };
  var cy = cytoscape({
    container: container,
    minZoom: 0.1,
    maxZoom: 4,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
          "background-color": function (n) { return colours[n.data("type")] || "#4f5868"; },
          "label": "data(label)", "font-size": 11, "color": "#1b2230", "text-valign": "bottom",
          "text-margin-y": 4, "text-wrap": "ellipsis", "text-max-width": 120,
          "font-family": "NanumGothic, Noto Sans KR, sans-serif",
          "width": "data(size)", "height": "data(size)", "text-background-color": "#fff",
          "text-background-opacity": 0.7, "text-background-padding": 1,
          "min-zoomed-font-size": 7 } },
      { selector: "node.focus", style: { "border-width": 5, "border-color": "#ffb000" } },
      { selector: "node.on-path", style: { "border-width": 4, "border-color": "#ffb000" } },
      { selector: "edge", style: { "width": "data(width)", "line-color": "#9fb3cf", "opacity": 0.6, "curve-style": "haystack" } },
      { selector: "edge.on-path", style: { "line-color": "#ffb000", "opacity": 1, "width": 5 } }
    ]
  });
  window.datamapMap = cy;  // handy for tests and for curious developers in the console

  // The graph actions name nodes and edges slightly differently per query; read both spellings.
  function nodeId(n) { return String(n.id != null ? n.id : n.name); }
  function nodeLabel(n) { return String(n.label || n.title || n.name || n.id || ""); }
  function edgeEnds(e) {
    return [String(e.source != null ? e.source : e.from), String(e.target != null ? e.target : e.to)];
  }

  function draw(nodes, edges, layoutName, focusId) {
    cy.elements().remove();
    var maxCount = 1;
    nodes.forEach(function (n) { maxCount = Math.max(maxCount, Number(n.count || 0)); });
    var present = {};
    var elements = [];
    nodes.forEach(function (n) {
      var id = nodeId(n);
      if (present[id]) return;
      present[id] = true;
      var count = Number(n.count || 0);
      var size = count > 0 ? 18 + 62 * Math.sqrt(count / maxCount) : (n.type === "dataset" ? 16 : 22);
      elements.push({ group: "nodes", data: { id: id, label: nodeLabel(n), type: n.type || "dataset",
        name: n.name || "", count: count, size: size, raw: n } });
    });
    var maxWeight = 0;
    edges.forEach(function (e) { maxWeight = Math.max(maxWeight, Number(e.weight || e.count || 1)); });
    edges.forEach(function (e, i) {
      var ends = edgeEnds(e);
      if (!present[ends[0]] || !present[ends[1]]) return;
      var w = Number(e.weight || e.count || 1);
      elements.push({ group: "edges", data: { id: "e" + i, source: ends[0], target: ends[1],
        width: 1 + 5 * (maxWeight > 0 ? w / maxWeight : 0) } });
    });
    cy.add(elements);
    var layout = layoutName === "concentric"
      ? { name: "concentric", concentric: function (n) { return n.id() === focusId ? 10 : 1; }, levelWidth: function () { return 1; }, minNodeSpacing: 24, animate: false }
      : { name: "cose", animate: false, randomize: false, nodeRepulsion: function () { return 90000; }, idealEdgeLength: function () { return 120; }, numIter: 1200 };
    cy.layout(layout).run();
    if (focusId) cy.getElementById(focusId).addClass("focus");
    cy.fit(undefined, 30);
    container.setAttribute("data-node-count", String(cy.nodes().length));
    listItems();
  }

  function typeLabel(type) {
    return { category: T("분류", "Category"), agency: T("기관", "Agency"), dataset: T("데이터", "Dataset"),
      keyword: T("키워드", "Keyword"), term: T("표준용어", "Standard term") }[type] || type;
  }

  function listItems() {
    itemsEl.textContent = "";
    cy.nodes().sort(function (a, b) { return (b.data("count") || 0) - (a.data("count") || 0); }).forEach(function (n) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      var text = typeLabel(n.data("type")) + ": " + n.data("label");
      if (n.data("count")) text += " (" + n.data("count").toLocaleString() + ")";
      button.textContent = text;
      button.addEventListener("click", function () { activate(n); });
      li.appendChild(button);
      itemsEl.appendChild(li);
    });
  }

  function activate(node) {
    var type = node.data("type");
    if (type === "dataset" && node.data("name")) {
      window.location.href = "/dataset/" + encodeURIComponent(node.data("name"));
    } else {
      showNeighbourhood(node.id(), node.data("label"));
    }
  }
  cy.on("tap", "node", function (event) { activate(event.target); });

  // The measured-only filter (joinable and near relations), mirrored in the URL as measured=1.
  var measuredEl = document.getElementById("map-measured");
  var shown = null;  // the neighbourhood drawn last: redrawn when the filter changes
  function measuredOnly() { return !!(measuredEl && measuredEl.checked); }

  function showNeighbourhood(id, label) {
    status(T("불러오는 중…", "Loading…"));
    shown = { id: id, label: label };
    var query = { id: id, depth: 1, limit: 80 };
    if (measuredOnly()) query.measured_only = true;
    return api("datamap_neighbors", query).then(function (result) {
      var nodes = result.nodes || [];
      draw(nodes, result.edges || [], "concentric", nodes.length ? nodeId(nodes[0]) : id);
      status((label || id) + T(" 주변 ", ": ") + cy.nodes().length + T("개 항목", " items around it"));
    }).catch(function (e) { status(T("찾을 수 없습니다: ", "Not found: ") + e.message); });
  }

  // Titles typed in the boxes become dataset names through package_autocomplete.
  var known = {};
  function suggest(input) {
    var q = input.value.trim();
    if (q.length < 1) return;
    api("package_autocomplete", { q: q, limit: 10 }).then(function (items) {
      suggestEl.textContent = "";
      (items || []).forEach(function (it) {
        known[it.title] = it.name;
        var option = document.createElement("option");
        option.value = it.title;
        suggestEl.appendChild(option);
      });
    }).catch(function () {});
  }
  function resolve(text) {
    text = text.trim();
    if (known[text]) return Promise.resolve(known[text]);
    return api("package_autocomplete", { q: text, limit: 1 }).then(function (items) {
      if (items && items.length) return items[0].name;
      return text;  // perhaps already a dataset name
    }, function () { return text; });
  }
  ["map-find-q", "map-path-from", "map-path-to"].forEach(function (id) {
    var input = document.getElementById(id);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { suggest(input); }, 150);
    });
  });

  document.getElementById("map-find").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = document.getElementById("map-find-q").value;
    if (!text.trim()) return;
    resolve(text).then(function (name) { return showNeighbourhood(name, text); });
  });
  if (measuredEl) measuredEl.addEventListener("change", function () {
    var url = new URL(window.location.href);
    if (measuredOnly()) url.searchParams.set("measured", "1"); else url.searchParams.delete("measured");
    if (shown) url.searchParams.set("focus", shown.id);
    history.replaceState(null, "", url.toString());
    if (shown) showNeighbourhood(shown.id, shown.label);
  });

  // Hops name datasets by key; the result's `nodes` carry their names and titles.
  var pathNodes = {};
  function hopEnd(x) {
    if (typeof x === "object" && x) return x;
    return pathNodes[x] || { id: x, name: x, title: x };
  }
  function datasetLink(d) {
    var a = document.createElement("a");
    a.href = "/dataset/" + encodeURIComponent(d.name || d.id);
    a.textContent = d.title || d.name || d.id;
    return a;
  }
  function reasonText(r) {
    var kinds = { term: T("공통표준용어", "Shared standard term"), keyword: T("공통 키워드", "Shared keyword"),
      agency: T("같은 기관", "Same agency"), category: T("같은 분류", "Same category"), explicit: T("명시된 관계", "Declared relation") };
    return (kinds[r.kind] || r.kind) + (r.value ? ": " + r.value : "");
  }

  function findPath(from, to) {
    pathEl.textContent = T("경로를 찾는 중…", "Finding the path…");
    return api("datamap_path", { from: from, to: to }).then(function (result) {
      pathEl.textContent = "";
      pathNodes = {};
      (result.nodes || []).forEach(function (n) { pathNodes[nodeId(n)] = n; });
      var heading = document.createElement("h2");
      var hops = result.hops || [];
      if (!hops.length) {
        heading.textContent = T("연결 경로가 없습니다", "No path between them");
        pathEl.appendChild(heading);
        if (result.reason || result.message) {
          var p = document.createElement("p");
          p.textContent = result.reason || result.message;
          pathEl.appendChild(p);
        }
        return;
      }
      heading.textContent = T("경로: ", "Path: ") + hops.length + T("단계", hops.length === 1 ? " hop" : " hops");
      pathEl.appendChild(heading);
      var ol = document.createElement("ol");
      var nodes = [], edges = [];
      hops.forEach(function (hop, i) {
        var a = hopEnd(hop.from), b = hopEnd(hop.to);
        var li = document.createElement("li");
        li.className = "path-hop";
        li.appendChild(datasetLink(a));
        li.appendChild(document.createTextNode(" → "));
        li.appendChild(datasetLink(b));
        var ul = document.createElement("ul");
        ul.className = "reasons";
        (hop.reasons || []).forEach(function (r) {
          var rli = document.createElement("li");
          rli.className = "reason reason-" + r.kind;
          rli.textContent = reasonText(r);
          ul.appendChild(rli);
        });
        li.appendChild(ul);
        ol.appendChild(li);
        [a, b].forEach(function (d) { nodes.push({ id: d.id || d.name, name: d.name, label: d.title || d.name, type: "dataset" }); });
        edges.push({ source: a.id || a.name, target: b.id || b.name, weight: hop.weight || 1 });
      });
      pathEl.appendChild(ol);
      // Show the titles in the boxes (a shared link carries names).
      document.getElementById("map-path-from").value = hopEnd(hops[0].from).title || from;
      document.getElementById("map-path-to").value = hopEnd(hops[hops.length - 1].to).title || to;
      draw(nodes, edges, "cose");
      cy.elements().addClass("on-path");
      status(T("경로를 그렸습니다.", "Path drawn."));
    }).catch(function (e) { pathEl.textContent = T("경로를 찾을 수 없습니다: ", "No path could be found: ") + e.message; });
  }

  document.getElementById("map-path").addEventListener("submit", function (event) {
    event.preventDefault();
    var from = document.getElementById("map-path-from").value;
    var to = document.getElementById("map-path-to").value;
    if (!from.trim() || !to.trim()) return;
    Promise.all([resolve(from), resolve(to)]).then(function (names) { findPath(names[0], names[1]); });
  });

  var params = new URLSearchParams(window.location.search);
  if (params.get("from") && params.get("to")) {
    findPath(params.get("from"), params.get("to"));  // names straight from a shared link
  } else if (params.get("focus")) {
    showNeighbourhood(params.get("focus"), params.get("focus"));
  } else if (params.get("focus_organization") || params.get("focus_groups")) {
    var key = params.get("focus_organization") ? "agency:" + params.get("focus_organization") : "category:" + params.get("focus_groups");
    showNeighbourhood(key, key);
  }
})();
