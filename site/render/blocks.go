package render

import (
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/bep/goat"
	"github.com/zmq-workshop/workshop/chapters"
)

// The views below are what the block templates (templates/blocks.tmpl) see.

// codeBlock is a program block or a fragment.
type codeBlock struct {
	ID       string // the page anchor: L41 for a block opening at line 41
	Line     int
	Path     string // chapters/02-ping-pong.md
	Program  string // "" for a fragment
	Fragment bool
	Hidden   bool
	More     bool // a visible block of the program came before this one
	Lines    int
	Code     template.HTML // highlighted
	Full     *fullProgram  // after the last block of a program
	Starter  string        // the exercise whose starter this block is
	Solution string        // the exercise whose solution this block is
	Edit     string        // live mode: the program's name for the notebook, 02/server
}

// fullProgram is a whole program, shown collapsed after its last block when
// some of it is hidden or it is split over several blocks.
type fullProgram struct {
	Name   string
	Lines  int
	Hidden int // lines the blocks above did not show
	Code   template.HTML
}

// diagramBlock is an ASCII diagram and its SVG drawing.
type diagramBlock struct {
	ID   string
	SVG  template.HTML
	Text string
}

// sceneBlock is a scene, its script and its transcript.
type sceneBlock struct {
	ID      string // the anchor: Scene-five-clients, never a heading's (lower case)
	Name    string
	Ref     string // 02/five-clients, as the runner names it
	Chapter int
	Timeout string
	Serial  bool
	Script  []chapters.ScriptLine
	Lines   []transcriptLine // nil when never recorded
	Live    bool
	// Programs names the programs the scene starts, space-separated, for
	// the notebook to find the scenes of a program.
	Programs string
}

// ProcessColours is the number of process colours in the stylesheet
// (.c0 to .c7); the scene's chapters.Legend picks one for each process.
const ProcessColours = 8

// transcriptLine is a line of a transcript, with the process's colour.
type transcriptLine struct {
	Proc   string
	Pad    string // spaces that align the separators
	Colour int    // 0..ProcessColours-1
	Status bool
	Fail   bool // a status that is a failure
	Text   string
}

// plainBlock is a fence outside the model, shown as it is.
type plainBlock struct {
	Lang string
	Code string
}

// block draws one block of the model.
func (s *site) block(w io.Writer, b *chapters.Block) error {
	switch b.Role {
	case chapters.RoleProgram, chapters.RoleFragment:
		v, err := s.codeBlock(b)
		if err != nil {
			return err
		}
		return s.tmpl.block(w, "code", v)
	case chapters.RoleDiagram:
		return s.tmpl.block(w, "diagram", diagram(b))
	case chapters.RoleScene:
		if b.Scene == nil {
			return nil
		}
		return s.tmpl.block(w, "scene", s.scene(b.Scene))
	case chapters.RoleTranscript:
		return nil // drawn with its scene
	case chapters.RoleExercise:
		v, err := s.exercise(b.Exercise)
		if err != nil {
			return err
		}
		return s.tmpl.block(w, "exercise", v)
	}
	return fmt.Errorf("block of unknown role %d", b.Role)
}

// exerciseBlock is an exercise: how to start and check it, its hints and
// its reference solution, collapsed.
type exerciseBlock struct {
	ID       string // Exercise-pingpong
	Ref      string // 02/pingpong, as the notebook names it
	Live     bool
	Number   int // in the whole workshop: make exercise-N
	Title    string
	Edit     []string // workspace files the learner edits
	Checks   []string // the scenes that check it
	Hints    []string
	Solution []solutionProgram
}

type solutionProgram struct {
	Name string
	Code template.HTML
}

func (s *site) exercise(e *chapters.Exercise) (*exerciseBlock, error) {
	v := &exerciseBlock{ID: "Exercise-" + e.Name, Ref: e.ID(), Live: s.opt.Live, Number: e.Number, Title: e.Title, Hints: e.Hints}
	for _, p := range e.Edit {
		v.Edit = append(v.Edit, e.LearnerFile(p.Name))
		code, err := highlight(p.Code())
		if err != nil {
			return nil, err
		}
		v.Solution = append(v.Solution, solutionProgram{Name: p.Name, Code: code})
	}
	for _, sc := range e.Check {
		v.Checks = append(v.Checks, sc.Name)
	}
	return v, nil
}

func (s *site) codeBlock(b *chapters.Block) (*codeBlock, error) {
	code, err := highlight(b.Code)
	if err != nil {
		return nil, err
	}
	v := &codeBlock{
		ID:       fmt.Sprintf("L%d", b.Line),
		Line:     b.Line,
		Fragment: b.Role == chapters.RoleFragment,
		Hidden:   b.Hidden,
		Solution: b.Solution,
		Lines:    strings.Count(b.Code, "\n"),
		Code:     code,
	}
	p := b.Program
	if p == nil {
		return v, nil
	}
	if b.Starter != nil {
		v.Starter = b.Starter.Name
		v.Path, v.Program = p.Chapter.Path, p.Name
		return v, nil // a starter is shown whole, in one block
	}
	v.Path = p.Chapter.Path
	v.Program = p.Name
	if s.opt.Live && b.Solution == "" && !b.Hidden {
		v.Edit = p.ID()
	}
	for _, pb := range p.Blocks {
		if pb == b {
			break
		}
		v.More = v.More || !pb.Hidden
	}
	if p.Blocks[len(p.Blocks)-1] != b {
		return v, nil
	}
	hidden, split := 0, len(p.Blocks) > 1
	for _, pb := range p.Blocks {
		if pb.Hidden {
			hidden += strings.Count(pb.Code, "\n")
		}
	}
	if hidden == 0 && !split {
		return v, nil
	}
	src := p.Code()
	full, err := highlight(src)
	if err != nil {
		return nil, fmt.Errorf("program %s: %w", p.Name, err)
	}
	v.Full = &fullProgram{Name: p.Name, Lines: strings.Count(src, "\n"), Hidden: hidden, Code: full}
	return v, nil
}

// Chroma styles of the stylesheet: light, and dark when the system is.
const (
	lightStyle = "github"
	darkStyle  = "github-dark"
)

// chromaCSS writes the highlighting rules of both themes. Each theme is
// scoped to its colour scheme, so that no colour of the light theme leaks
// into a token the dark theme leaves to the text colour.
func chromaCSS(w io.Writer) error {
	light, dark := styles.Get(lightStyle), styles.Get(darkStyle)
	if light == styles.Fallback || dark == styles.Fallback {
		return fmt.Errorf("chroma styles %s and %s are missing", lightStyle, darkStyle)
	}
	for _, theme := range []struct {
		media string
		style *chroma.Style
	}{
		{"not (prefers-color-scheme: dark)", light},
		{"(prefers-color-scheme: dark)", dark},
	} {
		fmt.Fprintf(w, "@media %s {\n", theme.media)
		css := chromahtml.New(chromahtml.WithClasses(true))
		if err := css.WriteCSS(w, theme.style); err != nil {
			return err
		}
		io.WriteString(w, "}\n")
	}
	return nil
}

// diagram draws an ASCII diagram as SVG. goat escapes the text it draws.
func diagram(b *chapters.Block) *diagramBlock {
	svg := goat.BuildSVG(strings.NewReader(b.Code))
	drawing := fmt.Sprintf(
		`<svg class="diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="diagram">%s</svg>`,
		svg.Width, svg.Height, svg.Width, svg.Height, svg.Body)
	return &diagramBlock{ID: fmt.Sprintf("L%d", b.Line), SVG: template.HTML(drawing), Text: b.Code}
}

func (s *site) scene(sc *chapters.Scene) *sceneBlock {
	v := &sceneBlock{
		ID:      "Scene-" + sc.Name,
		Name:    sc.Name,
		Ref:     sc.ID(),
		Chapter: sc.Chapter.Number,
		Timeout: sc.Timeout.String(),
		Serial:  sc.Serial,
		Script:  sc.Script,
		Live:    s.opt.Live,
	}
	if s.opt.Live {
		var names []string
		for _, p := range sc.Programs() {
			names = append(names, p.Name)
		}
		v.Programs = strings.Join(names, " ")
	}
	if sc.Transcript == nil {
		return v
	}
	legend := sc.Legend()
	v.Lines = []transcriptLine{}
	for _, l := range sc.Transcript.Lines {
		v.Lines = append(v.Lines, transcriptLine{
			Proc:   l.Proc,
			Pad:    legend.Pad(l.Proc),
			Colour: legend.Colour(l.Proc, ProcessColours),
			Status: l.Status,
			Fail:   l.Failed(),
			Text:   l.Text,
		})
	}
	return v
}
