package live

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/site/browsertest"
)

// TestBrowserNotebook uses the notebook in chromium as a learner would:
// edit chapter 02's server so it answers PONG, run five-clients and see
// the changed lines beside the transcript, reset and see it match; break
// the server and see the compile error at its line in the editor; solve
// exercise 2 in the page and see the checker, and the progress that make
// exercises reads, say it passed.
func TestBrowserNotebook(t *testing.T) {
	exe := browsertest.Chromium(t)
	book, err := chapters.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	c := book.Chapter(2)
	if c == nil || c.Scene("five-clients") == nil || c.Exercise("pingpong") == nil {
		t.Fatal("chapter 02 has no scene five-clients or exercise pingpong")
	}
	s, srv := browserServer(t, book)
	defer srv.Close()
	defer s.Close()
	b := browsertest.Start(t, exe, 5*time.Minute)

	page := srv.URL + "/" + c.Slug + ".html"
	b.Do(t, "open the address make serve prints",
		chromedp.Navigate(page+"?token="+s.Token),
		chromedp.WaitVisible(chromedp.CSS(`.edit[data-program="02/server"]`)))
	if loc, err := chromedp.Run(b.Ctx, chromedp.Location()); err != nil || loc != page {
		t.Errorf("after the login the page is %q (%v); want %q, the token gone from the address", loc, err, page)
	}

	// Edit the server in the page.
	b.Do(t, "press Edit on the server",
		chromedp.Click(chromedp.CSS(`.edit[data-program="02/server"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`.notebook .cm-content`)))
	code := evalString(t, b, `WorkshopNotebook.panels["02/server"].editor.value()`)
	if code != c.Program("server").Code() {
		t.Fatalf("the editor holds:\n%s\nwant the chapter's server", code)
	}
	selectText(t, b, "02/server", `"pong"`)
	typeText(t, b, `"PONG"`)
	b.Do(t, "choose five-clients and press Run",
		chromedp.SetValue(chromedp.CSS(`.notebook .nb-scene`), "02/five-clients"),
		chromedp.Click(chromedp.CSS(`.notebook .nb-run`), chromedp.NodeVisible))
	out := waitState(t, b, "02/five-clients", "failed", 2*time.Minute)
	for _, want := range []string{
		"# with your version of server (workspace/chapters/02-ping-pong/server/main.go)",
		`PONG 1 from client 1`,
		"beside the chapter's transcript",
		"- client-1 | got pong 1 from client 1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the run with the edited server lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`(?m)^\+ client-1 \| .*PONG 1 from client 1`).MatchString(out) {
		t.Errorf("the diff shows no line of client-1 with the server's PONG:\n%s", out)
	}
	if mine := evalString(t, b, `String(document.querySelectorAll('.code.edited .badge.mine').length)`); mine == "0" {
		t.Errorf("the server's blocks are not marked as the learner's version")
	}
	b.Check(t)

	b.Do(t, "reset the server, run again",
		chromedp.Click(chromedp.CSS(`.notebook .nb-reset`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`.notebook .nb-status`)))
	waitEval(t, b, `WorkshopNotebook.panels["02/server"].editor.value().includes('"pong"') && !document.querySelector('.code.edited')`, "the reset")
	if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`WorkshopNotebook.panels["02/server"].editor.focus(), true`)); err != nil {
		t.Fatal(err)
	}
	b.Do(t, "run five-clients after the reset with Ctrl-Enter in the editor", chromedp.KeyEvent("\r", chromedp.KeyModifiers(kb.ModifierCtrl)))
	out = waitState(t, b, "02/five-clients", "passed", 2*time.Minute)
	if strings.Contains(out, "with your version") {
		t.Errorf("the run after the reset still uses the learner's server:\n%s", out)
	}

	// A compile error shows at its line in the editor.
	selectText(t, b, "02/server", `strings.Replace(request, "ping", "pong", 1)`)
	typeText(t, b, `undefinedThing`)
	line := 1 + strings.Count(code[:strings.Index(code, "strings.Replace(request")], "\n")
	b.Do(t, "run the broken server", chromedp.Click(chromedp.CSS(`.notebook .nb-run`), chromedp.NodeVisible))
	waitState(t, b, "02/five-clients", "failed", 2*time.Minute)
	waitEval(t, b, `document.querySelectorAll('.notebook .cm-lint-marker-error').length > 0`, "an error marker in the editor's gutter")
	status := evalString(t, b, `document.querySelector('.notebook .nb-status').textContent`)
	if want := fmt.Sprintf("workspace/chapters/02-ping-pong/server/main.go:%d:", line); !strings.Contains(status, want) || !strings.Contains(status, "undefinedThing") {
		t.Errorf("the editor says %q; want the error at %s", status, want)
	}
	if marked := evalString(t, b, `String(WorkshopNotebook.panels["02/server"].editor.view.state.doc.lineAt(WorkshopNotebook.panels["02/server"].editor.view.state.selection.main.head).number)`); marked != fmt.Sprint(line) {
		t.Errorf("the editor's cursor is at line %s after the error; want line %d", marked, line)
	}
	screenshot(t, b, "notebook-error", `.notebook`)
	b.Do(t, "reset the broken server", chromedp.Click(chromedp.CSS(`.notebook .nb-reset`), chromedp.NodeVisible))
	waitEval(t, b, `!document.querySelector('.code.edited')`, "the second reset")
	b.Check(t)

	// Exercise 2 in the page: the starter fails, the solution passes.
	ex := `section.exercise[data-exercise="02/pingpong"]`
	b.Do(t, "open exercise 2",
		chromedp.Click(chromedp.CSS(ex+` .solve-open`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(ex+` .notebook .cm-content`)),
		chromedp.Click(chromedp.CSS(ex+` .solve-check`), chromedp.NodeVisible))
	waitEval(t, b, `document.querySelector('`+ex+`').getAttribute("data-check") === "failed"`, "the starter's check")
	out = evalString(t, b, `document.querySelector('`+ex+` .solve-out').textContent`)
	if !strings.Contains(out, "FAIL") || !strings.Contains(out, "does not pass yet") {
		t.Errorf("the starter's check says:\n%s", out)
	}
	for _, p := range c.Exercise("pingpong").Edit {
		selectText(t, b, "02/pingpong/"+p.Name, "")
		typeText(t, b, p.Code())
	}
	b.Do(t, "check the solution", chromedp.Click(chromedp.CSS(ex+` .solve-check`), chromedp.NodeVisible))
	waitEval(t, b, `document.querySelector('`+ex+`').getAttribute("data-check") !== "running"`, "the solution's check")
	out = evalString(t, b, `document.querySelector('`+ex+` .solve-out').textContent`)
	if !strings.Contains(out, "checks pass. Well done!") || !strings.Contains(out, "== exercise 2 passes") {
		t.Errorf("the solution's check says:\n%s", out)
	}
	for _, p := range c.Exercise("pingpong").Edit {
		if got, err := s.Workspace.Read(s.Workspace.File(c.Exercise("pingpong"), p.Name)); err != nil || got != p.Code() {
			t.Errorf("the learner's %s in the workspace differs from what was typed (%v)", p.Name, err)
		}
	}
	if p, err := s.Workspace.Progress(); err != nil || p["02/pingpong"].Result != "passed" {
		t.Errorf("the progress make exercises reads: %+v (%v); want 02/pingpong passed", p["02/pingpong"], err)
	}
	waitEval(t, b, `document.querySelector('`+ex+` .solve-state').textContent.includes("passed")`, "the card's passed state")
	screenshot(t, b, "notebook-exercise", ex)
	b.Check(t)
}

func evalString(t *testing.T, b *browsertest.Browser, js string) string {
	t.Helper()
	s, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return s
}

// waitEval waits up to two minutes for js to be true.
func waitEval(t *testing.T, b *browsertest.Browser, js, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 2*time.Minute)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js)); err != nil {
		b.Check(t)
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

// selectText selects the first text in the editor of panel id, or all of
// it when text is "", and focuses the editor, so typing replaces it.
func selectText(t *testing.T, b *browsertest.Browser, id, text string) {
	t.Helper()
	js := fmt.Sprintf(`(() => {
		const ed = WorkshopNotebook.panels[%q].editor, doc = ed.value();
		const from = %q === "" ? 0 : doc.indexOf(%q), to = %q === "" ? doc.length : from + %d;
		if (from < 0) return false;
		ed.view.dispatch({selection: {anchor: from, head: to}});
		ed.view.focus();
		return true;
	})()`, id, text, text, text, len(text))
	if ok, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](js)); err != nil || !ok {
		t.Fatalf("selecting %q in the editor of %s: %v", text, id, err)
	}
}

// typeText types text into the focused editor, as the keyboard or a paste
// does.
func typeText(t *testing.T, b *browsertest.Browser, text string) {
	t.Helper()
	if _, err := chromedp.Call(b.Ctx, input.InsertText, input.InsertTextParams{Text: text}); err != nil {
		t.Fatalf("typing %q: %v", text, err)
	}
}
