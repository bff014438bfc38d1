// The workshop's page script: copy buttons and search. It works from
// file:// and offline; the search index is window.workshopSearch, set by
// assets/search-index.js. Text from the chapters is only ever inserted as
// text, never as HTML.
(function () {
  "use strict";

  // Copy buttons copy the code of their block.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return legacyCopy(text);
  }

  function legacyCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  document.querySelectorAll(".code .copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var code = button.closest(".code").querySelector("pre code");
      copyText(code.textContent).then(function () {
        button.textContent = "Copied";
        button.classList.add("done");
      }, function () {
        button.textContent = "Select and copy";
      }).then(function () {
        setTimeout(function () {
          button.textContent = "Copy";
          button.classList.remove("done");
        }, 1600);
      });
    });
  });

  // Search: every word of the query must appear in a section's title or
  // text; a match in the title ranks higher.
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var index = window.workshopSearch || [];
  if (!input || !list) {
    return;
  }
  if (!index.length) {
    input.disabled = true;
    input.placeholder = "Search is not available";
    return;
  }
  index.forEach(function (e) {
    e.lt = e.t.toLowerCase();
    e.lx = e.x.toLowerCase();
  });

  function search(query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) {
      return [];
    }
    var hits = [];
    index.forEach(function (e) {
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var inTitle = e.lt.indexOf(words[i]) >= 0;
        var inText = e.lx.indexOf(words[i]) >= 0;
        if (!inTitle && !inText) {
          return;
        }
        score += (inTitle ? 10 : 0) + (inText ? 1 : 0);
      }
      hits.push({ e: e, score: score });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.e.n - b.e.n; });
    return hits.slice(0, 12).map(function (h) { return h.e; });
  }

  // appendMarked appends text to el with the words marked.
  function appendMarked(el, text, words) {
    var lower = text.toLowerCase();
    var pos = 0;
    while (pos < text.length) {
      var best = -1, len = 0;
      words.forEach(function (w) {
        var i = lower.indexOf(w, pos);
        if (i >= 0 && (best < 0 || i < best)) { best = i; len = w.length; }
      });
      if (best < 0) {
        break;
      }
      el.appendChild(document.createTextNode(text.slice(pos, best)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(best, best + len);
      el.appendChild(mark);
      pos = best + len;
    }
    el.appendChild(document.createTextNode(text.slice(pos)));
  }

  function snippet(e, words) {
    var at = -1;
    words.forEach(function (w) {
      var i = e.lx.indexOf(w);
      if (i >= 0 && (at < 0 || i < at)) { at = i; }
    });
    if (at < 0) {
      return e.x.slice(0, 140) + (e.x.length > 140 ? " …" : "");
    }
    var start = Math.max(0, at - 60);
    var s = e.x.slice(start, start + 160);
    return (start > 0 ? "… " : "") + s + (start + 160 < e.x.length ? " …" : "");
  }

  var active = -1;

  function show() {
    var query = input.value.trim();
    list.textContent = "";
    active = -1;
    if (!query) {
      list.hidden = true;
      return;
    }
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    var hits = search(query);
    if (!hits.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "Nothing found for “" + query + "”.";
      list.appendChild(none);
    }
    hits.forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = e.u;
      var where = document.createElement("span");
      where.className = "where";
      where.textContent = "Chapter " + e.n + (e.t === e.c ? "" : " · " + e.c);
      var title = document.createElement("span");
      title.className = "title";
      appendMarked(title, e.t, words);
      var text = document.createElement("span");
      text.className = "snippet";
      appendMarked(text, snippet(e, words), words);
      a.appendChild(where);
      a.appendChild(title);
      a.appendChild(text);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
  }

  function move(delta) {
    var links = list.querySelectorAll("a");
    if (!links.length) {
      return;
    }
    if (active >= 0) {
      links[active].classList.remove("active");
    }
    active = (active + delta + links.length) % links.length;
    links[active].classList.add("active");
    links[active].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("input", show);
  input.addEventListener("focus", show);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { move(1); ev.preventDefault(); }
    else if (ev.key === "ArrowUp") { move(-1); ev.preventDefault(); }
    else if (ev.key === "Enter") {
      var links = list.querySelectorAll("a");
      if (links.length) { links[Math.max(active, 0)].click(); }
    } else if (ev.key === "Escape") {
      input.value = "";
      show();
      input.blur();
    }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "/" && document.activeElement !== input && !ev.ctrlKey && !ev.metaKey) {
      input.focus();
      ev.preventDefault();
    }
  });
  document.addEventListener("click", function (ev) {
    if (!ev.target.closest(".search")) {
      list.hidden = true;
    }
  });

  // Live mode (make serve) adds its controls here: body[data-live] marks a
  // page served by the workshop's server, and each scene's Run button
  // carries the scene's name in data-scene.
})();
