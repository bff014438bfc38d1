// Package browsertest drives Debian's headless Chromium for the site's
// tests, and fails a test on any console error of its pages.
//
// Without chromium a test skips, unless CI is set: in CI a missing browser
// is a failure, so that the test cannot pass by not running.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/zmq-workshop/workshop/runner/proctest"
)

// Chromium finds the browser, or skips or fails the test.
func Chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	msg := "chromium is not installed (apt-get install chromium, or make browser-deps), so the browser test cannot run"
	if os.Getenv("CI") != "" {
		t.Fatal(msg + "; CI is set, so this is a failure")
	}
	t.Skip(msg + "; set CI=true to make this a failure")
	return ""
}

// A Browser is one headless chromium with a fresh profile, and what its
// pages printed to the console.
type Browser struct {
	Ctx context.Context

	mu       sync.Mutex
	problems []string
}

// Start starts chromium for the test, bounded by timeout; the browser is
// gone, and checked to be gone, when the test ends.
func Start(t *testing.T, exe string, timeout time.Duration) *Browser {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		// This machine has no network: keep chromium from trying.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	b := &Browser{Ctx: bctx}

	consoleCtx, stopConsole := context.WithCancel(bctx)
	messages := chromedp.Console(consoleCtx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
					b.Problem("console: %v", err)
				}
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				b.Problem("%s (%s:%d)", m, m.URL, m.Line+1)
			}
		}
	}()

	t.Cleanup(func() {
		stopConsole()
		<-done
		cancelBrowser()
		cancelAlloc() // waits for the browser to exit
		cancel()
		if left := proctest.Processes(profile); len(left) > 0 {
			t.Errorf("chromium processes left behind: %v", left)
		}
	})
	return b
}

// Problem records a console problem.
func (b *Browser) Problem(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
}

// Check fails the test for every console problem so far.
func (b *Browser) Check(t *testing.T) {
	t.Helper()
	// A round trip, so that the messages of the last action have arrived.
	chromedp.Run(b.Ctx, chromedp.Evaluate[bool]("true"))
	time.Sleep(100 * time.Millisecond)
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Errorf("browser console: %s", p)
	}
	b.problems = nil
}

// Saw reports whether a console problem so far mentions text, waiting up
// to two seconds for it, and forgets the problems. Tests use it to prove
// that the console watch works.
func (b *Browser) Saw(text string) bool {
	for range 40 {
		chromedp.Run(b.Ctx, chromedp.Evaluate[bool]("true"))
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

// Do runs actions, failing the test (with the console's problems) if one
// fails.
func (b *Browser) Do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.Ctx, actions...); err != nil {
		b.Check(t)
		t.Fatalf("%s: %v", what, err)
	}
}
