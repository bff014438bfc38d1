package chapters

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"time"

	gmast "github.com/yuin/goldmark/ast"
)

// The parsers of the blocks with a role, one a role, and the checks that
// link them once the chapter is read.

// Role says what a fenced block is.
type Role int

const (
	RoleProgram Role = iota + 1
	RoleFragment
	RoleDiagram
	RoleScene
	RoleTranscript
	RoleExercise
)

// A roleSpec is a role as the parser reads it.
type roleSpec struct {
	role  Role
	word  string
	attrs []string
}

// roles are the roles in the order the spec lists them: the first word of
// the info string, and the attributes the role knows. A go block's role is
// named by its attributes.
var roles = []roleSpec{
	{RoleProgram, "go", []string{"program", "hidden", "starter", "solution"}},
	{RoleFragment, "go", []string{"fragment"}},
	{RoleDiagram, "diagram", nil},
	{RoleScene, "scene", []string{"name", "timeout", "serial"}},
	{RoleTranscript, "transcript", nil},
	{RoleExercise, "exercise", []string{"name"}},
}

// roleWords lists the words that name a role: go, diagram, ... and exercise.
func roleWords() string {
	var words []string
	for _, r := range roles {
		if !slices.Contains(words, r.word) {
			words = append(words, r.word)
		}
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// fence reads a fenced block. An error in its opening line is reported
// once, and the block is still read as far as it can be, so that what
// refers to it (a transcript, an exercise) is not reported too.
func (p *parse) fence(f *gmast.FencedCodeBlock) {
	open, close, _ := p.fenceLines(f)
	if close == 0 {
		p.errorf(open, "code fence is never closed")
		return
	}
	before := len(p.errs)
	b, attrs := p.block(f, open, close)
	if b != nil {
		prev := p.last
		p.last = b
		p.c.Blocks = append(p.c.Blocks, b)
		switch b.Role {
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
	p.prevFence.end, p.prevFence.bad = close, len(p.errs) > before
	if p.prevFence.bad {
		for _, k := range []string{"name", "program"} {
			if v := attrs[k]; v != "" {
				p.badNames[v] = true
			}
		}
	}
}

// block reads a fence's info string into a block of the model and its
// attributes; the block is nil for a fence that is prose.
func (p *parse) block(f *gmast.FencedCodeBlock, open, close int) (*Block, map[string]string) {
	var info string
	if f.Info != nil {
		info = string(f.Info.Segment.Value(p.c.Source))
	}
	words := strings.Fields(info)
	if len(words) == 0 {
		return nil, nil
	}
	lang, attrs := words[0], map[string]string{}
	for _, w := range words[1:] {
		k, v, ok := strings.Cut(w, "=")
		switch {
		case ok && v == "":
			p.errorf(open, "attribute %s= has no value", k)
		case hasKey(attrs, k):
			p.errorf(open, "attribute %q is given twice", k)
		default:
			attrs[k] = v
		}
	}
	i := slices.IndexFunc(roles, func(r roleSpec) bool {
		return r.word == lang && (lang != "go" || hasKey(attrs, r.attrs[0]))
	})
	switch {
	case i < 0 && lang == "go":
		p.errorf(open, "a go block needs program=NAME (code that runs) or fragment (code shown, not run)")
		return nil, attrs
	case i < 0:
		if len(attrs) > 0 {
			p.errorf(open, "attributes on a %s block mean nothing to the workshop; roles are %s", lang, roleWords())
		}
		return nil, attrs
	}
	r := roles[i]
	for k := range attrs {
		if !slices.Contains(r.attrs, k) {
			known := "it takes none"
			if len(r.attrs) > 0 {
				known = "known: " + strings.Join(r.attrs, ", ")
			}
			p.errorf(open, "unknown attribute %q on a %s block (%s)", k, lang, known)
			delete(attrs, k)
		}
	}
	return &Block{Role: r.role, Line: open, EndLine: close, Code: string(f.Lines().Value(p.c.Source)), Node: f}, attrs
}

func hasKey(m map[string]string, k string) bool { _, ok := m[k]; return ok }

// noValue reports an error if the bare attribute k was given a value.
func (p *parse) noValue(b *Block, attrs map[string]string, k string) {
	if attrs[k] != "" {
		p.errorf(b.Line, "%s takes no value", k)
	}
}

func (p *parse) program(b *Block, attrs map[string]string) {
	name := attrs["program"]
	if !nameRE.MatchString(name) {
		p.errorf(b.Line, "bad program name %q (letters, digits, '-' and '_')", name)
	}
	p.noValue(b, attrs, "hidden")
	b.Hidden = hasKey(attrs, "hidden")
	b.Solution = attrs["solution"]
	if ex, ok := attrs["starter"]; ok {
		if b.Solution != "" {
			p.errorf(b.Line, "a block is a starter or a solution, not both")
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

// A starterBlock is a block of an exercise's starter, linked to its
// exercise once the chapter is read.
type starterBlock struct {
	b             *Block
	exercise, prg string
}

// checkMain reports a program that is not a main package with a func main.
// A program that does not parse is left to the compiler, which says more.
func (p *parse) checkMain(prog *Program) {
	f, err := parser.ParseFile(token.NewFileSet(), "", prog.Source(), parser.SkipObjectResolution)
	if f == nil || f.Name == nil || f.Name.Name != "main" {
		p.errorf(prog.Line(), "program %s has no package main", prog.Name)
		return
	}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "main" {
			return
		}
	}
	if err == nil {
		p.errorf(prog.Line(), "program %s has no func main", prog.Name)
	}
}

func (p *parse) scene(b *Block, attrs map[string]string) {
	s := &Scene{Name: attrs["name"], Chapter: p.c, Line: b.Line, Timeout: defaultSceneTimeout, Block: b}
	b.Scene = s
	switch prev := p.c.Scene(s.Name); {
	case s.Name == "":
		p.errorf(b.Line, "a scene needs name=NAME")
	case !nameRE.MatchString(s.Name):
		p.errorf(b.Line, "bad scene name %q (letters, digits, '-' and '_')", s.Name)
	case prev != nil:
		p.errorf(b.Line, "a scene named %s is already defined at line %d", s.Name, prev.Line)
		return
	}
	if t, ok := attrs["timeout"]; ok {
		d, err := time.ParseDuration(t)
		if err != nil || d <= 0 || d > maxSceneTimeout {
			p.errorf(b.Line, "bad timeout %q: want a duration up to %v, such as 15s", t, maxSceneTimeout)
		} else {
			s.Timeout = d
		}
	}
	p.noValue(b, attrs, "serial")
	s.Serial = hasKey(attrs, "serial")
	// Scripts are parsed in finish, once every program is known.
	p.c.Scenes = append(p.c.Scenes, s)
}

func (p *parse) transcript(b *Block, prev *Block) {
	if prev == nil || prev.Role != RoleScene {
		if !p.afterBadFence(b) {
			p.errorf(b.Line, "a transcript must follow its scene directly")
		}
		return
	}
	if l, ok := p.blankBetween(prev.EndLine, b.Line); !ok {
		if !p.afterBadFence(b) {
			p.errorf(b.Line, "a transcript must follow its scene directly (line %d is in between)", l)
		}
		return
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

// afterBadFence reports whether b comes right after a fence whose opening
// line was in error, such as a scene with a misspelt role: that error is
// the one to fix.
func (p *parse) afterBadFence(b *Block) bool {
	_, blank := p.blankBetween(p.prevFence.end, b.Line)
	return p.prevFence.bad && blank
}

// ParseLine parses one transcript line.
func ParseLine(s string) (Line, bool) {
	name, rest, ok := strings.Cut(s, " ")
	if !ok || !procRE.MatchString(name) {
		return Line{}, false
	}
	rest = strings.TrimLeft(rest, " ")
	if rest == "" || (rest[0] != '|' && rest[0] != ':') {
		return Line{}, false
	}
	text := strings.TrimPrefix(rest[1:], " ")
	return Line{Proc: name, Status: rest[0] == ':', Text: text}, true
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
	p.c.Exercises = append(p.c.Exercises, e)
	for i, raw := range strings.Split(strings.TrimSuffix(b.Code, "\n"), "\n") {
		line := b.CodeLine() + i
		if strings.TrimSpace(raw) == "" {
			continue
		}
		key, val, ok := strings.Cut(raw, ":")
		val = strings.TrimSpace(val)
		if !ok || val == "" {
			p.errorf(line, "exercise lines are KEY: VALUE (title, edit, check or hint)")
			continue
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
		}
	}
	switch {
	case e.Title == "":
		p.errorf(b.Line, "exercise %s needs a title: line", e.Name)
	case len(e.edit) == 0:
		p.errorf(b.Line, "exercise %s needs an edit: line naming the programs the learner writes", e.Name)
	case len(e.check) == 0:
		p.errorf(b.Line, "exercise %s needs a check: line naming the scenes that check it", e.Name)
	}
}

// resolveExercises links exercises to their programs, starters and scenes,
// once the whole chapter is read. A name given on a fence in error is not
// reported again.
func (p *parse) resolveExercises() {
	c := p.c
	for _, sb := range p.starters {
		e := c.Exercise(sb.exercise)
		if e == nil {
			if !p.badNames[sb.exercise] {
				p.errorf(sb.b.Line, "starter=%s: the chapter has no exercise %s", sb.exercise, sb.exercise)
			}
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
		if b.Solution != "" && c.Exercise(b.Solution) == nil && !p.badNames[b.Solution] {
			p.errorf(b.Line, "solution=%s: the chapter has no exercise %s", b.Solution, b.Solution)
		}
	}
	for _, e := range c.Exercises {
		e.Edit = resolve(p, e, "edit", "program", e.edit, c.Program)
		for _, prog := range e.Edit {
			if e.Starter(prog.Name) == nil {
				p.errorf(e.Line, "exercise %s: program %s has no starter (a go block with program=%s starter=%s)", e.Name, prog.Name, prog.Name, e.Name)
			}
		}
		for _, sp := range e.Starters {
			if len(e.edit) > 0 && !slices.Contains(e.edit, sp.Name) {
				p.errorf(sp.Line(), "starter of %s: exercise %s does not edit %s", sp.Name, e.Name, sp.Name)
			}
		}
		e.Check = resolve(p, e, "check", "scene", e.check, c.Scene)
	}
}

// resolve looks up the names an exercise's key gives, and reports those
// that name no program or scene of the chapter.
func resolve[T any](p *parse, e *Exercise, key, what string, names []string, find func(string) *T) []*T {
	var found []*T
	for _, name := range names {
		x := find(name)
		if x == nil {
			if !p.badNames[name] {
				p.errorf(e.Line, "exercise %s: %s names %s, which is not a %s of this chapter", e.Name, key, name, what)
			}
			continue
		}
		found = append(found, x)
	}
	return found
}
