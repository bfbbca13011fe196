// New data request page (issue 16): while the title is typed, the open requests and datasets
// like it are listed below the field, as links, so a requester finds what already exists before
// asking twice. One call to the datarequest_similar action (the same check the form runs on
// submit) once typing pauses and the title has at least two characters; an answer to an older
// title is dropped. The list sits in a polite live region the page renders empty; labels come
// from its data attributes (one translation, on the server). Every value is set as text.
(function () {
  "use strict";
  var box = document.getElementById("title-similar");
  var input = document.getElementById("f-title");
  if (!box || !input || !window.fetch || !window.URLSearchParams) return;
  var kDelayMs = 350;
  var kMinChars = 2;
  var kMaxChars = 200;  // the action refuses longer titles
  var timer = null;
  var asked = input.value.trim();  // a title the server already checked on submit
  var latest = 0;
  var answers = {};

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function item(href, title, kind) {
    var li = el("li");
    var a = el("a", null, title);
    a.href = href;
    li.appendChild(a);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("span", "count", kind));
    return li;
  }

  function show(result) {
    var list = el("ul");
    (result.requests || []).forEach(function (r) {
      if (r && r.id) list.appendChild(item("/requests/" + encodeURIComponent(r.id), String(r.title || r.id),
                                           box.getAttribute("data-request")));
    });
    (result.datasets || []).forEach(function (d) {
      if (d && d.name) list.appendChild(item("/dataset/" + encodeURIComponent(d.name), String(d.title || d.name),
                                             box.getAttribute("data-dataset")));
    });
    box.textContent = "";
    if (!list.firstChild) return;
    box.appendChild(el("h2", null, box.getAttribute("data-heading")));
    box.appendChild(list);
  }

  function similar(title) {
    if (!answers[title])
      answers[title] = fetch("/api/3/action/datarequest_similar?" + new URLSearchParams({ title: title }),
                             { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (body) {
          if (!body || !body.success) throw new Error("datarequest_similar failed");
          return body.result;
        })
        .catch(function (e) { delete answers[title]; throw e; });
    return answers[title];
  }

  function lookUp() {
    var title = input.value.trim();
    if (title === asked) return;
    asked = title;
    var mine = ++latest;
    var length = Array.from(title).length;
    if (length < kMinChars || length > kMaxChars) {
      box.textContent = "";
      return;
    }
    similar(title).then(function (result) {
      if (mine === latest) show(result);
    }, function () {
      // Busy or refused (e.g. the rate limit): the check on submit still runs.
      if (mine === latest) box.textContent = "";
    });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookUp, kDelayMs);
  });
})();
