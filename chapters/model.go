package chapters

import (
	"fmt"
	"strings"
	"time"

	"github.com/yuin/goldmark/ast"
)

// A Chapter is one parsed chapter file.
type Chapter struct {
	Number    int    // from the file name: 2 for 02-ping-pong.md
	Slug      string // the file name without extension: 02-ping-pong
	Path      string // chapters/02-ping-pong.md, as diagnostics name it
	Title     string
	Source    []byte
	Doc       ast.Node // the goldmark tree of Source
	Sections  []Section
	Blocks    []*Block // every fenced block with a role, in order
	Programs  []*Program
	Scenes    []*Scene
	Exercises []*Exercise
}

// A Section is a level-two heading.
type Section struct {
	Title string
	ID    string
	Line  int
}

// A Block is a fenced code block that belongs to the model.
type Block struct {
	Role    Role
	Line    int    // the line of the opening fence
	EndLine int    // the line of the closing fence
	Code    string // the content, ending in a newline unless empty
	Node    *ast.FencedCodeBlock

	Program  *Program  // RoleProgram
	Hidden   bool      // RoleProgram
	Starter  *Exercise // RoleProgram: the block is part of this exercise's starter
	Solution string    // RoleProgram: the exercise this block is the solution of
	Scene    *Scene    // RoleScene and RoleTranscript
	Exercise *Exercise // RoleExercise
}

// CodeLine is the line of the block's first content line.
func (b *Block) CodeLine() int { return b.Line + 1 }

// A Program is a main package assembled from one or more blocks, or read
// from a learner's file.
type Program struct {
	Name    string
	Chapter *Chapter
	Blocks  []*Block

	file string // a learner's file, for FileProgram
	src  []byte
}

// FileProgram returns a program read from a file outside the chapters, such
// as a learner's solution. It stands in for the chapter's program of the
// same name; diagnostics name the file.
func FileProgram(of *Program, file string, src []byte) *Program {
	return &Program{Name: of.Name, Chapter: of.Chapter, file: file, src: src}
}

// Source returns the program as a Go file: its blocks as Code joins them,
// each preceded by a //line directive naming its place in the chapter.
func (p *Program) Source() []byte {
	if p.file != "" {
		return append([]byte(fmt.Sprintf("//line %s:1:1\n", p.file)), p.src...)
	}
	return []byte(p.join(true))
}

// Line is the chapter line of the program's first block.
func (p *Program) Line() int {
	if len(p.Blocks) == 0 {
		return 0
	}
	return p.Blocks[0].Line
}

// Code returns the program as the reader sees it in one file: its blocks
// joined, without //line directives.
func (p *Program) Code() string {
	if p.file != "" {
		return string(p.src)
	}
	return p.join(false)
}

// join joins the program's blocks, a blank line between two (which keeps
// the file gofmt-clean), with or without //line directives.
func (p *Program) join(directives bool) string {
	var b strings.Builder
	for i, blk := range p.Blocks {
		if i > 0 {
			b.WriteByte('\n')
		}
		if directives {
			fmt.Fprintf(&b, "//line %s:%d:1\n", p.Chapter.Path, blk.CodeLine())
		}
		b.WriteString(blk.Code)
	}
	return b.String()
}

// A Scene is a script that runs programs and the transcript it must print.
type Scene struct {
	Name       string
	Chapter    *Chapter
	Line       int // the opening fence
	Timeout    time.Duration
	Serial     bool
	Script     []ScriptLine // every line of the block, as written
	Steps      []Step
	Checks     []Check
	Block      *Block
	Transcript *Transcript // nil until the first -update
}

// ID names the scene on the command line and in reports: 02/five-clients.
func (s *Scene) ID() string { return fmt.Sprintf("%02d/%s", s.Chapter.Number, s.Name) }

// ID names the program in the notebook's requests: 02/server.
func (p *Program) ID() string { return fmt.Sprintf("%02d/%s", p.Chapter.Number, p.Name) }

// Programs lists the programs the scene starts, each once.
func (s *Scene) Programs() []*Program {
	var ps []*Program
	seen := map[*Program]bool{}
	for _, st := range s.Steps {
		if st.Program != nil && !seen[st.Program] {
			seen[st.Program] = true
			ps = append(ps, st.Program)
		}
	}
	return ps
}

// A ScriptLine is a line of a scene's script as written, split for
// display; its parts joined are the line.
type ScriptLine struct {
	Lead    string // indentation, and "! " before a wait that must time out
	Command string // the first word: start, wait, ...
	Rest    string // the rest of the command, as written
	Comment string // a # comment, or a whole comment line
}

// Legend returns how the scene's processes are shown: each has a place in
// the order the script starts them (a traced process's trace right after
// it), then the order its transcript names any others, and its name is padded to the longest.
func (s *Scene) Legend() *Legend {
	l := &Legend{place: map[string]int{}}
	add := func(name string) {
		if _, ok := l.place[name]; !ok {
			l.place[name] = len(l.place)
			l.width = max(l.width, len(name))
		}
	}
	traced := map[string]bool{}
	for _, st := range s.Steps {
		switch st.Op {
		case OpTrace, OpDelay:
			for _, p := range st.Procs {
				traced[p] = true
			}
		case OpStart:
			for _, p := range st.Procs {
				add(p)
				if traced[p] {
					add(p + TraceSuffix)
				}
			}
		}
	}
	if s.Transcript != nil {
		for _, tl := range s.Transcript.Lines {
			add(tl.Proc)
		}
	}
	return l
}

// A Legend gives each process of a scene its colour and the padding that
// aligns the separators of its lines, alike in the terminal and the site.
type Legend struct {
	place map[string]int
	width int
}

// Colour returns the colour of proc in a palette of n colours. A process
// the scene does not name gets the colour after the last.
func (l *Legend) Colour(proc string, n int) int {
	i, ok := l.place[proc]
	if !ok {
		i = len(l.place)
	}
	return i % n
}

// Pad returns the spaces that follow proc's name in a transcript line.
func (l *Legend) Pad(proc string) string {
	return strings.Repeat(" ", max(0, l.width-len(proc)))
}

// A Transcript is the recorded output of a scene.
type Transcript struct {
	Block *Block
	Lines []Line
}

// A Line is one line of a transcript.
type Line struct {
	Proc   string
	Status bool   // an end-of-process line (':') rather than output ('|')
	Text   string // the printed line, or how the process ended
}

func (l Line) String() string { return l.Proc + " " + l.sep() + " " + l.Text }

func (l Line) sep() string {
	if l.Status {
		return ":"
	}
	return "|"
}

// Failed reports whether the line says a process ended badly.
func (l Line) Failed() bool { return l.Status && !Status(l.Text).OK() }

// A Status is how a process ended, as a transcript's status line says it.
type Status string

// Exited is the status of a process that exited with code; "exit 0" is
// the one status that is not a failure.
func Exited(code int) Status { return Status(fmt.Sprintf("exit %d", code)) }

// Signaled is the status of a process ended by a signal, named as Go names
// it: "signal interrupt".
func Signaled(name string) Status { return Status("signal " + name) }

// KilledAtEnd is the status of a process still running when the script
// ended, which the runner kills.
const KilledAtEnd Status = "killed at end of scene"

// OK reports whether the process exited with code 0.
func (s Status) OK() bool { return s == Exited(0) }

// Book is the whole workshop.
type Book struct {
	Chapters []*Chapter
}

// Chapter returns the chapter with the given number, or nil.
func (b *Book) Chapter(n int) *Chapter {
	for _, c := range b.Chapters {
		if c.Number == n {
			return c
		}
	}
	return nil
}

// Program returns the chapter's program with the given name, or nil.
func (c *Chapter) Program(name string) *Program {
	for _, p := range c.Programs {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Scene returns the chapter's scene with the given name, or nil.
func (c *Chapter) Scene(name string) *Scene {
	for _, s := range c.Scenes {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// An Exercise is work for the learner: programs to write from starters,
// checked by scenes.
type Exercise struct {
	Number   int // in the whole workshop, from 1: make exercise-N; set by Load
	Name     string
	Title    string
	Chapter  *Chapter
	Line     int
	Block    *Block
	Edit     []*Program // the reference programs the learner rewrites
	Starters []*Program // the learner's starting point, one per Edit program
	Check    []*Scene
	Hints    []string

	edit, check []string // names, resolved once the chapter is parsed
}

// ID names the exercise in reports: 07/lbbroker.
func (e *Exercise) ID() string { return fmt.Sprintf("%02d/%s", e.Chapter.Number, e.Name) }

// LearnerFile is where the learner writes the named program: a
// slash-separated path from the workshop's root,
// workspace/02-pingpong/server/main.go.
func (e *Exercise) LearnerFile(program string) string {
	return fmt.Sprintf("workspace/%02d-%s/%s/main.go", e.Chapter.Number, e.Name, program)
}

// Starter returns the starter of the named program, or nil.
func (e *Exercise) Starter(name string) *Program {
	for _, p := range e.Starters {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Exercise returns the chapter's exercise with the given name, or nil.
func (c *Chapter) Exercise(name string) *Exercise {
	for _, e := range c.Exercises {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// Exercises lists every exercise of the workshop, in chapter order; the
// learner's exercise N is Exercises()[N-1], whose Number is N.
func (b *Book) Exercises() []*Exercise {
	var es []*Exercise
	for _, c := range b.Chapters {
		es = append(es, c.Exercises...)
	}
	return es
}
