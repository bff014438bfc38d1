package chapters

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Load parses every chapter file (NN-slug.md) in fsys and numbers the
// exercises of the workshop. Paths in diagnostics are prefixed with dir
// ("chapters").
func Load(fsys fs.FS, dir string) (*Book, error) {
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	b := &Book{}
	var errs []error
	for _, name := range names {
		if !fileRE.MatchString(name) {
			continue
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		c, err := Parse(path.Join(dir, name), src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if prev := b.Chapter(c.Number); prev != nil {
			errs = append(errs, fmt.Errorf("%s:1: chapter number %d is also used by %s", c.Path, c.Number, prev.Path))
			continue
		}
		b.Chapters = append(b.Chapters, c)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for i, e := range b.Exercises() {
		e.Number = i + 1
	}
	return b, nil
}

var fileRE = regexp.MustCompile(`^(\d\d)-([a-z0-9-]+)\.md$`)

// Extensions are the Markdown extensions the chapters are written with
// (GitHub's tables and strikethrough): the parser reads them, and a renderer
// of the chapters' trees must draw them.
func Extensions() []goldmark.Extender {
	return []goldmark.Extender{extension.Table, extension.Strikethrough}
}

var md = goldmark.New(
	goldmark.WithExtensions(Extensions()...),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
)

// Parse parses one chapter; path is the name diagnostics use
// (chapters/02-ping-pong.md). Its exercises are numbered by Load, which
// sees the whole workshop.
func Parse(path string, src []byte) (*Chapter, error) {
	m := fileRE.FindStringSubmatch(pathBase(path))
	if m == nil {
		return nil, fmt.Errorf("%s:1: chapter files are named NN-slug.md, such as 02-ping-pong.md", path)
	}
	n, _ := strconv.Atoi(m[1])
	c := &Chapter{Number: n, Slug: strings.TrimSuffix(pathBase(path), ".md"), Path: path, Source: src}
	p := &parse{c: c, lines: lineStarts(src), badNames: map[string]bool{}}
	c.Doc = md.Parser().Parse(text.NewReader(src))
	ast.Walk(c.Doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch node := node.(type) {
		case *ast.Heading:
			p.heading(node)
		case *ast.FencedCodeBlock:
			p.fence(node)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	p.finish()
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].line < p.errs[j].line })
		errs := make([]error, len(p.errs))
		for i, e := range p.errs {
			errs[i] = e
		}
		return nil, errors.Join(errs...)
	}
	return c, nil
}

func pathBase(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

// A lineError is a diagnostic that names a chapter line:
// chapters/02-ping-pong.md:41: unknown attribute "rnu".
type lineError struct {
	path string
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("%s:%d: %v", e.path, e.line, e.err) }
func (e *lineError) Unwrap() error { return e.err }

// lineErr returns an error at a chapter line; %w in format wraps.
func lineErr(c *Chapter, line int, format string, args ...any) error {
	return &lineError{path: c.Path, line: line, err: fmt.Errorf(format, args...)}
}

// A parse is the state of one chapter's parse.
type parse struct {
	c     *Chapter
	lines []int // offsets of line starts
	errs  []*lineError
	last  *Block // the previous block with a role, for transcripts
	// prevFence is the previous fenced block, with a role or not.
	prevFence struct {
		end int  // its closing line
		bad bool // it was in error
	}
	// badNames are the names given on fences that were in error: what
	// refers to them is not reported again.
	badNames map[string]bool

	starters []starterBlock
}

// add records an error, one a line: the first problem of a line is the one
// reported, and what follows from it is not.
func (p *parse) add(err error) {
	var le *lineError
	if !errors.As(err, &le) {
		le = &lineError{path: p.c.Path, line: 1, err: err}
	}
	for _, e := range p.errs {
		if e.line == le.line {
			return
		}
	}
	p.errs = append(p.errs, le)
}

func (p *parse) errorf(line int, format string, args ...any) {
	p.add(lineErr(p.c, line, format, args...))
}

func (p *parse) heading(h *ast.Heading) {
	lines := h.Lines()
	if lines.Len() == 0 {
		return
	}
	title := string(lines.Value(p.c.Source))
	line := p.lineOf(lines.At(0).Start)
	switch h.Level {
	case 1:
		if p.c.Title == "" {
			p.c.Title = strings.TrimSpace(title)
		}
	case 2:
		id, _ := h.AttributeString("id")
		idb, _ := id.([]byte)
		p.c.Sections = append(p.c.Sections, Section{Title: strings.TrimSpace(title), ID: string(idb), Line: line})
	}
}

// finish checks what needs the whole chapter: exercises and their
// programs, every program's main, and the scenes' scripts.
func (p *parse) finish() {
	c := p.c
	if c.Title == "" {
		p.errorf(1, "a chapter needs a title: a first line such as # Ping-pong")
	}
	p.resolveExercises()
	progs := append([]*Program(nil), c.Programs...)
	for _, e := range c.Exercises {
		progs = append(progs, e.Starters...)
	}
	for _, prog := range progs {
		p.checkMain(prog)
	}
	for _, s := range c.Scenes {
		if err := parseScript(c, s, s.Block.Code, s.Block.CodeLine()); err != nil {
			p.add(err)
		}
	}
}
