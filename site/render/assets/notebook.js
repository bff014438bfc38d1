// The notebook (make serve): every program of a chapter can be edited in
// the page and run in its scenes, and every exercise solved and checked
// here, with the same checker as make check-N. The page names programs,
// scenes and exercises; the server maps them to files under workspace/ and
// requires its token (a cookie set when the learner opened the address
// make serve printed). See site/live for the protocol.
(function () {
  "use strict";
  if (!document.body.hasAttribute("data-live") || !window.WorkshopEditor || !window.WorkshopReadStream) {
    return;
  }
  var panels = {}; // program or exercise program id -> panel

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function button(cls, text, title) {
    var b = el("button", cls, text);
    b.type = "button";
    if (title) {
      b.title = title;
    }
    return b;
  }

  // request sends one of the notebook's requests and returns a promise of
  // the response, rejected with the server's words when it refuses.
  function request(method, path, body) {
    return fetch(path, { method: method, body: body, cache: "no-store", credentials: "same-origin" })
      .then(function (resp) {
        if (!resp.ok) {
          return resp.text().then(function (msg) { throw new Error(msg.trim() || resp.statusText); });
        }
        return resp;
      });
  }

  function getJSON(path) {
    return request("GET", path).then(function (resp) { return resp.json(); });
  }

  // diffLines is a line diff of a and b (longest common subsequence): a
  // list of [op, line], op being " ", "-" or "+".
  function diffLines(a, b) {
    a = a.split("\n");
    b = b.split("\n");
    var n = a.length, m = b.length, i, j;
    var lcs = [];
    for (i = 0; i <= n; i++) {
      lcs.push(new Int32Array(m + 1));
    }
    for (i = n - 1; i >= 0; i--) {
      for (j = m - 1; j >= 0; j--) {
        lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    var out = [];
    i = 0;
    j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i] === b[j]) {
        out.push([" ", a[i]]);
        i++;
        j++;
      } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        out.push(["-", a[i]]);
        i++;
      } else {
        out.push(["+", b[j]]);
        j++;
      }
    }
    return out;
  }

  // showDiff draws a diff into pre, with a few lines of context around
  // each change.
  function showDiff(pre, diff) {
    pre.textContent = "";
    var keep = diff.map(function () { return false; });
    diff.forEach(function (d, i) {
      if (d[0] !== " ") {
        for (var k = Math.max(0, i - 2); k <= Math.min(diff.length - 1, i + 2); k++) {
          keep[k] = true;
        }
      }
    });
    var skipped = false;
    diff.forEach(function (d, i) {
      if (!keep[i]) {
        if (!skipped) {
          pre.appendChild(el("span", "dl skip", "…\n"));
        }
        skipped = true;
        return;
      }
      skipped = false;
      var cls = d[0] === "-" ? "dl del" : d[0] === "+" ? "dl add" : "dl same";
      pre.appendChild(el("span", cls, d[0] + " " + d[1] + "\n"));
    });
    if (!keep.some(Boolean)) {
      pre.textContent = "No change: this is the chapter's version.";
    }
  }

  // A panel is an editor with its bar and status, under a program's block
  // or in an exercise's card.
  function makePanel(opts) {
    var panel = el("div", "notebook");
    var bar = el("div", "nb-bar");
    var label = el("span", "label");
    label.appendChild(document.createTextNode(opts.label + " "));
    label.appendChild(el("strong", "", opts.name));
    var file = el("code", "nb-file", opts.file);
    label.appendChild(document.createTextNode(" · "));
    label.appendChild(file);
    bar.appendChild(label);
    var tools = el("span", "nb-tools");
    bar.appendChild(tools);
    panel.appendChild(bar);
    var host = el("div", "nb-editor");
    panel.appendChild(host);
    var status = el("div", "nb-status");
    status.setAttribute("aria-live", "polite");
    panel.appendChild(status);
    var p = {
      el: panel,
      tools: tools,
      file: opts.file,
      saved: opts.text,
      say: function (text, bad) {
        status.textContent = text;
        status.className = "nb-status" + (bad ? " bad" : "");
      },
    };
    p.editor = window.WorkshopEditor.create(host, opts.text, {
      run: function () { if (opts.run) { opts.run(p); } },
      stop: function () { if (opts.stop) { opts.stop(p); } },
      save: function () { p.save(); },
      change: function () {
        p.el.classList.toggle("unsaved", p.editor.value() !== p.saved);
      },
    });
    p.save = function () {
      var text = p.editor.value();
      return request("POST", opts.savePath, text).then(function () {
        p.saved = text;
        p.el.classList.remove("unsaved");
        p.say("Saved to " + p.file + ".");
        if (opts.saved) {
          opts.saved(p, text);
        }
      }, function (err) {
        p.say("Not saved: " + err.message, true);
        throw err;
      });
    };
    return p;
  }

  // mark shows diagnostics at the lines of the panels whose files they name.
  function mark(diags) {
    Object.keys(panels).forEach(function (id) {
      var p = panels[id];
      var mine = (diags || []).filter(function (d) { return d.file === p.file; });
      p.editor.mark(mine);
      if (mine.length) {
        p.say(p.file + ":" + mine[0].line + ": " + mine[0].message, true);
      }
    });
  }

  // Runtime errors name FILE:LINE in the output (a panic's frames, a
  // log.Fatal with Lshortfile); they are shown in the editor too.
  var lineRE = /(workspace\/[\w.\/-]+\.go):(\d+)(?::(\d+))?:?\s*(.*)/;
  var runtime = [];

  document.addEventListener("workshop-run", function (ev) {
    var e = ev.detail;
    if (e.kind === "start") {
      runtime = [];
      mark([]);
    } else if ((e.kind === "line" || e.kind === "text") && e.text) {
      var m = lineRE.exec(e.text);
      if (m && runtime.length < 20) {
        // A compiled panic's frame ends in "+0x1d": the message is above it.
        var msg = m[4] && !/^\+0x/.test(m[4]) ? m[4] : "the program stopped here: see the run's output";
        runtime.push({ file: m[1], line: +m[2], col: +(m[3] || 1), message: msg });
      }
    } else if (e.kind === "end") {
      mark((e.diagnostics || []).concat(e.ok ? [] : runtime));
    }
  });

  // Programs of the chapter. ------------------------------------------------

  function scenesOf(name) {
    return Array.prototype.filter.call(document.querySelectorAll("figure.scene[data-programs]"), function (f) {
      return (" " + f.getAttribute("data-programs") + " ").indexOf(" " + name + " ") >= 0;
    });
  }

  function markEdited(id, edited) {
    document.querySelectorAll('.code-head .edit[data-program="' + id + '"]').forEach(function (b) {
      var code = b.closest(".code");
      code.classList.toggle("edited", edited);
      var badge = code.querySelector(".badge.mine");
      if (edited && !badge) {
        badge = el("span", "badge mine", "your version");
        badge.title = "You changed this program: make serve, make chapter-N and runner run play your version";
        b.parentNode.insertBefore(badge, b);
      } else if (!edited && badge) {
        badge.remove();
      }
    });
  }

  function openProgram(buttonEl, id) {
    if (panels[id]) {
      panels[id].el.scrollIntoView({ block: "nearest" });
      panels[id].editor.focus();
      return;
    }
    var name = id.slice(id.indexOf("/") + 1);
    buttonEl.disabled = true;
    getJSON("/api/program?program=" + encodeURIComponent(id)).then(function (v) {
      var scenes = scenesOf(name);
      var select = el("select", "nb-scene");
      select.title = "The scene that Run (Ctrl/Cmd-Enter) plays with your version";
      scenes.forEach(function (f) {
        var o = el("option", "", f.getAttribute("data-scene"));
        o.value = f.getAttribute("data-scene");
        select.appendChild(o);
      });
      // The first scene after the block is the one the text is about.
      var block = buttonEl.closest(".code");
      for (var i = 0; i < scenes.length; i++) {
        if (block.compareDocumentPosition(scenes[i]) & Node.DOCUMENT_POSITION_FOLLOWING) {
          select.value = scenes[i].getAttribute("data-scene");
          break;
        }
      }
      var p = makePanel({
        label: "program",
        name: name,
        file: v.file,
        text: v.mine !== undefined && v.mine !== null ? v.mine : v.chapter,
        savePath: "/api/save?program=" + encodeURIComponent(id),
        run: function (p) { runScene(p, select.value); },
        stop: function () { stopScene(select.value); },
        saved: function (p, text) { markEdited(id, text !== v.chapter); },
      });
      p.saved = v.mine !== undefined && v.mine !== null ? v.mine : v.chapter;
      panels[id] = p;
      var run = button("nb-run", "Run", "Save, then play the scene with your version (Ctrl/Cmd-Enter; Esc stops it)");
      var save = button("nb-save", "Save", "Save to " + v.file + " (Ctrl/Cmd-S)");
      var diff = button("nb-diff", "Diff", "Your version against the chapter's");
      var reset = button("nb-reset", "Reset to the chapter's", "Remove your version: the chapter's program plays again");
      var close = button("nb-close", "Close");
      var diffView = el("pre", "nb-diffview");
      diffView.hidden = true;
      if (scenes.length) {
        p.tools.appendChild(select);
        p.tools.appendChild(run);
      }
      [save, diff, reset, close].forEach(function (b) { p.tools.appendChild(b); });
      p.el.appendChild(diffView);
      run.addEventListener("click", function () { runScene(p, select.value); });
      save.addEventListener("click", function () { p.save().catch(function () {}); });
      diff.addEventListener("click", function () {
        diffView.hidden = !diffView.hidden;
        if (!diffView.hidden) {
          showDiff(diffView, diffLines(v.chapter, p.editor.value()));
        }
      });
      reset.addEventListener("click", function () {
        request("POST", "/api/reset?program=" + encodeURIComponent(id)).then(function () {
          p.editor.setValue(v.chapter);
          p.saved = v.chapter;
          p.el.classList.remove("unsaved");
          p.editor.mark([]);
          markEdited(id, false);
          diffView.hidden = true;
          p.say("Reset: the chapter's " + name + " plays again.");
        }, function (err) { p.say("Not reset: " + err.message, true); });
      });
      close.addEventListener("click", function () {
        p.editor.destroy();
        p.el.remove();
        delete panels[id];
      });
      block.parentNode.insertBefore(p.el, block.nextSibling);
      p.editor.focus();
    }, function (err) {
      alert("The program cannot be opened: " + err.message);
    }).then(function () { buttonEl.disabled = false; });
  }

  // runScene saves the panel if it changed, then presses the scene's Run.
  function runScene(p, ref) {
    var figure = document.querySelector('figure.scene[data-scene="' + ref + '"]');
    if (!figure) {
      return;
    }
    var go = function () {
      var run = figure.querySelector(".live-controls .run");
      figure.scrollIntoView({ block: "nearest" });
      if (run.disabled) {
        p.say("Another run is in progress; stop it first (Esc in its editor, or its Stop button).", true);
        return;
      }
      run.click();
    };
    if (p.editor.value() !== p.saved) {
      p.save().then(go, function () {});
    } else {
      go();
    }
  }

  function stopScene(ref) {
    var stop = document.querySelector('figure.scene[data-scene="' + ref + '"] .live-controls .stop');
    if (stop && !stop.hidden) {
      stop.click();
    }
  }

  document.querySelectorAll(".code-head .edit[data-program]").forEach(function (b) {
    b.addEventListener("click", function () { openProgram(b, b.getAttribute("data-program")); });
  });
  var chapter = document.querySelector(".code-head .edit[data-program]");
  if (chapter) {
    var n = parseInt(chapter.getAttribute("data-program"), 10);
    getJSON("/api/edits?chapter=" + n).then(function (ids) {
      ids.forEach(function (id) { markEdited(id, true); });
    }, function (err) {
      document.body.setAttribute("data-notebook-error", err.message);
    });
  }

  // Exercises. -------------------------------------------------------------

  function exerciseCard(card) {
    var ref = card.getAttribute("data-exercise");
    var number = card.getAttribute("data-number");
    var solve = card.querySelector(".solve");
    var state = solve.querySelector(".solve-state");
    var open = solve.querySelector(".solve-open");
    var hintBox = el("div", "solve-hints");
    var hintButton = button("solve-hint", "Show a hint");
    var staticHints = card.querySelectorAll("details.hint");
    staticHints.forEach(function (h) { h.hidden = true; });
    solve.hidden = false;

    function showState(v) {
      state.textContent = v.result === "passed" ? "passed ✓" : v.result === "failing" ? "not passing yet" : "";
      state.className = "solve-state " + (v.result || "");
      hintBox.textContent = "";
      v.hints.forEach(function (h, i) {
        var p = el("p", "hint-shown");
        p.appendChild(el("strong", "", "Hint " + (i + 1) + ". "));
        p.appendChild(document.createTextNode(h));
        hintBox.appendChild(p);
      });
      hintButton.textContent = v.hints.length < v.allHints ?
        "Show a hint (" + (v.hints.length + 1) + " of " + v.allHints + ")" : "No more hints";
      hintButton.disabled = v.hints.length >= v.allHints;
    }

    var view = null;
    function load() {
      return getJSON("/api/exercise?exercise=" + encodeURIComponent(ref)).then(function (v) {
        view = v;
        showState(v);
        return v;
      });
    }
    load().catch(function (err) { state.textContent = err.message; });
    // The hints come one at a time, where the static page lists them.
    solve.parentNode.insertBefore(hintBox, solve);
    solve.parentNode.insertBefore(hintButton, solve);
    hintButton.addEventListener("click", function () {
      request("POST", "/api/hint?exercise=" + encodeURIComponent(ref)).then(function () { return load(); })
        .catch(function (err) { state.textContent = err.message; });
    });

    open.addEventListener("click", function () {
      open.hidden = true;
      var mine = [];
      view.programs.forEach(function (pv) {
        var name = pv.id.slice(pv.id.lastIndexOf("/") + 1);
        var p = makePanel({
          label: "your",
          name: name,
          file: pv.file,
          text: pv.mine !== undefined && pv.mine !== null ? pv.mine : pv.chapter,
          savePath: "/api/save?exercise=" + encodeURIComponent(ref) + "&program=" + encodeURIComponent(name),
          run: function () { check(); },
          stop: function () { stopCheck(); },
        });
        // A starter never saved is unsaved work: Check saves it first.
        p.saved = pv.mine !== undefined && pv.mine !== null ? pv.mine : null;
        panels[pv.id] = p;
        mine.push(p);
        solve.appendChild(p.el);
      });
      var bar = el("div", "solve-run");
      var checkButton = button("solve-check", "Check", "Save your files and run make check-" + number + "'s checker (Ctrl/Cmd-Enter)");
      var stopButton = button("solve-stop", "Stop");
      stopButton.hidden = true;
      bar.appendChild(checkButton);
      bar.appendChild(stopButton);
      var out = el("pre", "solve-out");
      out.hidden = true;
      solve.appendChild(bar);
      solve.appendChild(out);
      checkButton.addEventListener("click", check);
      stopButton.addEventListener("click", stopCheck);
      mine[0].editor.focus();

      function stopCheck() {
        request("POST", "/stop?exercise=" + encodeURIComponent(ref)).catch(function () {});
      }

      function check() {
        if (checkButton.disabled) {
          return;
        }
        checkButton.disabled = true;
        stopButton.hidden = false;
        out.hidden = false;
        out.textContent = "";
        card.setAttribute("data-check", "running");
        Promise.all(mine.map(function (p) { return p.saved === p.editor.value() ? null : p.save(); }))
          .then(function () { return request("POST", "/api/check?exercise=" + encodeURIComponent(ref)); })
          .then(function (resp) {
            return window.WorkshopReadStream(resp, function (e) {
              document.dispatchEvent(new CustomEvent("workshop-run", { detail: e }));
              if (e.kind === "text") {
                out.appendChild(el("span", /^\s+FAIL/.test(e.text) ? "cl fail" : /^\s+ok/.test(e.text) ? "cl ok" : "cl", e.text + "\n"));
              } else if (e.kind === "end") {
                out.appendChild(el("span", "cl verdict " + (e.ok ? "ok" : "bad"), "== " + e.verdict + "\n"));
                card.setAttribute("data-check", e.ok ? "passed" : "failed");
              }
            });
          })
          .catch(function (err) {
            out.appendChild(el("span", "cl verdict bad", "== not checked: " + err.message + "\n"));
            card.setAttribute("data-check", "failed");
          })
          .then(function () {
            checkButton.disabled = false;
            stopButton.hidden = true;
            return load();
          });
      }
    });
  }

  document.querySelectorAll("section.exercise[data-exercise]").forEach(exerciseCard);
  window.WorkshopNotebook = { panels: panels };
})();
