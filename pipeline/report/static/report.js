// factpipe review report. All document text is inserted with textContent; nothing from the data
// is ever parsed as HTML.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var PAGE = 50;
  var state = { sort: "label", dir: 1, page: 0, open: {} };

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "cls") e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }
  function fmt(v) { return (typeof v === "number") ? v.toLocaleString("en-US", { maximumFractionDigits: 10 }) : ""; }
  function title(src) { return DATA.titles[src] || src; }

  // tabs
  var tabs = document.querySelectorAll("nav [data-tab]");
  function show(name) {
    tabs.forEach(function (b) { b.setAttribute("aria-selected", b.dataset.tab === name ? "true" : "false"); });
    document.querySelectorAll("section.tab").forEach(function (s) { s.hidden = s.id !== name; });
    if (name === "conflicts") renderConflicts();
    if (name === "skipped") renderSkipped();
  }
  tabs.forEach(function (b) { b.addEventListener("click", function () { show(b.dataset.tab); }); });

  // a quote with the figure highlighted
  function quote(text, surface, at) {
    var q = el("div", { cls: "quote" });
    var i = (typeof at === "number" && text.substr(at, surface.length) === surface) ? at : (surface ? text.indexOf(surface) : -1);
    if (i < 0) { q.textContent = text; return q; }
    q.appendChild(document.createTextNode(text.slice(0, i)));
    q.appendChild(el("mark", { text: surface }));
    q.appendChild(document.createTextNode(text.slice(i + surface.length)));
    return q;
  }

  function observation(id, chosen) {
    var o = DATA.obs[id];
    if (!o) return el("div", { cls: "obs", text: "observation " + id + " not found" });
    var where = title(o.source) + (o.page ? " · page " + o.page : "") + " · rule " + o.rule +
      (o.flags ? " · " + o.flags : "");
    var box = el("div", { cls: "obs" + (chosen ? " chosen" : ""), "data-obs": id }, [
      el("div", { cls: "where", text: where }),
      quote(o.quote, o.surface, o.at),
      el("div", { cls: "where", text: "as written: " + o.surface + " → " + fmt(o.value) + " " + o.unit +
        (o.qual !== "exact" ? " (" + o.qual + ")" : "") + (o.end ? " · period ends " + o.end : "") + (chosen ? " · value chosen" : "") })
    ]);
    var src = o.crop && DATA.crops[o.crop];
    if (src && src.indexOf("data:image/png;base64,") === 0) {
      box.appendChild(el("img", { src: src, alt: "page " + o.page + " of " + o.source + " around the figure" }));
    }
    return box;
  }

  // facts table
  var F = DATA.facts;
  var fText = document.getElementById("f-text"), fMetric = document.getElementById("f-metric"),
      fDims = document.getElementById("f-dims"), fPeriod = document.getElementById("f-period"),
      fStatus = document.getElementById("f-status"), fSource = document.getElementById("f-source");
  function fill(select, values) {
    values.forEach(function (v) { select.appendChild(el("option", { value: v[0], text: v[1] })); });
  }
  var metrics = {}, periods = {}, sources = {};
  F.forEach(function (f) {
    var own = {};  // the documents the fact's observations come from
    f.obs.forEach(function (id) { if (DATA.obs[id]) own[DATA.obs[id].source] = 1; });
    f.sources = Object.keys(own).sort();
    metrics[f.metric || ("label:" + f.label)] = f.metric ? f.label + " (" + f.metric + ")" : f.label;
    if (f.end) periods[f.end.slice(0, 4)] = 1;
    f.sources.forEach(function (s) { sources[s] = 1; });
  });
  fill(fMetric, Object.keys(metrics).sort(function (a, b) { return metrics[a].localeCompare(metrics[b]); })
    .map(function (k) { return [k, metrics[k]]; }));
  fill(fPeriod, Object.keys(periods).sort().reverse().map(function (y) { return [y, y]; }));
  fill(fSource, Object.keys(sources).sort().map(function (s) { return [s, title(s)]; }));

  function matches(f) {
    var t = fText.value.trim().toLowerCase();
    if (t && (f.label + " " + f.metric + " " + f.dims + " " + f.value + " " + f.end).toLowerCase().indexOf(t) < 0) return false;
    if (fMetric.value && (f.metric || ("label:" + f.label)) !== fMetric.value) return false;
    var d = fDims.value.trim().toLowerCase();
    if (d && f.dims.toLowerCase().indexOf(d) < 0) return false;
    if (fPeriod.value && f.end.slice(0, 4) !== fPeriod.value) return false;
    if (fStatus.value && f.status !== fStatus.value) return false;
    if (fSource.value && f.sources.indexOf(fSource.value) < 0) return false;
    return true;
  }
  function sorted(rows) {
    var k = state.sort, dir = state.dir;
    return rows.slice().sort(function (a, b) {
      var x = a[k], y = b[k];
      if (typeof x === "number" && typeof y === "number") return (x - y) * dir;
      return String(x).localeCompare(String(y)) * dir;
    });
  }
  var tbody = document.querySelector("#facts-table tbody");
  function renderFacts() {
    var rows = sorted(F.filter(matches));
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    document.getElementById("f-count").textContent = rows.length + " of " + F.length + " facts";
    document.getElementById("page-info").textContent = "page " + (state.page + 1) + " of " + pages;
    tbody.textContent = "";
    rows.slice(state.page * PAGE, (state.page + 1) * PAGE).forEach(function (f) {
      var tr = el("tr", { cls: "fact-row" + (state.open[f.id] ? " open" : ""), "data-fact": f.id }, [
        el("td", { text: f.label + (f.metric ? "" : "") }),
        el("td", { text: f.dims }),
        el("td", { text: f.end ? (f.ptype === "cumulative" ? "to " + f.end : (f.start ? f.start + " – " : "") + f.end) : "—" }),
        el("td", { cls: "num", text: (f.qual !== "exact" ? f.qual + " " : "") + fmt(f.value) + " " + f.unit }),
        el("td", {}, [el("span", { cls: "badge " + f.status, text: f.status }), f.stale ? el("span", { cls: "badge stale", text: "stale" }) : null]),
        el("td", { cls: "num", text: String(f.n) })
      ]);
      tr.addEventListener("click", function () { state.open[f.id] = !state.open[f.id]; renderFacts(); });
      tbody.appendChild(tr);
      if (state.open[f.id]) {
        var cell = el("td", { colspan: "6" }, [el("div", { cls: "where", text: "fact " + f.id + (f.metric ? " · metric " + f.metric : "") + " · " + f.why })]);
        f.obs.forEach(function (id) { cell.appendChild(observation(id, id === f.chosen)); });
        tbody.appendChild(el("tr", { cls: "detail" }, [cell]));
      }
    });
  }
  [fText, fDims].forEach(function (i) { i.addEventListener("input", function () { state.page = 0; renderFacts(); }); });
  [fMetric, fPeriod, fStatus, fSource].forEach(function (i) { i.addEventListener("change", function () { state.page = 0; renderFacts(); }); });
  document.querySelectorAll("#facts-table th[data-sort]").forEach(function (th) {
    th.addEventListener("click", function () {
      var k = th.dataset.sort;
      state.dir = state.sort === k ? -state.dir : 1;
      state.sort = k;
      document.querySelectorAll("#facts-table th").forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
      th.classList.add(state.dir > 0 ? "sorted-asc" : "sorted-desc");
      renderFacts();
    });
  });
  document.getElementById("prev-page").addEventListener("click", function () { if (state.page > 0) { state.page--; renderFacts(); } });
  document.getElementById("next-page").addEventListener("click", function () { state.page++; renderFacts(); });
  renderFacts();

  // conflicts
  var conflictsDone = false;
  function renderConflicts() {
    if (conflictsDone) return;
    conflictsDone = true;
    var list = document.getElementById("conflict-list");
    DATA.conflicts.forEach(function (g) {
      var members = el("div", { cls: "members" });
      g.members.forEach(function (m) {
        members.appendChild(el("div", { cls: "member", "data-obs": m.obs }, [
          el("div", { cls: "value", text: fmt(m.value) + " " + m.unit + (m.qual !== "exact" ? " (" + m.qual + ")" : "") }),
          el("div", { cls: "where", text: title(m.source) + (m.page ? " · page " + m.page : "") + (m.end ? " · " + m.end : "") }),
          quote(m.quote, m.surface, (DATA.obs[m.obs] || {}).at),
          m.detail ? el("div", { cls: "where", text: m.detail }) : null
        ]));
      });
      list.appendChild(el("div", { cls: "conflict " + g.status, id: "conflict-" + g.id, "data-kind": g.kind }, [
        el("h3", {}, [el("span", { cls: "badge conflict", text: g.kind }), " ", g.status === "resolved" ? el("span", { cls: "badge resolved", text: "resolved" }) : "open",
          " · " + g.members.length + " members"]),
        g.resolution ? el("div", { cls: "where", text: g.resolution }) : null,
        members
      ]));
    });
    if (!DATA.conflicts.length) list.appendChild(el("p", { cls: "muted", text: "No conflicts." }));
  }

  // skipped numbers
  var skippedDone = false;
  function renderSkipped() {
    if (skippedDone) return;
    skippedDone = true;
    var list = document.getElementById("skipped-list");
    Object.keys(DATA.skipped).sort().forEach(function (src) {
      var items = DATA.skipped[src];
      var reasons = {};
      items.forEach(function (s) { reasons[s.reason] = (reasons[s.reason] || 0) + 1; });
      var summary = Object.keys(reasons).sort(function (a, b) { return reasons[b] - reasons[a]; })
        .map(function (r) { return r + " " + reasons[r]; }).join(", ");
      var table = el("table", { cls: "skip" }, [el("thead", {}, [el("tr", {}, [el("th", { text: "number" }), el("th", { text: "why skipped" }), el("th", { text: "page" }), el("th", { text: "context" })])])]);
      var body = el("tbody");
      items.slice(0, 2000).forEach(function (s) {
        body.appendChild(el("tr", {}, [el("td", { text: s.surface }), el("td", { text: s.reason }), el("td", { text: s.page ? String(s.page) : "" }), el("td", { text: s.context })]));
      });
      table.appendChild(body);
      list.appendChild(el("details", { cls: "doc" }, [el("summary", { text: title(src) + " — " + items.length + " skipped (" + summary + ")" }), table]));
    });
  }
})();
