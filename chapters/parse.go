package chapters

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Load parses every chapter file (NN-slug.md) in fsys. Paths in diagnostics
// are prefixed with dir ("chapters").
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
	return b, nil
}

var fileRE = regexp.MustCompile(`^(\d\d)-([a-z0-9-]+)\.md$`)

// md is the one Markdown configuration of the workshop: the site renders
// the same tree.
var md = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
)

// Markdown returns the goldmark instance used to parse chapters, so that
// renderers share its configuration.
func Markdown() goldmark.Markdown { return md }

// ErrorList is the errors of one chapter, each naming a line.
type ErrorList []error

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Parse parses one chapter; path is the name diagnostics use
// (chapters/02-ping-pong.md).
func Parse(path string, src []byte) (*Chapter, error) {
	m := fileRE.FindStringSubmatch(pathBase(path))
	if m == nil {
		return nil, fmt.Errorf("%s:1: chapter files are named NN-slug.md, such as 02-ping-pong.md", path)
	}
	n, _ := strconv.Atoi(m[1])
	c := &Chapter{Number: n, Slug: strings.TrimSuffix(pathBase(path), ".md"), Path: path, Source: src}
	p := &parse{c: c, lines: lineStarts(src)}
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
		var l ErrorList
		for _, e := range p.errs {
			l = append(l, e)
		}
		return nil, l
	}
	return c, nil
}

func pathBase(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

// A LineError is a diagnostic that names a chapter line.
type LineError struct {
	Path string
	line int
	Msg  string
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.Path, e.line, e.Msg) }

// Line is the chapter line the error is about.
func (e *LineError) Line() int { return e.line }

func lineErr(c *Chapter, line int, format string, args ...any) *LineError {
	return &LineError{Path: c.Path, line: line, Msg: fmt.Sprintf(format, args...)}
}

type parse struct {
	c     *Chapter
	lines []int // offsets of line starts
	errs  []*LineError
	last  *Block // the previous block with a role, for transcripts

	starters []starterBlock
}

func (p *parse) errorf(line int, format string, args ...any) {
	p.errs = append(p.errs, lineErr(p.c, line, format, args...))
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, ch := range src {
		if ch == '\n' && i+1 < len(src) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOf returns the 1-based line of a byte offset.
func (p *parse) lineOf(off int) int {
	return sort.Search(len(p.lines), func(i int) bool { return p.lines[i] > off })
}

func (p *parse) lineText(line int) string {
	if line < 1 || line > len(p.lines) {
		return ""
	}
	start, end := p.lines[line-1], len(p.c.Source)
	if line < len(p.lines) {
		end = p.lines[line]
	}
	return strings.TrimRight(string(p.c.Source[start:end]), "\r\n")
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

// fenceLines finds the lines of a fence's opening and closing; closing is 0
// when the fence is never closed.
func (p *parse) fenceLines(f *ast.FencedCodeBlock) (open, close int, fence string) {
	lines := f.Lines()
	switch {
	case f.Info != nil:
		open = p.lineOf(f.Info.Segment.Start)
	case lines.Len() > 0:
		open = p.lineOf(lines.At(0).Start) - 1
	default:
		// An empty fence without info: find it by the node's position.
		open = p.lineOf(f.Pos())
	}
	first := strings.TrimLeft(p.lineText(open), " \t>-*+0123456789.")
	n := len(first) - len(strings.TrimLeft(first, string(first[0:1])))
	fence = first[:n]
	next := open + 1
	if lines.Len() > 0 {
		next = p.lineOf(lines.At(lines.Len()-1).Start) + 1
	}
	closing := strings.TrimSpace(strings.TrimLeft(p.lineText(next), " \t>"))
	if next <= len(p.lines) && strings.HasPrefix(closing, fence) && strings.Trim(closing, fence[:1]) == "" {
		close = next
	}
	return open, close, fence
}

var attrKeys = map[Role][]string{
	RoleProgram:    {"program", "hidden", "starter", "solution"},
	RoleFragment:   {"fragment"},
	RoleDiagram:    {},
	RoleScene:      {"name", "timeout", "serial"},
	RoleTranscript: {},
	RoleExercise:   {"name"},
}

func (p *parse) fence(f *ast.FencedCodeBlock) {
	open, close, _ := p.fenceLines(f)
	if close == 0 {
		p.errorf(open, "code fence is never closed")
		return
	}
	var info string
	if f.Info != nil {
		info = string(f.Info.Segment.Value(p.c.Source))
	}
	words := strings.Fields(info)
	if len(words) == 0 {
		return
	}
	lang, attrs, err := parseAttrs(words)
	if err != nil {
		p.errorf(open, "%v", err)
		return
	}
	var role Role
	switch lang {
	case "go":
		switch {
		case attrs["program"] != "":
			role = RoleProgram
		case hasKey(attrs, "fragment"):
			role = RoleFragment
		default:
			p.errorf(open, "a go block needs program=NAME (code that runs) or fragment (code shown, not run)")
			return
		}
	case "diagram":
		role = RoleDiagram
	case "scene":
		role = RoleScene
	case "transcript":
		role = RoleTranscript
	case "exercise":
		role = RoleExercise
	default:
		if len(attrs) > 0 {
			p.errorf(open, "attributes on a %s block mean nothing to the workshop; roles are go, diagram, scene and transcript", lang)
		}
		return
	}
	for k := range attrs {
		if !slices.Contains(attrKeys[role], k) {
			p.errorf(open, "unknown attribute %q on a %s block (known: %s)", k, lang, strings.Join(attrKeys[role], ", "))
			return
		}
	}
	b := &Block{Role: role, Line: open, EndLine: close, Code: string(f.Lines().Value(p.c.Source)), Node: f}
	prev := p.last
	p.last = b
	p.c.Blocks = append(p.c.Blocks, b)
	switch role {
	case RoleProgram:
		p.program(b, attrs)
	case RoleScene:
		p.scene(b, attrs)
	case RoleTranscript:
		p.transcript(b, prev)
	case RoleExercise:
		p.exercise(b, attrs)
	}
}

func hasKey(m map[string]string, k string) bool { _, ok := m[k]; return ok }

func parseAttrs(words []string) (string, map[string]string, error) {
	attrs := map[string]string{}
	for _, w := range words[1:] {
		k, v, ok := strings.Cut(w, "=")
		if ok && v == "" {
			return "", nil, fmt.Errorf("attribute %s= has no value", k)
		}
		if hasKey(attrs, k) {
			return "", nil, fmt.Errorf("attribute %q is given twice", k)
		}
		attrs[k] = v
	}
	return words[0], attrs, nil
}

func (p *parse) program(b *Block, attrs map[string]string) {
	name := attrs["program"]
	if !nameRE.MatchString(name) {
		p.errorf(b.Line, "bad program name %q (letters, digits, '-' and '_')", name)
		return
	}
	b.Hidden = hasKey(attrs, "hidden")
	if v, ok := attrs["hidden"]; ok && v != "" {
		p.errorf(b.Line, "hidden takes no value")
		return
	}
	b.Solution = attrs["solution"]
	if ex, ok := attrs["starter"]; ok {
		if b.Solution != "" {
			p.errorf(b.Line, "a block is a starter or a solution, not both")
			return
		}
		p.starters = append(p.starters, starterBlock{b, ex, name})
		return
	}
	prog := p.c.Program(name)
	if prog == nil {
		prog = &Program{Name: name, Chapter: p.c}
		p.c.Programs = append(p.c.Programs, prog)
	}
	prog.Blocks = append(prog.Blocks, b)
	b.Program = prog
}

type starterBlock struct {
	b             *Block
	exercise, prg string
}

func (p *parse) exercise(b *Block, attrs map[string]string) {
	e := &Exercise{Name: attrs["name"], Chapter: p.c, Line: b.Line, Block: b}
	b.Exercise = e
	if !nameRE.MatchString(e.Name) {
		p.errorf(b.Line, "an exercise needs name=NAME (letters, digits, '-' and '_')")
		return
	}
	if prev := p.c.Exercise(e.Name); prev != nil {
		p.errorf(b.Line, "an exercise named %s is already defined at line %d", e.Name, prev.Line)
		return
	}
	for i, raw := range strings.Split(strings.TrimSuffix(b.Code, "\n"), "\n") {
		line := b.CodeLine() + i
		if strings.TrimSpace(raw) == "" {
			continue
		}
		key, val, ok := strings.Cut(raw, ":")
		val = strings.TrimSpace(val)
		if !ok || val == "" {
			p.errorf(line, "exercise lines are KEY: VALUE (title, edit, check or hint)")
			return
		}
		switch strings.TrimSpace(key) {
		case "title":
			e.Title = val
		case "edit":
			e.edit = append(e.edit, strings.Fields(val)...)
		case "check":
			e.check = append(e.check, strings.Fields(val)...)
		case "hint":
			e.Hints = append(e.Hints, val)
		default:
			p.errorf(line, "unknown exercise key %q (title, edit, check or hint)", strings.TrimSpace(key))
			return
		}
	}
	switch {
	case e.Title == "":
		p.errorf(b.Line, "exercise %s needs a title: line", e.Name)
	case len(e.edit) == 0:
		p.errorf(b.Line, "exercise %s needs an edit: line naming the programs the learner writes", e.Name)
	case len(e.check) == 0:
		p.errorf(b.Line, "exercise %s needs a check: line naming the scenes that check it", e.Name)
	default:
		p.c.Exercises = append(p.c.Exercises, e)
	}
}

// resolveExercises links exercises to their programs, starters and scenes,
// once the whole chapter is read.
func (p *parse) resolveExercises() {
	c := p.c
	for _, sb := range p.starters {
		e := c.Exercise(sb.exercise)
		if e == nil {
			p.errorf(sb.b.Line, "starter=%s: the chapter has no exercise %s", sb.exercise, sb.exercise)
			continue
		}
		sp := e.Starter(sb.prg)
		if sp == nil {
			sp = &Program{Name: sb.prg, Chapter: c}
			e.Starters = append(e.Starters, sp)
		}
		sp.Blocks = append(sp.Blocks, sb.b)
		sb.b.Program, sb.b.Starter = sp, e
	}
	for _, b := range c.Blocks {
		if b.Solution != "" && c.Exercise(b.Solution) == nil {
			p.errorf(b.Line, "solution=%s: the chapter has no exercise %s", b.Solution, b.Solution)
		}
	}
	for _, e := range c.Exercises {
		for _, name := range e.edit {
			prog := c.Program(name)
			if prog == nil {
				p.errorf(e.Line, "exercise %s: edit names %s, which is not a program of this chapter", e.Name, name)
				continue
			}
			e.Edit = append(e.Edit, prog)
			if e.Starter(name) == nil {
				p.errorf(e.Line, "exercise %s: program %s has no starter (a go block with program=%s starter=%s)", e.Name, name, name, e.Name)
			}
		}
		for _, sp := range e.Starters {
			if !slices.Contains(e.edit, sp.Name) {
				p.errorf(sp.Line(), "starter of %s: exercise %s does not edit %s", sp.Name, e.Name, sp.Name)
			}
		}
		for _, name := range e.check {
			s := c.Scene(name)
			if s == nil {
				p.errorf(e.Line, "exercise %s: check names %s, which is not a scene of this chapter", e.Name, name)
				continue
			}
			e.Check = append(e.Check, s)
		}
	}
}

var mainRE = regexp.MustCompile(`(?m)^func main\(\)`)
var packageRE = regexp.MustCompile(`(?m)^package main\b`)

func (p *parse) scene(b *Block, attrs map[string]string) {
	s := &Scene{Name: attrs["name"], Chapter: p.c, Line: b.Line, Timeout: defaultSceneTimeout, Block: b}
	b.Scene = s
	if s.Name == "" {
		p.errorf(b.Line, "a scene needs name=NAME")
		return
	}
	if !nameRE.MatchString(s.Name) {
		p.errorf(b.Line, "bad scene name %q (letters, digits, '-' and '_')", s.Name)
		return
	}
	if p.c.Scene(s.Name) != nil {
		p.errorf(b.Line, "a scene named %s is already defined at line %d", s.Name, p.c.Scene(s.Name).Line)
		return
	}
	if t, ok := attrs["timeout"]; ok {
		d, err := time.ParseDuration(t)
		if err != nil || d <= 0 || d > maxSceneTimeout {
			p.errorf(b.Line, "bad timeout %q: want a duration up to %v, such as 15s", t, maxSceneTimeout)
			return
		}
		s.Timeout = d
	}
	if v, ok := attrs["serial"]; ok && v != "" {
		p.errorf(b.Line, "serial takes no value")
		return
	}
	s.Serial = hasKey(attrs, "serial")
	// Scripts are parsed in finish, once every program is known.
	p.c.Scenes = append(p.c.Scenes, s)
}

func (p *parse) transcript(b *Block, prev *Block) {
	if prev == nil || prev.Role != RoleScene || prev.Scene == nil {
		p.errorf(b.Line, "a transcript must follow its scene directly")
		return
	}
	for l := prev.EndLine + 1; l < b.Line; l++ {
		if strings.TrimSpace(p.lineText(l)) != "" {
			p.errorf(b.Line, "a transcript must follow its scene directly (line %d is in between)", l)
			return
		}
	}
	t := &Transcript{Block: b}
	for i, raw := range strings.Split(strings.TrimSuffix(b.Code, "\n"), "\n") {
		if raw == "" {
			continue
		}
		l, ok := ParseLine(raw)
		if !ok {
			p.errorf(b.CodeLine()+i, "transcript line is neither PROC | TEXT nor PROC : STATUS")
			return
		}
		t.Lines = append(t.Lines, l)
	}
	b.Scene = prev.Scene
	prev.Scene.Transcript = t
}

// ParseLine parses one transcript line.
func ParseLine(s string) (Line, bool) {
	name, rest, ok := strings.Cut(s, " ")
	if !ok || !nameRE.MatchString(name) {
		return Line{}, false
	}
	rest = strings.TrimLeft(rest, " ")
	if rest == "" || (rest[0] != '|' && rest[0] != ':') {
		return Line{}, false
	}
	text := strings.TrimPrefix(rest[1:], " ")
	return Line{Proc: name, Status: rest[0] == ':', Text: text}, true
}

func (p *parse) finish() {
	c := p.c
	if c.Title == "" {
		p.errorf(1, "a chapter needs a title: a first line such as # Ping-pong")
	}
	p.resolveExercises()
	progs := slices.Clone(c.Programs)
	for _, e := range c.Exercises {
		progs = append(progs, e.Starters...)
	}
	for _, prog := range progs {
		src := prog.Source()
		if !packageRE.Match(src) {
			p.errorf(prog.Line(), "program %s has no package main", prog.Name)
		}
		if !mainRE.Match(src) {
			p.errorf(prog.Line(), "program %s has no func main", prog.Name)
		}
	}
	for _, s := range c.Scenes {
		if err := parseScript(c, s, s.Block.Code, s.Block.CodeLine()); err != nil {
			var le *LineError
			if errors.As(err, &le) {
				p.errs = append(p.errs, le)
			}
		}
	}
}

// FormatTranscript writes transcript lines with the names aligned.
func FormatTranscript(lines []Line) string {
	w := 0
	for _, l := range lines {
		w = max(w, len(l.Proc))
	}
	var b strings.Builder
	for _, l := range lines {
		sep := "|"
		if l.Status {
			sep = ":"
		}
		fmt.Fprintf(&b, "%-*s %s", w, l.Proc, sep)
		if text := strings.TrimRight(l.Text, " \t"); text != "" {
			b.WriteString(" " + text)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// WithTranscripts returns the chapter's source with the transcripts of the
// given scenes replaced, or inserted after their scene.
func (c *Chapter) WithTranscripts(ts map[*Scene][]Line) []byte {
	lines := bytes.SplitAfter(c.Source, []byte("\n"))
	type edit struct {
		from, to int // 0-based line range to replace, to exclusive
		text     string
	}
	var edits []edit
	for s, tl := range ts {
		body := "```transcript\n" + FormatTranscript(tl) + "```\n"
		if s.Transcript != nil && s.Transcript.Block != nil {
			edits = append(edits, edit{s.Transcript.Block.Line - 1, s.Transcript.Block.EndLine, body})
		} else {
			edits = append(edits, edit{s.Block.EndLine, s.Block.EndLine, "\n" + body})
		}
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].from > edits[j].from })
	for _, e := range edits {
		lines = slices.Replace(lines, e.from, e.to, []byte(e.text))
	}
	return bytes.Join(lines, nil)
}
