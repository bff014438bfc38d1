package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/learn"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/runner/scene"
)

func cmdRun(rn *runner, args []string) error {
	fs := rn.newFlags("run", "[--mode=interp|compiled] N [SCENE]")
	mode := prog.Interp
	fs.Var(&mode, "mode", "how programs run (`MODE`): interp or compiled")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		return usageError(fs, "want a chapter number and, optionally, a scene")
	}
	b, err := rn.loadBook()
	if err != nil {
		return err
	}
	sel := fs.Arg(0)
	if fs.NArg() == 2 {
		sel += "/" + fs.Arg(1)
	}
	scenes, err := selectScenes(b, []string{sel})
	if err != nil {
		return usageError(fs, "%v", err)
	}
	if len(scenes) == 0 {
		fmt.Fprintf(rn.Stdout, "chapter %s has no scenes\n", fs.Arg(0))
		return nil
	}
	builder, err := prog.NewBuilder()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	locks := scene.NewLocks()
	locks.Notify = func(msg string) { fmt.Fprintln(rn.Stdout, msg) }
	ws := &learn.Workspace{Root: builder.Root}
	color := isTerminal(rn.Stdout) && os.Getenv("NO_COLOR") == ""
	failed := 0
	for i, s := range scenes {
		if i > 0 {
			fmt.Fprintln(rn.Stdout)
		}
		p := newPainter(rn.Stdout, s, color)
		fmt.Fprintln(rn.Stdout, p.header(fmt.Sprintf("== %s  (%s:%d, %s mode)", s.ID(), s.Chapter.Path, s.Line, mode)))
		// The learner's versions of the chapter's programs, made in the
		// notebook or an editor, play in place of the chapter's.
		edits, err := ws.Edits(s.Programs())
		if err != nil {
			return err
		}
		for _, prg := range s.Programs() {
			if edits[prg] != nil {
				fmt.Fprintln(rn.Stdout, p.header(fmt.Sprintf("== with your version of %s (%s; delete it to play the chapter's)", prg.Name, ws.EditFile(prg))))
			}
		}
		res := scene.Run(ctx, s, scene.Options{Mode: mode, Builder: builder, Locks: locks, Replace: edits, Event: p.event})
		if ctx.Err() != nil {
			fmt.Fprintln(rn.Stdout, p.header("== interrupted; every process was stopped"))
			return errFailed
		}
		switch {
		case res.Err != nil:
			failed++
			fmt.Fprintln(rn.Stdout, p.bad("== failed: "+res.Err.Error()))
		case len(res.Problems) > 0:
			failed++
			fmt.Fprintln(rn.Stdout, p.bad(fmt.Sprintf("== differs from the chapter's transcript (%s:%d):", s.Chapter.Path, transcriptLine(s))))
			for _, pr := range res.Problems {
				fmt.Fprintln(rn.Stdout, p.bad("   "+indent(pr)))
			}
		default:
			fmt.Fprintln(rn.Stdout, p.header(fmt.Sprintf("== %.1fs, as the chapter's transcript says", res.Elapsed.Seconds())))
		}
	}
	if failed > 0 {
		return errFailed
	}
	return nil
}

// A painter prints a scene's events, one colour per process.
type painter struct {
	w      io.Writer
	color  bool
	legend *chapters.Legend
}

var palette = []string{"36", "33", "32", "35", "34", "91", "96", "93", "92", "95"}

func newPainter(w io.Writer, s *chapters.Scene, color bool) *painter {
	return &painter{w: w, color: color, legend: s.Legend()}
}

func (p *painter) paint(code, s string) string {
	if !p.color {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (p *painter) header(s string) string { return p.paint("1", s) }
func (p *painter) bad(s string) string    { return p.paint("1;31", s) }

func (p *painter) event(e scene.Event) {
	switch {
	case e.Step != nil:
		fmt.Fprintln(p.w, p.paint("2", "$ "+e.Step.Text))
	case e.Line != nil:
		l := e.Line
		sep, text := "|", l.Text
		if l.Status {
			sep, text = ":", p.paint("2", text)
		}
		name := l.Proc + p.legend.Pad(l.Proc) + " " + sep
		fmt.Fprintln(p.w, p.paint(palette[p.legend.Colour(l.Proc, len(palette))], name)+" "+strings.TrimRight(text, " "))
	}
}
