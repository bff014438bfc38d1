package render

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/zmq-workshop/workshop/chapters"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// sampleBook parses the test chapters in testdata: 01-sample.md uses every
// kind of block, and 02-next.md is there to be linked to.
func sampleBook(t testing.TB) *chapters.Book {
	t.Helper()
	book, err := chapters.Load(os.DirFS("testdata"), "site/render/testdata")
	if err != nil || len(book.Chapters) == 0 {
		t.Fatalf("no test chapters in testdata: %v", err)
	}
	return book
}

func renderSample(t testing.TB) fstest.MapFS {
	t.Helper()
	files, err := Render(sampleBook(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// realBook is the workshop's own chapters.
func realBook(t testing.TB) *chapters.Book {
	t.Helper()
	book, err := chapters.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	return book
}

func TestGolden(t *testing.T) {
	files := renderSample(t)
	for _, name := range []string{"01-sample.html", "index.html"} {
		t.Run(name, func(t *testing.T) {
			f := files[name]
			if f == nil {
				t.Fatalf("the site has no %s", name)
			}
			golden := filepath.Join("testdata", "golden", name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./site/... -update to create it)", err)
			}
			if !bytes.Equal(f.Data, want) {
				t.Errorf("%s differs from %s; if the change is intended, run go test ./site/... -update\n%s",
					name, golden, firstDiff(string(want), string(f.Data)))
			}
		})
	}
}

// firstDiff shows the first line where got differs from want.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return ""
}

func itoa(n int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
		if n == 0 {
			return string(b)
		}
	}
}

// TestEscaped checks that the raw HTML and scripts of the sample chapter,
// in its prose and in a transcript, reach the page as text or not at all.
func TestEscaped(t *testing.T) {
	files := renderSample(t)
	page := string(files["01-sample.html"].Data)
	if bad := rawMarkup(page); len(bad) > 0 {
		t.Errorf("the sample page carries raw markup from the chapter: %q", bad)
	}
	for _, want := range []string{
		`<span class="text">&lt;script&gt;alert(&#34;transcript&#34;)&lt;/script&gt;</span>`, // the transcript, as text
		`<!-- raw HTML omitted -->`, // goldmark's placeholder for raw HTML in prose
		`&lt;b&gt;not bold&lt;/b&gt; &amp; not a model block`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the sample page lacks %s", want)
		}
	}
	idx := string(files["assets/search-index.js"].Data)
	if strings.Contains(idx, "</script") || strings.Contains(idx, "<b>") {
		t.Errorf("the search index carries raw markup")
	}
}

// rawMarkup returns the markup from the sample chapter that must not appear
// unescaped in a page.
func rawMarkup(page string) []string {
	var bad []string
	for _, s := range []string{`<script>alert`, `onclick=`, `<div onclick`, `<b>`, `<em>`, `<tty>`} {
		if strings.Contains(page, s) {
			bad = append(bad, s)
		}
	}
	return bad
}

// TestRawMarkupFails keeps the escaping check honest: it must find markup
// where there is some.
func TestRawMarkupFails(t *testing.T) {
	if bad := rawMarkup(`<p>x</p><script>alert(1)</script><div onclick="x">`); len(bad) != 3 {
		t.Errorf("rawMarkup found %q, want three findings", bad)
	}
}

func TestBlocks(t *testing.T) {
	page := string(renderSample(t)["01-sample.html"].Data)
	for _, want := range []string{
		`<details class="hidden-code" id="L`,              // the hidden imports, collapsed
		`<details class="full-program">`,                  // the whole program after its last block
		`<span class="badge"`,                             // the fragment's "not runnable"
		`<svg class="diagram"`,                            // the drawn diagram
		`<details class="diagram-text">`,                  // and its text
		`<span class="proc c0">echo-1</span>`,             // one colour per process
		`<span class="proc c1">echo-2</span>`,             //
		`<span class="tl status fail">`,                   // exit 3
		`run it: <code>make chapter-1</code>`,             // how to run the scene
		`<p class="no-transcript">`,                       // the scene never recorded
		`<a href="02-next.html#the-end">the next chapter`, // chapter links point at pages
		`<span class="cmd">start</span>`,                  // the scene's commands
		`<span class="comment"># both end</span>`,         //
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the sample page lacks %s", want)
		}
	}
	if strings.Contains(page, `class="run"`) {
		t.Errorf("the static page has a Run button")
	}
	live, err := Render(sampleBook(t), Options{Live: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(live["01-sample.html"].Data), `<button type="button" class="run" data-scene="01/twice">Run</button>`) {
		t.Errorf("the live page has no Run button")
	}
}

func TestAssetsLocal(t *testing.T) {
	files, err := Render(realBook(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range files {
		for _, attr := range []string{`src="http`, `src="//`, `rel="stylesheet" href="http`, `@import`, `url(http`} {
			if bytes.Contains(f.Data, []byte(attr)) {
				t.Errorf("%s loads something from the network: %s", name, attr)
			}
		}
	}
}

// TestRenderTime holds rendering the whole workshop under a second, the
// bound of make site. The best of three runs is taken, so that a busy
// machine does not fail it by accident.
// BenchmarkRender measures the render of the whole workshop; the target is
// under a second (make bench reports it). Tests assert no timings.
func BenchmarkRender(b *testing.B) {
	book := realBook(b)
	for b.Loop() {
		if _, err := Render(book, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// writeSite writes a rendered site into a directory.
func writeSite(t testing.TB, files fstest.MapFS, dir string) {
	t.Helper()
	if err := writeFiles(files, dir); err != nil {
		t.Fatal(err)
	}
}
