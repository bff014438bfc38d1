package render

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/site/browsertest"
)

// The browser test drives Debian's chromium, headless, through the site as
// a learner would: the index, a chapter, a collapsed block, the search box.
// Any console error or uncaught exception fails it. It saves screenshots of
// a chapter page, light and dark, to $SITE_SCREENSHOT (default
// testdata/out/chapter.png) and the same name with -dark.
//
// Without chromium the test skips, unless CI is set: in CI a missing
// browser is a failure, so that the test cannot pass by not running.

func run[T any](t *testing.T, b *browsertest.Browser, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(b.Ctx, a)
	if err != nil {
		b.Check(t)
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

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
	exe := browsertest.Chromium(t)
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
	b := browsertest.Start(t, exe, 90*time.Second)
	file := pageFile(chapter)

	// The console watch must see an exception, or it could pass anything.
	b.Do(t, "open a failing page",
		chromedp.Navigate(`data:text/html,<p>broken</p><script>throw new Error("planted")</script>`),
		chromedp.WaitVisible(chromedp.CSS("p")))
	if !b.Saw("planted") {
		t.Fatal("the console watch missed an exception planted in a page")
	}

	b.Do(t, "open the index",
		chromedp.Navigate(srv.URL+"/index.html"),
		chromedp.WaitVisible(chromedp.CSS(".chapter-list .chapter-link")))
	if title := run(t, b, "read the title", chromedp.Title()); !strings.Contains(title, DefaultTitle) {
		t.Errorf("index title %q does not name the workshop", title)
	}
	b.Check(t)

	b.Do(t, "follow the link to "+file,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(".chapter-link[href=%q]", file)), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("article.chapter h1")))
	if loc := run(t, b, "read the location", chromedp.Location()); !strings.HasSuffix(loc, "/"+file) {
		t.Errorf("after following the link, the page is %s, want %s", loc, file)
	}
	b.Check(t)

	b.Do(t, "reveal a collapsed block",
		chromedp.Click(chromedp.CSS(collapsed+" > summary"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("article details[open] pre")))
	if open := run(t, b, "read the block", chromedp.Evaluate[bool](
		fmt.Sprintf(`document.querySelector(%q).open`, collapsed))); !open {
		t.Errorf("the block did not open")
	}
	b.Check(t)

	// The copy button copies, or says how to copy where the clipboard is
	// refused; either way without an error.
	b.Do(t, "press a copy button",
		chromedp.Click(chromedp.CSS("article .code .copy"), chromedp.NodeVisible),
		chromedp.Sleep(100*time.Millisecond))
	if label := run(t, b, "read the button", chromedp.Evaluate[string](
		`document.querySelector("article .code .copy").textContent`)); label != "Copied" && label != "Select and copy" {
		t.Errorf("after a click, the copy button says %q", label)
	}
	b.Check(t)

	// Search for a section by its title; the result must lead there.
	sec := chapter.Sections[0]
	query := plainQuery(sec.Title)
	want := file + "#" + sec.ID
	b.Do(t, "search for "+query,
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
	b.Do(t, "follow the result",
		chromedp.Click(chromedp.CSS(fmt.Sprintf("#search-results a[href=%q]", want)), chromedp.NodeVisible),
		chromedp.Sleep(200*time.Millisecond))
	if loc := run(t, b, "read the location", chromedp.Location()); !strings.HasSuffix(loc, "/"+want) {
		t.Errorf("after following the result, the page is %s, want %s", loc, want)
	}
	b.Check(t)

	screenshots(t, b, srv.URL+"/"+file)
	b.Check(t)

	// The same site opened from disk: the search index must load from
	// file:// too.
	b.Do(t, "open the index from disk",
		chromedp.Navigate("file://"+filepath.ToSlash(filepath.Join(dir, "index.html"))),
		chromedp.WaitVisible(chromedp.CSS(".chapter-list")),
		chromedp.SendKeys(chromedp.CSS("#search"), query),
		chromedp.WaitVisible(chromedp.CSS("#search-results a")))
	b.Check(t)
}

// plainQuery turns a section title into search words, leaving out
// punctuation the index would not match as typed.
func plainQuery(title string) string {
	return strings.Join(strings.FieldsFunc(title, func(r rune) bool {
		return strings.ContainsRune(" \t:,.;!?`*_()\"'", r)
	}), " ")
}

// screenshots saves the chapter page, in the light theme and in the dark.
func screenshots(t *testing.T, b *browsertest.Browser, url string) {
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
		_, err := chromedp.Call(b.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: shot.scheme}},
		})
		if err != nil {
			t.Fatalf("emulating the %s theme: %v", shot.scheme, err)
		}
		b.Do(t, "open "+url, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("article.chapter h1")))
		png := run(t, b, "take a screenshot", chromedp.FullScreenshot(100))
		if err := os.WriteFile(shot.path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot of %s (%s theme): %s", url, shot.scheme, shot.path)
	}
}
