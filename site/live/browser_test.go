package live

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/learn"
	"github.com/zmq-workshop/workshop/runner/proctest"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/runner/scene"
	"github.com/zmq-workshop/workshop/site/browsertest"
)

// The live browser test serves the real chapters and drives headless
// chromium as a learner would: Run on a scene of chapter 02 shows its
// output as it arrives and the verdict; Stop on a long scene stops it, and
// no process of the scene is left. Any console error fails it. Like the
// static site's browser test (site/render), it skips without chromium
// unless CI is set.

// screenshot saves the element sel to testdata/out/NAME.png (or into
// $SITE_LIVE_SCREENSHOTS), to look at.
func screenshot(t *testing.T, b *browsertest.Browser, name, sel string) {
	t.Helper()
	dir := os.Getenv("SITE_LIVE_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("testdata", "out")
	}
	out := filepath.Join(dir, name+".png")
	png, err := chromedp.Run(b.Ctx, chromedp.Screenshot(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Errorf("screenshot of %s: %v", sel, err)
		return
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of %s: %s", sel, out)
}

// terminal is the text of a scene's live transcript.
func terminal(t *testing.T, b *browsertest.Browser, ref string) string {
	t.Helper()
	text, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`(document.querySelector('figure.scene[data-scene=%q] .transcript.live') || {textContent: ""}).textContent`, ref)))
	if err != nil {
		t.Fatalf("reading the terminal of %s: %v", ref, err)
	}
	return text
}

// waitState waits until the scene's figure is in state, and returns its
// live transcript.
func waitState(t *testing.T, b *browsertest.Browser, ref, state string, d time.Duration) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, d)
	defer cancel()
	sel := fmt.Sprintf(`figure.scene[data-scene=%q][data-state=%q]`, ref, state)
	if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS(sel))); err != nil {
		t.Fatalf("%s did not reach %s within %v: %v; its terminal:\n%s", ref, state, d, err, terminal(t, b, ref))
	}
	return terminal(t, b, ref)
}

// interpreted lists the processes the server started: interpreted
// programs re-execute this test binary with the interp subcommand.
func interpreted(t *testing.T) []string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return proctest.Processes(self + "\x00" + prog.InterpCommand + "\x00")
}

func TestBrowserLive(t *testing.T) {
	exe := browsertest.Chromium(t)
	book, err := chapters.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	c := book.Chapter(2)
	if c == nil || c.Scene("server-first") == nil || c.Scene("server-dies") == nil {
		t.Fatal("chapter 02 has no scenes server-first and server-dies to run")
	}
	s, srv := browserServer(t, book)
	defer srv.Close()
	defer s.Close()
	b := browsertest.Start(t, exe, 4*time.Minute)
	page := srv.URL + "/" + c.Slug + ".html"

	// The console watch must see an exception, or it could pass anything.
	b.Do(t, "open a failing page",
		chromedp.Navigate(`data:text/html,<p>broken</p><script>throw new Error("planted")</script>`),
		chromedp.WaitVisible(chromedp.CSS("p")))
	if !b.Saw("planted") {
		t.Fatal("the console watch missed an exception planted in a page")
	}

	b.Do(t, "open "+page,
		chromedp.Navigate(page+"?token="+s.Token),
		chromedp.WaitVisible(chromedp.CSS(`body[data-live] figure.scene[data-scene="02/server-first"] .run`)))
	b.Check(t)

	// Run: the output arrives, then the verdict.
	b.Do(t, "press Run on 02/server-first",
		chromedp.Click(chromedp.CSS(`figure.scene[data-scene="02/server-first"] .run`), chromedp.NodeVisible))
	out := waitState(t, b, "02/server-first", "passed", 2*time.Minute)
	for _, want := range []string{
		"$ start server",
		"server   | ready on tcp://*:5555",
		"client-1 : exit 0",
		"== matched the chapter's transcript",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the live terminal lacks %q:\n%s", want, out)
		}
	}
	colours, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('figure.scene[data-scene="02/server-first"] .transcript.live .proc')].map(p => p.textContent + " " + p.className)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(colours) == 0 || !contains(colours, "server proc c0") || !contains(colours, "client-1 proc c1") {
		t.Errorf("the processes' colours: %q; want server c0 and client-1 c1", colours)
	}
	screenshot(t, b, "live", `figure.scene[data-scene="02/server-first"]`)
	b.Check(t)

	// Stop: a long scene stops, and its processes are gone.
	b.Do(t, "press Run on 02/server-dies",
		chromedp.Click(chromedp.CSS(`figure.scene[data-scene="02/server-dies"] .run`), chromedp.NodeVisible))
	ctx, cancel := context.WithTimeout(b.Ctx, 2*time.Minute)
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](
		`document.querySelector('figure.scene[data-scene="02/server-dies"] .transcript.live').textContent.includes("ready on tcp://*:5555")`))
	cancel()
	if err != nil {
		t.Fatalf("02/server-dies printed no ready line: %v; its terminal:\n%s", err, terminal(t, b, "02/server-dies"))
	}
	if left := interpreted(t); len(left) == 0 {
		t.Fatalf("02/server-dies is running, but no process of it can be seen; the check for leftovers below could not fail")
	}
	b.Do(t, "press Stop on 02/server-dies",
		chromedp.Click(chromedp.CSS(`figure.scene[data-scene="02/server-dies"] .stop`), chromedp.NodeVisible))
	out = waitState(t, b, "02/server-dies", "stopped", 10*time.Second)
	if !strings.Contains(out, "== stopped: you pressed Stop; every process of the scene was stopped") {
		t.Errorf("the terminal does not say the run stopped:\n%s", out)
	}
	if left := interpreted(t); len(left) > 0 {
		t.Errorf("processes left after Stop: %q", left)
	}
	enabled, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](
		`!document.querySelector('figure.scene[data-scene="02/server-dies"] .run').disabled && document.querySelector('figure.scene[data-scene="02/server-dies"] .stop').hidden`))
	if err != nil || !enabled {
		t.Errorf("after the stop, Run is not enabled again or Stop still shows (%v)", err)
	}
	b.Check(t)
}

// browserServer serves book live for a browser test, interpreted, with the
// machine's endpoint locks (a runner check running at the same time takes
// turns with these runs) and a workspace of the test's own.
func browserServer(t *testing.T, book *chapters.Book) (*Server, *httptest.Server) {
	t.Helper()
	builder, err := prog.NewBuilder()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(book, prog.Interp, builder)
	if err != nil {
		t.Fatal(err)
	}
	s.Locks = scene.NewLocks()
	s.Locks.Notify = s.note
	s.Workspace = &learn.Workspace{Root: t.TempDir()}
	return s, httptest.NewServer(s)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
