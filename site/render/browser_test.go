package render

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/proctest"
)

// The browser test drives Debian's chromium, headless, through the site as
// a learner would: the index, a chapter, a collapsed block, the search box.
// Any console error or uncaught exception fails it. It saves screenshots of
// a chapter page, light and dark, to $SITE_SCREENSHOT (default
// testdata/out/chapter.png) and the same name with -dark.
//
// Without chromium the test skips, unless CI is set: in CI a missing
// browser is a failure, so that the test cannot pass by not running.

// chromium finds the browser, or skips or fails the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	msg := "chromium is not installed (apt-get install chromium), so the browser test cannot run"
	if os.Getenv("CI") != "" {
		t.Fatal(msg + "; CI is set, so this is a failure")
	}
	t.Skip(msg + "; set CI=true to make this a failure")
	return ""
}

// browser is one headless chromium with a fresh profile, and what its pages
// printed to the console.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	problems []string
}

// startBrowser starts chromium for the test; the browser is gone, and
// checked to be gone, when the test ends.
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
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
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
					b.problem("console: %v", err)
				}
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				b.problem("%s (%s:%d)", m, m.URL, m.Line+1)
			}
		}
	}()

	t.Cleanup(func() {
		stopConsole()
		<-done
		cancelBrowser()
		cancelAlloc() // waits for the browser to exit
		cancel()
		if left := processesUsing(profile); len(left) > 0 {
			t.Errorf("chromium processes left behind: %v", left)
		}
	})
	return b
}

func (b *browser) problem(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
}

// check fails the test for every console error so far.
func (b *browser) check(t *testing.T) {
	t.Helper()
	// A round trip, so that the messages of the last action have arrived.
	chromedp.Run(b.ctx, chromedp.Evaluate[bool]("true"))
	time.Sleep(100 * time.Millisecond)
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Errorf("browser console: %s", p)
	}
	b.problems = nil
}

// saw reports whether a console problem so far mentions text, and forgets
// the problems.
func (b *browser) saw(t *testing.T, text string) bool {
	t.Helper()
	for range 20 {
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

func (b *browser) do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.check(t)
		t.Fatalf("%s: %v", what, err)
	}
}

func run[T any](t *testing.T, b *browser, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		b.check(t)
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// processesUsing lists the processes whose command line names dir, on
// systems with /proc.
func processesUsing(dir string) []string { return proctest.Processes(dir) }

// tourChapter picks the chapter the test reads: the first with a collapsed
// program block, and a recorded transcript if one has.
func tourChapter(book *chapters.Book) (c *chapters.Chapter, collapsed string) {
	score := func(c *chapters.Chapter) int {
		s := 0
		for _, p := range c.Programs {
			if len(p.Blocks) > 1 || p.Blocks[0].Hidden {
				s = 1
			}
		}
		for _, sc := range c.Scenes {
			if s > 0 && sc.Transcript != nil {
				s = 2
			}
		}
		return s
	}
	for _, ch := range book.Chapters {
		if c == nil || score(ch) > score(c) {
			c = ch
		}
	}
	if c != nil && score(c) > 0 {
		return c, "article details.full-program, article details.hidden-code"
	}
	return c, "article details"
}

func TestBrowser(t *testing.T) {
	exe := chromium(t)
	book := realBook(t)
	chapter, collapsed := tourChapter(book)
	if chapter == nil || len(chapter.Sections) == 0 {
		t.Fatal("the workshop has no chapter with sections to read")
	}
	dir := t.TempDir()
	if err := WriteDir(book, dir, Options{}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	b := startBrowser(t, exe, 90*time.Second)
	file := pageFile(chapter)

	// The console watch must see an exception, or it could pass anything.
	b.do(t, "open a failing page",
		chromedp.Navigate(`data:text/html,<p>broken</p><script>throw new Error("planted")</script>`),
		chromedp.WaitVisible(chromedp.CSS("p")))
	if !b.saw(t, "planted") {
		t.Fatal("the console watch missed an exception planted in a page")
	}

	b.do(t, "open the index",
		chromedp.Navigate(srv.URL+"/index.html"),
		chromedp.WaitVisible(chromedp.CSS(".chapter-list .chapter-link")))
	if title := run(t, b, "read the title", chromedp.Title()); !strings.Contains(title, DefaultTitle) {
		t.Errorf("index title %q does not name the workshop", title)
	}
	b.check(t)

	b.do(t, "follow the link to "+file,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(".chapter-link[href=%q]", file)), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("article.chapter h1")))
	if loc := run(t, b, "read the location", chromedp.Location()); !strings.HasSuffix(loc, "/"+file) {
		t.Errorf("after following the link, the page is %s, want %s", loc, file)
	}
	b.check(t)

	b.do(t, "reveal a collapsed block",
		chromedp.Click(chromedp.CSS(collapsed+" > summary"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("article details[open] pre")))
	if open := run(t, b, "read the block", chromedp.Evaluate[bool](
		fmt.Sprintf(`document.querySelector(%q).open`, collapsed))); !open {
		t.Errorf("the block did not open")
	}
	b.check(t)

	// The copy button copies, or says how to copy where the clipboard is
	// refused; either way without an error.
	b.do(t, "press a copy button",
		chromedp.Click(chromedp.CSS("article .code .copy"), chromedp.NodeVisible),
		chromedp.Sleep(100*time.Millisecond))
	if label := run(t, b, "read the button", chromedp.Evaluate[string](
		`document.querySelector("article .code .copy").textContent`)); label != "Copied" && label != "Select and copy" {
		t.Errorf("after a click, the copy button says %q", label)
	}
	b.check(t)

	// Search for a section by its title; the result must lead there.
	sec := chapter.Sections[0]
	query := plainQuery(sec.Title)
	want := file + "#" + sec.ID
	b.do(t, "search for "+query,
		chromedp.SendKeys(chromedp.CSS("#search"), query),
		chromedp.WaitVisible(chromedp.CSS("#search-results a")))
	hrefs := run(t, b, "read the results", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("#search-results a")].map(a => a.getAttribute("href"))`))
	found := false
	for _, h := range hrefs {
		found = found || h == want
	}
	if !found {
		t.Fatalf("searching for %q found %q, not %s", query, hrefs, want)
	}
	b.do(t, "follow the result",
		chromedp.Click(chromedp.CSS(fmt.Sprintf("#search-results a[href=%q]", want)), chromedp.NodeVisible),
		chromedp.Sleep(200*time.Millisecond))
	if loc := run(t, b, "read the location", chromedp.Location()); !strings.HasSuffix(loc, "/"+want) {
		t.Errorf("after following the result, the page is %s, want %s", loc, want)
	}
	b.check(t)

	screenshots(t, b, srv.URL+"/"+file)
	b.check(t)

	// The same site opened from disk: the search index must load from
	// file:// too.
	b.do(t, "open the index from disk",
		chromedp.Navigate("file://"+filepath.ToSlash(filepath.Join(dir, "index.html"))),
		chromedp.WaitVisible(chromedp.CSS(".chapter-list")),
		chromedp.SendKeys(chromedp.CSS("#search"), query),
		chromedp.WaitVisible(chromedp.CSS("#search-results a")))
	b.check(t)
}

// plainQuery turns a section title into search words, leaving out
// punctuation the index would not match as typed.
func plainQuery(title string) string {
	return strings.Join(strings.FieldsFunc(title, func(r rune) bool {
		return strings.ContainsRune(" \t:,.;!?`*_()\"'", r)
	}), " ")
}

// screenshots saves the chapter page, in the light theme and in the dark.
func screenshots(t *testing.T, b *browser, url string) {
	t.Helper()
	out := os.Getenv("SITE_SCREENSHOT")
	if out == "" {
		out = filepath.Join("testdata", "out", "chapter.png")
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	dark := strings.TrimSuffix(out, filepath.Ext(out)) + "-dark" + filepath.Ext(out)
	for _, shot := range []struct{ scheme, path string }{{"light", out}, {"dark", dark}} {
		_, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: shot.scheme}},
		})
		if err != nil {
			t.Fatalf("emulating the %s theme: %v", shot.scheme, err)
		}
		b.do(t, "open "+url, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("article.chapter h1")))
		png := run(t, b, "take a screenshot", chromedp.FullScreenshot(100))
		if err := os.WriteFile(shot.path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot of %s (%s theme): %s", url, shot.scheme, shot.path)
	}
}
