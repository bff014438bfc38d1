package render

import (
	"fmt"
	"html"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

// TestLinks checks every internal link and anchor of the whole workshop,
// and of the sample chapters, which link to each other.
func TestLinks(t *testing.T) {
	for name, book := range map[string]func(testing.TB) fstest.MapFS{
		"workshop": func(t testing.TB) fstest.MapFS {
			files, err := Render(realBook(t), Options{})
			if err != nil {
				t.Fatal(err)
			}
			return files
		},
		"sample": renderSample,
	} {
		t.Run(name, func(t *testing.T) {
			files := book(t)
			n, errs := checkLinks(files)
			for _, err := range errs {
				t.Error(err)
			}
			if n == 0 {
				t.Errorf("found no internal links to check")
			}
			t.Logf("%d internal links resolve", n)
		})
	}
}

// TestLinksFail keeps the link checker honest: a missing page, a missing
// anchor on this page and on another must each be reported.
func TestLinksFail(t *testing.T) {
	files := fstest.MapFS{
		"index.html": {Data: []byte(`<a href="a.html#here">ok</a> <a href="missing.html">x</a> <a href="#nowhere">x</a> <a href="a.html#gone">x</a> <script src="assets/gone.js"></script>`)},
		"a.html":     {Data: []byte(`<h2 id="here">Here</h2><a href="https://example.com/">out</a>`)},
	}
	n, errs := checkLinks(files)
	if len(errs) != 4 || n != 5 {
		t.Errorf("checkLinks checked %d links and reported %d errors, want 5 and 4: %v", n, len(errs), errs)
	}
}

var (
	idAttr   = regexp.MustCompile(`\sid="([^"]*)"`)
	linkAttr = regexp.MustCompile(`\s(?:href|src)="([^"]*)"`)
)

// checkLinks resolves every relative href and src of the site's pages
// against the site's files, and every #fragment against the ids of its
// page. It returns the number of links checked and what did not resolve.
func checkLinks(files fstest.MapFS) (int, []error) {
	ids := map[string]map[string]bool{}
	var pages []string
	for name, f := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages = append(pages, name)
		ids[name] = map[string]bool{}
		for _, m := range idAttr.FindAllStringSubmatch(string(f.Data), -1) {
			id := html.UnescapeString(m[1])
			if ids[name][id] {
				// A duplicate id makes one of its links ambiguous.
				ids[name]["\x00dup "+id] = true
			}
			ids[name][id] = true
		}
	}
	sort.Strings(pages)
	var errs []error
	n := 0
	for _, name := range pages {
		for id := range ids[name] {
			if strings.HasPrefix(id, "\x00dup ") {
				errs = append(errs, fmt.Errorf("%s: id %q is used twice", name, strings.TrimPrefix(id, "\x00dup ")))
			}
		}
		for _, m := range linkAttr.FindAllStringSubmatch(string(files[name].Data), -1) {
			link := html.UnescapeString(m[1])
			if strings.HasPrefix(link, "http://") || strings.HasPrefix(link, "https://") || strings.HasPrefix(link, "mailto:") {
				continue
			}
			n++
			file, frag, _ := strings.Cut(link, "#")
			target := name
			if file != "" {
				target = path.Join(path.Dir(name), file)
			}
			switch {
			case link == "" || strings.Contains(file, ":"):
				errs = append(errs, fmt.Errorf("%s: link %q is neither relative nor to the web", name, link))
			case files[target] == nil:
				errs = append(errs, fmt.Errorf("%s: link %q: no file %s", name, link, target))
			case frag != "" && !ids[target][frag]:
				errs = append(errs, fmt.Errorf("%s: link %q: %s has no id %q", name, link, target, frag))
			}
		}
	}
	return n, errs
}
