package live

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/proctest"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/runner/scene"
)

// The live browser test serves the real chapters and drives headless
// chromium as a learner would: Run on a scene of chapter 02 shows its
// output as it arrives and the verdict; Stop on a long scene stops it, and
// no process of the scene is left. Any console error fails it. Like the
// static site's browser test (site/render), it skips without chromium
// unless CI is set.

func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	msg := "chromium is not installed (apt-get install chromium), so the live browser test cannot run"
	if os.Getenv("CI") != "" {
		t.Fatal(msg + "; CI is set, so this is a failure")
	}
	t.Skip(msg + "; set CI=true to make this a failure")
	return ""
}

// A browser is a headless chromium and the console errors of its pages.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	problems []string
}

func startBrowser(t *testing.T, exe string, timeout time.Duration) *browser {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	b := &browser{ctx: bctx}
	consoleCtx, stopConsole := context.WithCancel(bctx)
	messages := chromedp.Console(consoleCtx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
					b.problem(fmt.Sprintf("console: %v", err))
				}
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				b.problem(fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
			}
		}
	}()
	t.Cleanup(func() {
		stopConsole()
		<-done
		cancelBrowser()
		cancelAlloc()
		cancel()
	})
	return b
}

func (b *browser) problem(p string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, p)
}

// saw reports whether a console problem so far mentions text, and forgets
// the problems.
func (b *browser) saw(text string) bool {
	for range 40 {
		chromedp.Run(b.ctx, chromedp.Evaluate[bool]("true"))
		b.mu.Lock()
		for _, p := range b.problems {
			if strings.Contains(p, text) {
				b.problems = nil
				b.mu.Unlock()
				return true
			}
		}
		b.mu.Unlock()
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// screenshot saves the element sel to $SITE_LIVE_SCREENSHOT (default
// testdata/out/live.png), to look at.
func screenshot(t *testing.T, b *browser, sel string) {
	t.Helper()
	out := os.Getenv("SITE_LIVE_SCREENSHOT")
	if out == "" {
		out = filepath.Join("testdata", "out", "live.png")
	}
	png, err := chromedp.Run(b.ctx, chromedp.Screenshot(chromedp.CSS(sel), chromedp.NodeVisible))
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
	t.Logf("screenshot of the live scene: %s", out)
}

// check fails the test for every console error so far.
func (b *browser) check(t *testing.T) {
	t.Helper()
	chromedp.Run(b.ctx, chromedp.Evaluate[bool]("true"))
	time.Sleep(100 * time.Millisecond)
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Errorf("browser console: %s", p)
	}
	b.problems = nil
}

func (b *browser) do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.check(t)
		t.Fatalf("%s: %v", what, err)
	}
}

// terminal is the text of a scene's live transcript.
func (b *browser) terminal(t *testing.T, ref string) string {
	t.Helper()
	text, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`(document.querySelector('figure.scene[data-scene=%q] .transcript.live') || {textContent: ""}).textContent`, ref)))
	if err != nil {
		t.Fatalf("reading the terminal of %s: %v", ref, err)
	}
	return text
}

// waitState waits until the scene's figure is in state, and returns its
// live transcript.
func (b *browser) waitState(t *testing.T, ref, state string, d time.Duration) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, d)
	defer cancel()
	sel := fmt.Sprintf(`figure.scene[data-scene=%q][data-state=%q]`, ref, state)
	if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS(sel))); err != nil {
		t.Fatalf("%s did not reach %s within %v: %v; its terminal:\n%s", ref, state, d, err, b.terminal(t, ref))
	}
	return b.terminal(t, ref)
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
	exe := chromium(t)
	book, err := chapters.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	c := book.Chapter(2)
	if c == nil || c.Scene("server-first") == nil || c.Scene("server-dies") == nil {
		t.Fatal("chapter 02 has no scenes server-first and server-dies to run")
	}
	builder, err := prog.NewBuilder()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(book, prog.Interp, builder)
	if err != nil {
		t.Fatal(err)
	}
	// The machine's endpoint locks: a runner check running at the same
	// time takes turns with these runs.
	s.Locks = scene.NewLocks()
	s.Locks.Notify = s.note
	srv := httptest.NewServer(s)
	defer srv.Close()
	defer s.Close()
	b := startBrowser(t, exe, 4*time.Minute)
	page := srv.URL + "/" + c.Slug + ".html"

	// The console watch must see an exception, or it could pass anything.
	b.do(t, "open a failing page",
		chromedp.Navigate(`data:text/html,<p>broken</p><script>throw new Error("planted")</script>`),
		chromedp.WaitVisible(chromedp.CSS("p")))
	if !b.saw("planted") {
		t.Fatal("the console watch missed an exception planted in a page")
	}

	b.do(t, "open "+page,
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS(`body[data-live] figure.scene[data-scene="02/server-first"] .run`)))
	b.check(t)

	// Run: the output arrives, then the verdict.
	b.do(t, "press Run on 02/server-first",
		chromedp.Click(chromedp.CSS(`figure.scene[data-scene="02/server-first"] .run`), chromedp.NodeVisible))
	out := b.waitState(t, "02/server-first", "passed", 2*time.Minute)
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
	colours, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('figure.scene[data-scene="02/server-first"] .transcript.live .proc')].map(p => p.textContent + " " + p.className)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(colours) == 0 || !contains(colours, "server proc c0") || !contains(colours, "client-1 proc c1") {
		t.Errorf("the processes' colours: %q; want server c0 and client-1 c1", colours)
	}
	screenshot(t, b, `figure.scene[data-scene="02/server-first"]`)
	b.check(t)

	// Stop: a long scene stops, and its processes are gone.
	b.do(t, "press Run on 02/server-dies",
		chromedp.Click(chromedp.CSS(`figure.scene[data-scene="02/server-dies"] .run`), chromedp.NodeVisible))
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Minute)
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](
		`document.querySelector('figure.scene[data-scene="02/server-dies"] .transcript.live').textContent.includes("ready on tcp://*:5555")`))
	cancel()
	if err != nil {
		t.Fatalf("02/server-dies printed no ready line: %v; its terminal:\n%s", err, b.terminal(t, "02/server-dies"))
	}
	if left := interpreted(t); len(left) == 0 {
		t.Fatalf("02/server-dies is running, but no process of it can be seen; the check for leftovers below could not fail")
	}
	b.do(t, "press Stop on 02/server-dies",
		chromedp.Click(chromedp.CSS(`figure.scene[data-scene="02/server-dies"] .stop`), chromedp.NodeVisible))
	out = b.waitState(t, "02/server-dies", "stopped", 10*time.Second)
	if !strings.Contains(out, "== stopped: you pressed Stop; every process of the scene was stopped") {
		t.Errorf("the terminal does not say the run stopped:\n%s", out)
	}
	if left := interpreted(t); len(left) > 0 {
		t.Errorf("processes left after Stop: %q", left)
	}
	enabled, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](
		`!document.querySelector('figure.scene[data-scene="02/server-dies"] .run').disabled && document.querySelector('figure.scene[data-scene="02/server-dies"] .stop').hidden`))
	if err != nil || !enabled {
		t.Errorf("after the stop, Run is not enabled again or Stop still shows (%v)", err)
	}
	b.check(t)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
