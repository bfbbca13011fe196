// The National Data Map at a glance (issue 19): where data lives, as a zoomable treemap
// (category → agency → dataset; layout by npm d3-hierarchy, drawn as links so a click, Enter or
// a middle click all work), and how it connects, as a relation graph of categories or agencies
// (cytoscape). Everything comes from one action, datamap_overview (levels, relations, term), and
// every number drawn is also in a table. The state (view, category, agency, measures, term) is
// in the URL, so back/forward work and a view can be shared. Text is always set as text.
(function () {
  "use strict";
  var box = document.getElementById("treemap");
  if (!box || !window.d3 || typeof d3.treemap !== "function") return;
  var lang = box.getAttribute("data-lang") === "en" ? "en" : "ko";
  function T(ko, en) { return lang === "en" ? en : ko; }
  var statusEl = document.getElementById("glance-status");
  function status(text) { statusEl.textContent = text; }
  // One formatter for every number drawn: toLocaleString builds a new one per call, which cost
  // a quarter of a second for a category's few hundred agencies.
  var numberFormat = new Intl.NumberFormat(lang === "en" ? "en-US" : "ko-KR");
  function fmt(n) { return numberFormat.format(Number(n || 0)); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // ---- the action, cached per query (the server caches the glance itself)
  var answers = {};
  function overview(params) {
    var query = new URLSearchParams(params).toString();
    if (!answers[query])
      answers[query] = window.datamapAction("datamap_overview", params).catch(function (e) {
        delete answers[query];  // a failure is not cached: the next render asks again
        throw e;
      });
    return answers[query];
  }
  var action = window.datamapAction;

  // ---- state in the URL
  var keys = ["view", "category", "agency", "dataset", "size", "colour", "level", "term"];
  function readState() {
    var p = new URLSearchParams(window.location.search);
    var s = {};
    keys.forEach(function (k) { s[k] = p.get(k) || ""; });
    if (s.view !== "relations") s.view = "tree";
    if (["datasets", "downloads", "views"].indexOf(s.size) < 0) s.size = "datasets";
    if (!colourMeasures[s.colour]) s.colour = "api";
    if (s.level !== "agency") s.level = "category";
    return s;
  }
  function stateUrl(s) {
    var p = new URLSearchParams(window.location.search);
    keys.forEach(function (k) { p.delete(k); });
    var defaults = { view: "tree", size: "datasets", colour: "api", level: "category" };
    keys.forEach(function (k) { if (s[k] && s[k] !== defaults[k]) p.set(k, s[k]); });
    var q = p.toString();
    return "/map" + (q ? "?" + q : "");
  }
  function go(changes, replace) {
    var s = Object.assign({}, state, changes);
    history[replace ? "replaceState" : "pushState"](null, "", stateUrl(s));
    state = s;
    return render();
  }
  window.addEventListener("popstate", function () { state = readState(); render(); });

  // ---- measures: names come with every answer (result.measures)
  var slot = {};
  function share(m, names, of) {
    var total = m[slot[of || "datasets"]] || 0;
    if (!total) return null;
    var sum = 0;
    names.forEach(function (n) { sum += m[slot[n]] || 0; });
    return sum / total;
  }
  var colourMeasures = {
    api: { label: T("오픈API 비율", "Open API share"), of: function (m) { return share(m, ["type_api"]); } },
    standard: { label: T("표준데이터 비율", "Standard data share"), of: function (m) { return share(m, ["type_standard"]); } },
    priority: { label: T("국가중점 비율", "National priority share"), of: function (m) { return share(m, ["national_priority"]); } },
    quality: { label: T("품질 우수·양호 비율", "Quality excellent or good"), of: function (m) { return share(m, ["rating_excellent", "rating_good"]); } },
    fresh: { label: T("3년 안에 수정된 비율", "Updated within 3 years"), of: function (m) { return share(m, ["fresh_year", "fresh_three_years"]); } }
  };
  // Five steps, light to dark; text on each step passes 4.5:1 (dark ink on the light three,
  // white on the dark two). Each box also prints its share, so colour is never the only cue.
  var steps = [
    { fill: "#eef3fa", ink: "#1b2230" }, { fill: "#c6d8f0", ink: "#1b2230" }, { fill: "#8db3e2", ink: "#1b2230" },
    { fill: "#2f6db8", ink: "#ffffff" }, { fill: "#0b3d82", ink: "#ffffff" }
  ];
  // The steps span the shares of the boxes shown (lowest to highest), so differences between
  // them are visible even when every share is small; the legend prints each step's range.
  var range = { lo: 0, hi: 1 };
  function setRange(items) {
    var vs = items.map(function (d) { return colourMeasures[state.colour].of(d.m); }).filter(function (v) { return v != null; });
    range.lo = vs.length ? Math.min.apply(null, vs) : 0;
    range.hi = vs.length ? Math.max.apply(null, vs) : 1;
    if (range.hi - range.lo < 0.01) range.hi = range.lo + 0.01;
  }
  function step(v) { return v == null ? -1 : Math.max(0, Math.min(4, Math.floor((v - range.lo) / (range.hi - range.lo) * 5))); }
  function bound(i) { return range.lo + (range.hi - range.lo) * i / 5; }
  function pct(v) { return v == null ? "–" : Math.round(v * 100) + "%"; }

  var state = readState();

  // ---- the treemap
  var crumbs = document.querySelector("#glance-crumbs ol");
  var legend = document.getElementById("glance-legend");
  var table = document.getElementById("glance-table");
  var tip = el("div", "glance-tip");
  tip.setAttribute("role", "tooltip");
  tip.id = "glance-tip";
  tip.hidden = true;
  document.body.appendChild(tip);

  function bare(key, prefix) { return key.indexOf(prefix) === 0 ? key.slice(prefix.length) : key; }

  // The boxes of the current level: {key, label, m, href, drill: state change or null}.
  function levelItems(result) {
    if (!state.category) {
      return result.categories.map(function (c) {
        var name = bare(c.key, "category:");
        return { key: c.key, label: c.label || T("미분류", "No category"), m: c.m, demand: c.demand,
          href: stateUrl(Object.assign({}, state, { category: name, agency: "", dataset: "" })), drill: { category: name, agency: "", dataset: "" } };
      });
    }
    var cat = result.categories[0];
    if (!state.agency) {
      return (cat ? cat.agencies : []).map(function (a) {
        var name = bare(a.key, "agency:");
        return { key: a.key, label: a.label || T("기관 없음", "No agency"), m: a.m, demand: a.demand,
          href: stateUrl(Object.assign({}, state, { agency: name, dataset: "" })), drill: { agency: name, dataset: "" } };
      });
    }
    var ag = cat && cat.agencies[0];
    var items = (ag ? ag.datasets : []).map(function (d) {
      return { key: d.name, label: d.title || d.name, m: d.m, href: "/dataset/" + encodeURIComponent(d.name), drill: null };
    });
    if (ag && ag.others) items.push({ key: "", label: T("나머지 ", "Others: ") + fmt(ag.datasets_total - ag.datasets.length) + T("건", " datasets"), m: ag.others, href: null, drill: null });
    return items;
  }

  function levelQuery() {
    if (!state.category) return { levels: "category" };
    if (!state.agency) return { levels: "category,agency", category: state.category };
    return { levels: "category,agency,dataset", category: state.category, agency: state.agency, limit: 300 };
  }

  function drawCrumbs(result) {
    crumbs.textContent = "";
    var trail = [{ label: T("전체", "Everything"), change: { category: "", agency: "", dataset: "" } }];
    var cat = result.categories[0];
    if (state.category) trail.push({ label: cat ? cat.label : state.category, change: { agency: "", dataset: "" } });
    if (state.agency) trail.push({ label: cat && cat.agencies[0] ? cat.agencies[0].label : state.agency, change: {} });
    trail.forEach(function (c, i) {
      var li = el("li");
      if (i === trail.length - 1) {
        li.appendChild(el("span", null, c.label)).setAttribute("aria-current", "location");
      } else {
        var a = el("a", null, c.label);
        a.href = stateUrl(Object.assign({}, state, c.change));
        a.addEventListener("click", function (e) { e.preventDefault(); go(c.change); });
        li.appendChild(a);
      }
      crumbs.appendChild(li);
    });
  }

  function drawLegend() {
    legend.textContent = "";
    var demandKey = el("span", "legend-step legend-demand");
    demandKey.appendChild(el("span", "tm-demand", T("신청 N", "Requests N")));
    demandKey.appendChild(document.createTextNode(" " + T("답을 기다리는 제공신청 수", "open data requests still unanswered")));
    legend.appendChild(el("span", "legend-title", colourMeasures[state.colour].label + ":"));
    steps.forEach(function (s, i) {
      var item = el("span", "legend-step");
      var sw = el("span", "legend-swatch");
      sw.style.background = s.fill;
      sw.setAttribute("aria-hidden", "true");
      item.appendChild(sw);
      item.appendChild(document.createTextNode(pct(bound(i)) + "–" + pct(bound(i + 1))));
      legend.appendChild(item);
    });
    legend.appendChild(demandKey);
  }

  function describe(item) {
    var m = item.m;
    return item.label + " — " + T("데이터 ", "datasets ") + fmt(m[slot.datasets]) + ", " + T("다운로드 ", "downloads ") +
      fmt(m[slot.downloads]) + ", " + T("조회수 ", "views ") + fmt(m[slot.views]) + ", " +
      colourMeasures[state.colour].label + " " + pct(colourMeasures[state.colour].of(m)) + demandText(item);
  }

  // Unmet demand (open data requests without an answering dataset, and their votes), marked on
  // the boxes that have any, in words: the marker is read as part of the box's name.
  function demandText(item) {
    var d = item.demand;
    if (!d || !d.requests) return "";
    return ", " + T("답을 기다리는 제공신청 ", "open data requests ") + fmt(d.requests) + T("건 (공감 ", " (votes ") + fmt(d.votes) + ")";
  }

  function showTip(cell, item) {
    tip.textContent = describe(item);
    tip.hidden = false;
    var r = cell.getBoundingClientRect();
    var top = window.scrollY + r.bottom + 4;
    var left = Math.max(4, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 4));
    tip.style.top = top + "px";
    tip.style.left = left + "px";
  }
  function hideTip() { tip.hidden = true; }

  // The measure the boxes are sized by: the chosen one, or the dataset count where none of the
  // boxes shown has any of it (the 2022 list records views but no downloads), so the map never
  // goes blank; the status line says so.
  function sizeMeasure(items) {
    var chosen = slot[state.size];
    return items.some(function (d) { return (d.m[chosen] || 0) > 0; }) ? state.size : "datasets";
  }

  function drawTreemap(items) {
    box.textContent = "";
    var width = box.clientWidth, height = box.clientHeight;
    var sizeSlot = slot[sizeMeasure(items)];
    var sized = items.filter(function (d) { return (d.m[sizeSlot] || 0) > 0; });
    var root = d3.hierarchy({ children: sized }).sum(function (d) { return d.m ? d.m[sizeSlot] || 0 : 0; })
      .sort(function (a, b) { return b.value - a.value; });
    d3.treemap().tile(d3.treemapSquarify).size([width, height]).paddingInner(2).round(true)(root);
    var cells = [];
    root.leaves().forEach(function (leaf) {
      var item = leaf.data;
      var cell = el(item.href ? "a" : "div", "tm-cell");
      if (item.href) cell.href = item.href;
      var v = colourMeasures[state.colour].of(item.m);
      var s = steps[Math.max(0, step(v))];
      cell.style.left = leaf.x0 + "px";
      cell.style.top = leaf.y0 + "px";
      cell.style.width = Math.max(0, leaf.x1 - leaf.x0) + "px";
      cell.style.height = Math.max(0, leaf.y1 - leaf.y0) + "px";
      cell.style.background = s.fill;
      cell.style.color = s.ink;
      cell.setAttribute("data-key", item.key);
      cell.setAttribute("data-value", String(leaf.value));
      cell.tabIndex = -1;
      // The visible name and figures are the start of the box's accessible name (WCAG 2.5.3);
      // the full description follows for screen readers, and shows on hover and focus.
      var label = el("span", "tm-label");
      label.appendChild(el("span", "tm-name", item.label));
      label.appendChild(el("span", "tm-value", fmt(leaf.value) + " · " + pct(v)));
      cell.appendChild(label);
      if (item.demand && item.demand.requests) {
        var mark = el("span", "tm-demand", T("신청 ", "Requests ") + fmt(item.demand.requests));
        mark.setAttribute("aria-hidden", "true");  // the description below says it in full
        cell.appendChild(mark);
      }
      cell.appendChild(el("span", "visually-hidden", " " + describe(item)));
      cell.addEventListener("mouseenter", function () { showTip(cell, item); });
      cell.addEventListener("mouseleave", hideTip);
      cell.addEventListener("focus", function () { showTip(cell, item); focused = cell; });
      cell.addEventListener("blur", hideTip);
      if (item.drill) cell.addEventListener("click", function (e) {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        hideTip();
        go(item.drill).then(function () { var first = box.querySelector(".tm-cell[tabindex='0']"); if (first) first.focus(); });
      });
      box.appendChild(cell);
      cells.push(cell);
    });
    // Labels only where they fit: a name wider or taller than its box is hidden (the box keeps
    // its full name for hover, focus and screen readers), so no two visible labels overlap.
    // Every box is measured before any label is hidden: one layout for all of them, not one per
    // box (hundreds of agencies made that seconds).
    var fits = cells.map(function (cell) {
      var label = cell.querySelector(".tm-label");
      var name = label.firstChild, value = label.lastChild;
      var w = cell.clientWidth - 8, h = cell.clientHeight - 4;
      if (name.scrollWidth > w || name.offsetHeight > h) return label;
      if (value.scrollWidth > w || name.offsetHeight + value.offsetHeight > h) return value;
      return null;
    });
    fits.forEach(function (hide) { if (hide) hide.classList.add("tm-hidden"); });
    // Keyboard focus starts on the searched-for dataset, else on the largest box one can open.
    var start = (state.dataset && box.querySelector('.tm-cell[data-key="' + CSS.escape(state.dataset) + '"]')) ||
      box.querySelector(".tm-cell[href]") || cells[0];
    if (start) {
      start.tabIndex = 0;
      if (state.dataset && start.getAttribute("data-key") === state.dataset) start.classList.add("tm-found");
    }
    focused = start || null;
    box.setAttribute("data-cell-count", String(cells.length));
    return cells.length;
  }

  // Arrow keys move to the nearest box in that direction; Backspace or Escape goes up a level.
  var focused = null;
  box.addEventListener("keydown", function (e) {
    var cur = document.activeElement;
    if (!cur || !cur.classList || !cur.classList.contains("tm-cell")) return;
    if (e.key === "Backspace" || e.key === "Escape") {
      e.preventDefault();
      if (state.agency) go({ agency: "", dataset: "" }); else if (state.category) go({ category: "", dataset: "" });
      return;
    }
    if (e.key === " " && cur.tagName === "A") { e.preventDefault(); cur.click(); return; }
    var dir = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key];
    if (!dir) return;
    e.preventDefault();
    var r = cur.getBoundingClientRect();
    var cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    var best = null, bestScore = Infinity;
    box.querySelectorAll(".tm-cell").forEach(function (c) {
      if (c === cur) return;
      var q = c.getBoundingClientRect();
      var dx = q.left + q.width / 2 - cx, dy = q.top + q.height / 2 - cy;
      var along = dx * dir[0] + dy * dir[1];
      if (along <= 0) return;
      var across = Math.abs(dx * dir[1]) + Math.abs(dy * dir[0]);
      var score = along + 2 * across;
      if (score < bestScore) { bestScore = score; best = c; }
    });
    if (best) {
      cur.tabIndex = -1;
      best.tabIndex = 0;
      best.focus();
    }
  });

  function drawTable(items) {
    table.textContent = "";
    var caption = el("caption", null, T("지금 보이는 칸: ", "The boxes shown: ") + crumbs.textContent.replace(/\s+/g, " "));
    caption.id = "glance-table-cap";
    table.appendChild(caption);
    var head = el("tr");
    [T("이름", "Name"), T("데이터", "Datasets"), T("다운로드", "Downloads"), T("조회수", "Views"),
      colourMeasures[state.colour].label, T("파일 / API / 표준", "File / API / standard"),
      T("품질 우수 / 양호 / 보통 / 미흡", "Quality excellent / good / sufficient / poor"),
      T("수정 1년 / 3년 / 그 전 / 모름", "Updated ≤1 y / ≤3 y / older / unknown")].forEach(function (h) {
      var th = el("th", null, h);
      th.scope = "col";
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el("tbody");
    items.forEach(function (item) {
      var m = item.m;
      var tr = el("tr");
      var name = el("th");
      name.scope = "row";
      if (item.href) {
        var a = el("a", null, item.label);
        a.href = item.href;
        if (item.drill) a.addEventListener("click", function (e) { e.preventDefault(); go(item.drill); });
        name.appendChild(a);
      } else {
        name.textContent = item.label;
      }
      tr.appendChild(name);
      function cell(text) { tr.appendChild(el("td", "num", text)); }
      cell(fmt(m[slot.datasets]));
      cell(fmt(m[slot.downloads]));
      cell(fmt(m[slot.views]));
      cell(pct(colourMeasures[state.colour].of(m)));
      cell([m[slot.type_file], m[slot.type_api], m[slot.type_standard]].map(fmt).join(" / "));
      cell([m[slot.rating_excellent], m[slot.rating_good], m[slot.rating_sufficient], m[slot.rating_bad]].map(fmt).join(" / "));
      cell([m[slot.fresh_year], m[slot.fresh_three_years], m[slot.fresh_older], m[slot.fresh_unknown]].map(fmt).join(" / "));
      body.appendChild(tr);
    });
    table.appendChild(body);
  }

  var lastItems = null;
  // Renders of one view in turn: each start() returns a check that stays true only while no
  // newer render of that view has started, so a slow earlier answer never draws over the one
  // the URL now names.
  function turns() {
    var latest = 0;
    return function start() {
      var mine = ++latest;
      return function current() { return mine === latest; };
    };
  }
  var treeTurn = turns();
  function renderTree() {
    var current = treeTurn();
    status(T("지도를 불러오는 중…", "Loading the map…"));
    // data-cell-count says the boxes shown are the URL's level; until they are, it is absent.
    box.removeAttribute("data-cell-count");
    box.setAttribute("aria-busy", "true");
    return overview(levelQuery()).then(function (result) {
      if (!current()) return;
      result.measures.forEach(function (n, i) { slot[n] = i; });
      if (state.category && !result.categories.length) throw new Error(T("없는 분류입니다", "no such category"));
      var items = levelItems(result);
      lastItems = items;
      drawCrumbs(result);
      setRange(items);
      drawLegend();
      var n = drawTreemap(items);
      drawTable(items);
      var where = state.agency ? T("데이터", "datasets") : state.category ? T("기관", "agencies") : T("분류", "categories");
      var sizeName = function (v) { return sizeSel.querySelector('option[value="' + v + '"]').textContent; };
      var by = sizeMeasure(items);
      status(T(where + " " + fmt(n) + "개를 넓이는 " + sizeName(by) + "로 그렸습니다.",
        fmt(n) + " " + where + " drawn, area by " + sizeName(by).toLowerCase() + ".") +
        (by !== state.size ? T(" 여기에는 " + sizeName(state.size) + " 기록이 없습니다.", " No " + sizeName(state.size).toLowerCase() + " are recorded here.") : ""));
    }).catch(function (e) {
      if (current()) status(T("지도를 그릴 수 없습니다: ", "The map could not be drawn: ") + e.message);
    }).then(function () { if (current()) box.removeAttribute("aria-busy"); });
  }

  // ---- the graph library and map.js, loaded after the first render (map_page.cpp)
  var later = (box.getAttribute("data-later-scripts") || "").split(" ").filter(Boolean);
  var laterLoaded = null;
  function loadLater() {
    if (!laterLoaded)
      laterLoaded = later.reduce(function (done, src) {
        return done.then(function () {
          return new Promise(function (resolve, reject) {
            var s = document.createElement("script");
            s.src = src;
            s.onload = resolve;
            s.onerror = function () { reject(new Error(src)); };
            document.body.appendChild(s);
          });
        });
      }, Promise.resolve());
    return laterLoaded;
  }

  // ---- the relation view
  var relBox = document.getElementById("relations");
  var relTable = document.getElementById("rel-table");
  var carriersEl = document.getElementById("rel-carriers");
  var cy = null;
  function relGraph() {
    if (cy || typeof cytoscape !== "function") return cy;
    cy = cytoscape({
      container: relBox, minZoom: 0.2, maxZoom: 3, wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: { "background-color": "#0b4ea2", "label": "data(label)", "font-size": 12,
            "color": "#1b2230", "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "ellipsis", "text-max-width": 110,
            "font-family": "NanumGothic, Noto Sans KR, sans-serif", "width": "data(size)", "height": "data(size)",
            "text-background-color": "#fff", "text-background-opacity": 0.85, "text-background-padding": 2, "min-zoomed-font-size": 8 } },
        { selector: "edge", style: { "width": "data(width)", "line-color": "#8aa0bf", "opacity": 0.55, "curve-style": "bezier",
            "label": "data(label)", "font-size": 10, "color": "#1b2230", "text-rotation": "autorotate",
            "text-background-color": "#fff", "text-background-opacity": 0.9, "text-background-padding": 1, "min-zoomed-font-size": 9 } },
        { selector: "node.carrier", style: { "background-color": "#b3261e", "border-width": 5, "border-color": "#1b2230", "shape": "star" } },
        { selector: "node.faded", style: { "opacity": 0.35 } },
        { selector: "edge.minor", style: { "opacity": 0.14 } },
        { selector: "edge.on-term", style: { "line-color": "#b3261e", "opacity": 0.8 } },
        { selector: "edge.faded", style: { "opacity": 0.08, "label": "" } }
      ]
    });
    window.datamapRelations = cy;  // handy for tests and curious developers
    cy.on("tap", "node", function (e) {
      var key = e.target.id();
      if (key.indexOf("category:") === 0) go({ view: "tree", category: bare(key, "category:"), agency: "", dataset: "" });
      else if (key.indexOf("agency:") === 0)
        loadIndex().then(function (ix) {
          var ag = ix.agencies.filter(function (a) { return a.key === key; })[0];
          var category = state.category || (ag && ag.categories[0] ? bare(ag.categories[0], "category:") : "");
          go({ view: "tree", category: category, agency: bare(key, "agency:"), dataset: "" });
        });
    });
    return cy;
  }

  function termLabel(e) {
    var names = e.terms.slice(0, 2).map(function (t) { return t.name; });
    e.joins.slice(0, 1).forEach(function (j) { names.unshift(j.name + T(" (결합)", " (join)")); });
    return names.join(", ");
  }

  function relQuery() {
    var q = { relations: state.level, terms: 3000 };
    if (state.level === "agency" && state.category) q.category = state.category;
    return q;
  }

  function drawRelTable(result, labels) {
    relTable.textContent = "";
    var caption = el("caption", null, T("연결: 선의 두 끝, 이어진 데이터 쌍, 이어 주는 표준용어와 결합 열", "Links: both ends, linked dataset pairs, the standard terms and join columns linking them"));
    caption.id = "rel-table-cap";
    relTable.appendChild(caption);
    var head = el("tr");
    [T("한쪽", "One end"), T("다른 쪽", "Other end"), T("데이터 쌍", "Dataset pairs"), T("표준용어 (쌍)", "Standard terms (pairs)"), T("측정된 결합 (쌍)", "Measured joins (pairs)")].forEach(function (h) {
      var th = el("th", null, h);
      th.scope = "col";
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    relTable.appendChild(thead);
    var body = el("tbody");
    result.relations.edges.forEach(function (e) {
      var tr = el("tr");
      tr.setAttribute("data-source", e.source);
      tr.setAttribute("data-target", e.target);
      tr.appendChild(el("td", null, labels[e.source] || e.source));
      tr.appendChild(el("td", null, labels[e.target] || e.target));
      tr.appendChild(el("td", "num", fmt(e.pairs)));
      tr.appendChild(el("td", "rel-terms", e.terms.map(function (t) { return t.name + " (" + fmt(t.pairs) + ")"; }).join(", ")));
      tr.appendChild(el("td", null, e.joins.map(function (j) { return j.name + " (" + fmt(j.pairs) + ")"; }).join(", ")));
      body.appendChild(tr);
    });
    relTable.appendChild(body);
  }

  function drawCarriers(term) {
    carriersEl.textContent = "";
    if (!term) return;
    var h = el("h3", null, T("‘" + term.name + "’을(를) 가진 데이터: " + fmt(term.datasets) + "건",
      "Datasets carrying ‘" + term.name + "’: " + fmt(term.datasets)));
    carriersEl.appendChild(h);
    [["categories", T("분류", "Categories")], ["agencies", T("기관", "Agencies")]].forEach(function (kind) {
      var list = term[kind[0]];
      carriersEl.appendChild(el("h4", null, kind[1] + " " + fmt(list.length) + T("곳", "")));
      var ul = el("ul", "carrier-list carrier-" + kind[0]);
      list.forEach(function (c) {
        var li = el("li", null, c.label + " (" + fmt(c.datasets) + ")");
        li.setAttribute("data-key", c.key);
        ul.appendChild(li);
      });
      carriersEl.appendChild(ul);
    });
  }

  function renderRelations() {
    status(T("관계를 불러오는 중…", "Loading the relations…"));
    return loadLater().then(drawRelations, function (e) {
      status(T("관계를 그릴 수 없습니다: ", "The relations could not be drawn: ") + e.message);
    });
  }
  // As with the tree: the newest render wins (turns), and data-node-count is absent while it loads.
  var relTurn = turns();
  function drawRelations() {
    var current = relTurn();
    var graph = relGraph();
    relBox.removeAttribute("data-node-count");
    var termAnswer = state.term ? overview({ term: state.term }) : Promise.resolve(null);
    return Promise.all([overview(relQuery()), termAnswer]).then(function (answers) {
      if (!current()) return;
      var result = answers[0], term = answers[1] && answers[1].term;
      var terms = document.getElementById("rel-terms");
      if (!terms.childNodes.length) (result.terms || []).forEach(function (t) {
        var o = el("option");
        o.value = t.name;
        terms.appendChild(o);
      });
      var labels = {};
      result.relations.nodes.forEach(function (n) { labels[n.key] = n.label; });
      var carriers = {};
      if (term) term.categories.concat(term.agencies).forEach(function (c) { carriers[c.key] = true; });
      drawRelTable(result, labels);
      drawCarriers(term);
      if (graph) {
        graph.elements().remove();
        var max = 1, maxPairs = 1;
        result.relations.nodes.forEach(function (n) { max = Math.max(max, n.datasets); });
        result.relations.edges.forEach(function (e) { maxPairs = Math.max(maxPairs, e.pairs); });
        var els = result.relations.nodes.map(function (n) {
          return { group: "nodes", data: { id: n.key, label: (carriers[n.key] ? "★ " : "") + n.label, size: 12 + 40 * Math.sqrt(n.datasets / max) } };
        });
        // Each node's three strongest links are drawn in full and the strongest dozen labelled
        // with their terms; the rest stay faint (nearly every category shares some term with
        // every other), and every link is named in the table.
        var ranked = result.relations.edges.slice().sort(function (a, b) { return b.pairs - a.pairs; });
        var labelled = {}, major = {}, perNode = {};
        ranked.slice(0, 12).forEach(function (e) { labelled[e.source + "|" + e.target] = true; });
        ranked.forEach(function (e) {
          [e.source, e.target].forEach(function (n) {
            perNode[n] = (perNode[n] || 0) + 1;
            if (perNode[n] <= 3) major[e.source + "|" + e.target] = true;
          });
        });
        result.relations.edges.forEach(function (e, i) {
          els.push({ group: "edges", data: { id: "r" + i, source: e.source, target: e.target, pairs: e.pairs,
            terms: e.terms.map(function (t) { return t.name; }), label: labelled[e.source + "|" + e.target] ? termLabel(e) : "",
            width: 1 + 9 * Math.log(1 + e.pairs) / Math.log(1 + maxPairs) } });
        });
        graph.add(els);
        graph.edges().forEach(function (e) { if (!major[e.data("source") + "|" + e.data("target")]) e.addClass("minor"); });
        if (term) {
          graph.nodes().forEach(function (n) { n.addClass(carriers[n.id()] ? "carrier" : "faded"); });
          // Both ends carry the term: their datasets pair up through it.
          graph.edges().forEach(function (e) { e.addClass(carriers[e.data("source")] && carriers[e.data("target")] ? "on-term" : "faded"); });
        }
        graph.resize();
        // Largest first around a circle: every label has its own place, and the layout is the
        // same on every visit.
        // The circle is sized to the canvas so the drawing is shown at about its own scale and
        // the 12 px labels stay readable (a circle sized by the nodes alone was zoomed out to
        // fit, shrinking the names to 7 px).
        graph.layout({ name: result.relations.nodes.length <= 24 ? "circle" : "concentric", animate: false,
          radius: Math.max(100, Math.min(relBox.clientWidth, relBox.clientHeight) / 2 - 60),
          sort: function (a, b) { return b.data("size") - a.data("size"); },
          concentric: function (n) { return n.data("size"); }, levelWidth: function () { return 12; },
          minNodeSpacing: 12, avoidOverlap: true }).run();
        graph.fit(undefined, 30);
        relBox.setAttribute("data-node-count", String(graph.nodes().length));
      }
      status(T("연결 " + fmt(result.relations.edges.length) + "개를 그렸습니다.", fmt(result.relations.edges.length) + " links drawn.") +
        (term ? T(" ‘" + term.name + "’을(를) 가진 곳을 강조했습니다.", " Those carrying ‘" + term.name + "’ are starred.") : ""));
    }).catch(function (e) {
      if (current()) status(T("관계를 그릴 수 없습니다: ", "The relations could not be drawn: ") + e.message);
    });
  }

  // ---- controls
  var sizeSel = document.getElementById("glance-size");
  var colourSel = document.getElementById("glance-colour");
  var levelSel = document.getElementById("rel-level");
  var termInput = document.getElementById("rel-term");
  sizeSel.addEventListener("change", function () { go({ size: sizeSel.value }); });
  colourSel.addEventListener("change", function () { go({ colour: colourSel.value }); });
  levelSel.addEventListener("change", function () { go({ level: levelSel.value }); });
  document.getElementById("rel-term-form").addEventListener("submit", function (e) {
    e.preventDefault();
    go({ term: termInput.value.trim() });
  });
  document.getElementById("rel-term-clear").addEventListener("click", function () { termInput.value = ""; go({ term: "" }); });
  var tabs = document.querySelectorAll(".glance-tabs button");
  tabs.forEach(function (b) { b.addEventListener("click", function () { go({ view: b.getAttribute("data-view") }); }); });

  // ---- search into the map: a category, an agency, a standard term or a dataset
  var findInput = document.getElementById("glance-q");
  var suggest = document.getElementById("glance-suggest");
  var index = null;
  function loadIndex() {
    if (!index)
      index = Promise.all([overview({ levels: "agency" }), overview({ levels: "category" }), overview({ terms: 5000 })])
        .then(function (r) { return { agencies: r[0].agencies, categories: r[1].categories, terms: r[2].terms }; });
    return index;
  }
  var timer = null;
  findInput.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = findInput.value.trim();
      if (!q) return;
      Promise.all([loadIndex(), action("package_autocomplete", { q: q, limit: 6 }).catch(function () { return []; })]).then(function (r) {
        suggest.textContent = "";
        var seen = {};
        function add(v) { if (seen[v] || Object.keys(seen).length >= 15) return; seen[v] = true; var o = el("option"); o.value = v; suggest.appendChild(o); }
        r[0].categories.concat(r[0].agencies).forEach(function (x) { if (x.label && x.label.indexOf(q) >= 0) add(x.label); });
        r[0].terms.forEach(function (t) { if (t.name.indexOf(q) >= 0) add(t.name); });
        (r[1] || []).forEach(function (d) { add(d.title); });
      });
    }, 150);
  });
  document.getElementById("glance-find").addEventListener("submit", function (e) {
    e.preventDefault();
    var q = findInput.value.trim();
    if (!q) return;
    loadIndex().then(function (ix) {
      var cat = ix.categories.filter(function (c) { return c.label === q || bare(c.key, "category:") === q; })[0];
      if (cat) return go({ view: "tree", category: bare(cat.key, "category:"), agency: "", dataset: "" });
      var ag = ix.agencies.filter(function (a) { return a.label === q || bare(a.key, "agency:") === q; })[0];
      if (ag) return go({ view: "tree", category: bare(ag.categories[0] || "", "category:"), agency: bare(ag.key, "agency:"), dataset: "" });
      var term = ix.terms.filter(function (t) { return t.name === q; })[0];
      if (term) return go({ view: "relations", term: term.name });
      return action("package_autocomplete", { q: q, limit: 1 }).then(function (items) {
        if (!items || !items.length) throw new Error(T("찾는 항목이 없습니다", "nothing by that name"));
        return action("package_show", { id: items[0].name });
      }).then(function (pkg) {
        var group = pkg.groups && pkg.groups[0] ? pkg.groups[0].name : "";
        var org = pkg.organization ? pkg.organization.name : "";
        return go({ view: "tree", category: group, agency: org, dataset: pkg.name });
      });
    }).catch(function (err) { status(T("찾지 못했습니다: ", "Not found: ") + err.message); });
  });

  // ---- one render for the whole state
  function render() {
    sizeSel.value = state.size;
    colourSel.value = state.colour;
    levelSel.value = state.level;
    termInput.value = state.term;
    tabs.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-view") === state.view)); });
    document.getElementById("view-tree").hidden = state.view !== "tree";
    document.getElementById("view-relations").hidden = state.view !== "relations";
    hideTip();
    return state.view === "tree" ? renderTree() : renderRelations();
  }
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      if (state.view === "tree" && lastItems && !box.hasAttribute("aria-busy")) drawTreemap(lastItems);
    }, 150);
  });
  window.datamapGlance = { state: function () { return state; }, go: go };
  // The first render is marked for the Performance API (bench/glance_render.mjs reads it: its
  // startTime is the time from navigation start to the boxes being in the page).
  render().then(function () {
    if (window.performance && performance.mark) performance.mark("glance-first-render");
    setTimeout(loadLater, 0);
  });
})();
