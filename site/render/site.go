// Package render turns the workshop's chapters into a static web site.
//
// The site is rendered from the parsed model (chapters.Book), never from
// the Markdown text: each chapter's goldmark tree is rendered with goldmark's
// HTML renderer, and the fenced blocks that belong to the model are drawn
// from their chapters.Block, through the block templates:
//
//   - program blocks are highlighted with chroma (CSS classes); hidden blocks
//     are collapsed, and the whole program is one click away after its last
//     block;
//   - fragments are highlighted and marked as not runnable;
//   - diagrams are drawn as SVG with goat, and the text is kept;
//   - a scene shows its command lines and the transcript it last printed,
//     as a terminal with one colour per process, and how to run it;
//   - transcripts are drawn by their scene and print nothing of their own.
//
// The output is a flat folder: index.html, one NN-slug.html per chapter, and
// assets/ (one stylesheet, the page script, and the search index as a script
// so that search works from file://). Every link is relative and every asset
// is local, so the folder works opened from disk and offline.
//
// Raw HTML in chapter prose is not passed through (goldmark's default, which
// this package keeps); everything else reaches the page through html/template
// or goldmark's escaping.
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"testing/fstest"

	"github.com/yuin/goldmark/ast"
	"github.com/zmq-workshop/workshop/chapters"
)

// Options control how the site is rendered.
type Options struct {
	// Title names the workshop in page titles and the header.
	Title string
	// Live renders the controls of live mode (a Run button on each scene)
	// for a page served by the workshop's own server. The static site
	// leaves it false.
	Live bool
}

// DefaultTitle is the workshop's name when Options.Title is empty.
const DefaultTitle = "ZeroMQ workshop"

// A site holds what every page of one rendering shares.
type site struct {
	opt   Options
	book  *chapters.Book
	tmpl  *templates
	md    *markdown
	pages []*page
}

// A page is one chapter's page.
type page struct {
	Chapter   *chapters.Chapter
	File      string // 02-ping-pong.html
	Title     string // the chapter's title as plain text
	TitleHTML template.HTML
	Sections  []section
	Summary   string // the first paragraph as plain text, shortened
	Prev      *page
	Next      *page
	Programs  int // visible programs, for the index
	Scenes    int
	Exercises []indexExercise
	Body      template.HTML
}

// indexExercise is an exercise as the index lists it.
type indexExercise struct {
	Number int
	Title  string
	ID     string
}

// A section is a level-two heading in the sidebar.
type section struct {
	ID    string
	Title string // plain text: the sidebar shows no markup
}

// Render renders every chapter of book and returns the site's files, keyed
// by slash-separated paths (index.html, assets/style.css).
func Render(book *chapters.Book, opt Options) (fstest.MapFS, error) {
	if opt.Title == "" {
		opt.Title = DefaultTitle
	}
	t, err := loadTemplates()
	if err != nil {
		return nil, err
	}
	s := &site{opt: opt, book: book, tmpl: t}
	s.md = newMarkdown(s)
	for _, c := range book.Chapters {
		p := &page{Chapter: c, File: pageFile(c), Summary: summary(c), Programs: len(c.Programs), Scenes: len(c.Scenes)}
		for _, e := range c.Exercises {
			p.Exercises = append(p.Exercises, indexExercise{Number: e.Number, Title: e.Title, ID: "Exercise-" + e.Name})
		}
		if err := s.titles(p); err != nil {
			return nil, fmt.Errorf("%s: %w", c.Path, err)
		}
		if n := len(s.pages); n > 0 {
			p.Prev = s.pages[n-1]
			s.pages[n-1].Next = p
		}
		s.pages = append(s.pages, p)
	}

	out := fstest.MapFS{}
	for _, p := range s.pages {
		body, err := s.md.render(p.Chapter)
		if err != nil {
			return nil, err // names the chapter and line
		}
		p.Body = template.HTML(body)
		html, err := s.tmpl.page("chapter", s.data(p))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Chapter.Path, err)
		}
		out[p.File] = &fstest.MapFile{Data: html, Mode: 0o644}
	}
	html, err := s.tmpl.page("index", s.data(nil))
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	out["index.html"] = &fstest.MapFile{Data: html, Mode: 0o644}

	css, err := stylesheet()
	if err != nil {
		return nil, err
	}
	out["assets/style.css"] = &fstest.MapFile{Data: css, Mode: 0o644}
	assets := []string{"assets/site.js", "assets/favicon.svg"}
	if opt.Live {
		assets = append(assets, "assets/notebook.js")
	}
	for _, name := range assets {
		data, err := fs.ReadFile(content, name)
		if err != nil {
			return nil, err
		}
		out[name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	idx, err := searchIndex(s.pages)
	if err != nil {
		return nil, err
	}
	out["assets/search-index.js"] = &fstest.MapFile{Data: idx, Mode: 0o644}
	return out, nil
}

// WriteDir renders book into dir, creating it if needed. Files of an
// earlier rendering that the site no longer has are left alone.
func WriteDir(book *chapters.Book, dir string, opt Options) error {
	files, err := Render(book, opt)
	if err != nil {
		return err
	}
	return writeFiles(files, dir)
}

// writeFiles writes a rendered site into dir.
func writeFiles(files fstest.MapFS, dir string) error {
	return fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, files[name].Data, 0o644)
	})
}

// titles sets the page's titles from the chapter's headings, which may hold
// inline markup (`code`, *emphasis*): the page header shows it, and the
// sidebar and the window title show the plain text.
func (s *site) titles(p *page) error {
	c := p.Chapter
	p.Title, p.TitleHTML = c.Title, template.HTML(template.HTMLEscapeString(c.Title))
	ids := map[string]string{}
	for n := c.Doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		switch {
		case !ok:
		case s.md.titles[h]:
			p.Title = plainText(h, c.Source)
			html, err := s.md.inline(h, c.Source)
			if err != nil {
				return err
			}
			p.TitleHTML = template.HTML(html)
		case h.Level == 2:
			ids[headingID(h)] = plainText(h, c.Source)
		}
	}
	for _, sec := range c.Sections {
		title := ids[sec.ID]
		if title == "" {
			title = sec.Title
		}
		p.Sections = append(p.Sections, section{ID: sec.ID, Title: title})
	}
	return nil
}

// pageFile names a chapter's page: 02-ping-pong.html.
func pageFile(c *chapters.Chapter) string { return c.Slug + ".html" }

// pageData is what the page templates see.
type pageData struct {
	Title string // the workshop
	Live  bool
	Pages []*page
	Page  *page // nil on the index
}

// IsCurrent reports whether p is the page being rendered.
func (d *pageData) IsCurrent(p *page) bool { return d.Page == p }

func (s *site) data(p *page) *pageData {
	return &pageData{Title: s.opt.Title, Live: s.opt.Live, Pages: s.pages, Page: p}
}

// summary is the chapter's first paragraph as plain text, cut at a word
// boundary, for the index.
func summary(c *chapters.Chapter) string {
	for n := c.Doc.FirstChild(); n != nil; n = n.NextSibling() {
		if para, ok := n.(*ast.Paragraph); ok {
			return shorten(plainText(para, c.Source), 240)
		}
		if h, ok := n.(*ast.Heading); ok && h.Level == 2 {
			break
		}
	}
	return ""
}

// shorten cuts s to at most n bytes at a space, adding an ellipsis.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := bytes.LastIndexByte([]byte(s[:n]), ' ')
	if cut < n/2 {
		cut = n
	}
	return s[:cut] + " …"
}
