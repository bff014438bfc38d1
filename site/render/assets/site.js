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
})();

// Live mode (make serve): body[data-live] marks a page served by the
// workshop's server, and each scene's Run and Stop buttons carry the
// scene's name in data-scene. Run asks the server to play the scene and
// shows its stream (one JSON object a line; see site/live) in the scene's
// terminal as it arrives. The page sends a scene's name, never code.
(function () {
  "use strict";
  if (!document.body.hasAttribute("data-live")) {
    return;
  }
  var running = null; // {figure, name, abort}

  // readStream reads a run's answer, one JSON object a line, calling f for
  // each as it arrives; the notebook reads its checks with it too.
  function readStream(resp, f) {
    var reader = resp.body.getReader();
    var decoder = new TextDecoder();
    var buf = "";
    function next() {
      return reader.read().then(function (r) {
        buf += decoder.decode(r.value || new Uint8Array(), { stream: !r.done });
        var i;
        while ((i = buf.indexOf("\n")) >= 0) {
          var line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line) {
            f(JSON.parse(line));
          }
        }
        return r.done ? undefined : next();
      });
    }
    return next();
  }
  window.WorkshopReadStream = readStream;

  function span(cls, text) {
    var s = document.createElement("span");
    s.className = cls;
    if (text !== undefined) {
      s.textContent = text;
    }
    return s;
  }

  // terminal shows a fresh live transcript in the scene's terminal, in
  // place of the recorded one, and returns it.
  function terminal(figure, name) {
    var term = figure.querySelector(".terminal");
    term.querySelectorAll(".transcript:not(.live), .no-transcript").forEach(function (el) { el.hidden = true; });
    var out = term.querySelector(".transcript.live");
    if (!out) {
      out = document.createElement("pre");
      out.className = "transcript live";
      out.setAttribute("aria-live", "polite");
      term.appendChild(out);
    }
    out.textContent = "";
    var title = term.querySelector(".terminal-title");
    if (title) {
      title.textContent = name + " · live";
    }
    return out;
  }

  function append(out, line) {
    var follow = out.scrollTop + out.clientHeight >= out.scrollHeight - 8;
    out.appendChild(line);
    out.appendChild(document.createTextNode("\n"));
    if (follow) {
      out.scrollTop = out.scrollHeight;
    }
  }

  // show draws one event of the stream; it returns true for the last.
  function show(out, figure, e) {
    var l;
    switch (e.kind) {
    case "start":
      l = span("tl note", "# " + e.scene + ", " + e.mode + " mode, stopped after " + e.bound + " at most");
      (e.edited || []).forEach(function (p) {
        append(out, l);
        l = span("tl note mine", "# with your version of " + p.program + " (" + p.file + ")");
      });
      if (e.edited && e.edited.length) {
        var title = figure.querySelector(".terminal-title");
        title.textContent += ", with your " + e.edited.map(function (p) { return p.program; }).join(" and ");
      }
      break;
    case "note":
      l = span("tl note", "# " + e.text);
      break;
    case "step":
      l = span("tl step");
      l.appendChild(span("prompt", "$ "));
      l.appendChild(document.createTextNode(e.text));
      break;
    case "line":
      l = span("tl" + (e.status ? " status" : "") + (e.fail ? " fail" : ""));
      l.appendChild(span("proc c" + (e.colour || 0), e.proc));
      l.appendChild(document.createTextNode((e.pad || "") + " "));
      l.appendChild(span("sep", e.status ? ":" : "|"));
      l.appendChild(document.createTextNode(" "));
      l.appendChild(span("text", e.text || ""));
      break;
    case "end":
      verdict(out, figure, e.ok, e.verdict, e.diff ? [] : e.problems);
      if (e.diff) {
        append(out, span("tl verdict problem", "   what was printed, beside the chapter's transcript (- only in the transcript, + only in this run):"));
        e.diff.forEach(function (d) {
          append(out, span("tl diff " + (d.op === "-" ? "del" : d.op === "+" ? "add" : "same"),
            d.op + " " + d.proc + " " + (d.status ? ":" : "|") + " " + d.text));
        });
      }
      return true;
    default:
      return false;
    }
    append(out, l);
    return false;
  }

  function verdict(out, figure, ok, text, problems) {
    var state = ok ? "passed" : /^stopped/.test(text) ? "stopped" : "failed";
    append(out, span("tl verdict " + (ok ? "ok" : "bad"), "== " + text));
    (problems || []).forEach(function (p) {
      append(out, span("tl verdict problem", "   " + p.replace(/\n/g, "\n   ")));
    });
    figure.setAttribute("data-state", state);
  }

  function buttons() {
    document.querySelectorAll("figure.scene").forEach(function (figure) {
      var mine = running && running.figure === figure;
      var run = figure.querySelector(".live-controls .run");
      var stop = figure.querySelector(".live-controls .stop");
      if (run) {
        run.disabled = !!running;
        run.title = running && !mine ? "Another scene is running: " + running.name : "";
      }
      if (stop) {
        stop.hidden = !mine;
        stop.disabled = !mine;
      }
    });
  }

  function run(figure, name) {
    if (running) {
      return;
    }
    var out = terminal(figure, name);
    var abort = new AbortController();
    var ended = false;
    running = { figure: figure, name: name, abort: abort };
    figure.setAttribute("data-state", "running");
    buttons();
    fetch("/run?scene=" + encodeURIComponent(name), { method: "POST", cache: "no-store", signal: abort.signal })
      .then(function (resp) {
        if (!resp.ok) {
          return resp.text().then(function (msg) {
            ended = true;
            verdict(out, figure, false, "not run: " + msg.trim());
          });
        }
        return readStream(resp, function (e) {
          ended = show(out, figure, e) || ended;
          // The notebook (notebook.js) marks errors in its editors.
          document.dispatchEvent(new CustomEvent("workshop-run", { detail: e }));
        });
      })
      .catch(function (err) {
        if (!ended) {
          ended = true;
          verdict(out, figure, false, err.name === "AbortError" ?
            "stopped: the page let go of the run, and the server stops it" :
            "the server could not be reached (" + err.message + "); is make serve still running?");
        }
      })
      .then(function () {
        if (!ended) {
          verdict(out, figure, false, "the stream ended without a verdict; is make serve still running?");
        }
        running = null;
        buttons();
      });
  }

  // stop asks the server to stop the run, whose stream then ends with the
  // verdict; if the server cannot be asked, the page lets go of the run,
  // and the server stops it when the connection closes.
  function stop(name) {
    var r = running;
    if (!r || r.name !== name) {
      return;
    }
    r.figure.querySelector(".live-controls .stop").disabled = true;
    fetch("/stop?scene=" + encodeURIComponent(name), { method: "POST", cache: "no-store" })
      .then(function (resp) {
        if (!resp.ok && running === r) {
          r.abort.abort();
        }
      }, function () {
        r.abort.abort();
      });
  }

  document.querySelectorAll("figure.scene .live-controls .run").forEach(function (button) {
    button.addEventListener("click", function () {
      run(button.closest("figure.scene"), button.getAttribute("data-scene"));
    });
  });
  document.querySelectorAll("figure.scene .live-controls .stop").forEach(function (button) {
    button.addEventListener("click", function () {
      stop(button.getAttribute("data-scene"));
    });
  });
  buttons();
})();
