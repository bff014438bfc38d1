package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/learn"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/runner/scene"
)

func cmdExercise(rn *runner, args []string) error {
	fs := rn.newFlags("exercise", "[-check|-watch|-hint|-solution] [-force] [--mode=interp|compiled] [N]")
	check := fs.Bool("check", false, "check your solution")
	watch := fs.Bool("watch", false, "check your solution again each time you save it")
	hint := fs.Bool("hint", false, "show the next hint")
	solution := fs.Bool("solution", false, "show the reference solution")
	force := fs.Bool("force", false, "start over: replace your files with the starter")
	mode := prog.Interp
	fs.Var(&mode, "mode", "how your programs run (`MODE`): interp or compiled")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	b, err := rn.loadBook()
	if err != nil {
		return err
	}
	root, err := prog.FindRoot()
	if err != nil {
		return err
	}
	ws := &learn.Workspace{Root: root}
	if fs.NArg() == 0 {
		return rn.listExercises(b, ws)
	}
	if fs.NArg() > 1 {
		return usageError(fs, "want one exercise")
	}
	e, n, err := learn.Find(b, fs.Arg(0))
	if err != nil {
		return usageError(fs, "%v", err)
	}
	switch {
	case *hint:
		return rn.showHint(ws, e, n)
	case *solution:
		return rn.showSolution(e)
	case *check || *watch:
		builder, err := prog.NewBuilder()
		if err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		opt := scene.Options{Mode: mode, Builder: builder, Locks: scene.NewLocks()}
		if *watch {
			return rn.watchExercise(ctx, ws, e, n, opt)
		}
		programs, err := ws.Programs(e, n)
		if err != nil {
			return err
		}
		passed, err := checkExercise(ctx, rn.Stdout, ws, e, n, opt, programs, true)
		if err != nil {
			return err
		}
		if !passed {
			return errFailed
		}
		return nil
	default:
		return rn.startExercise(ws, e, n, *force)
	}
}

func (rn *runner) listExercises(b *chapters.Book, ws *learn.Workspace) error {
	p, err := ws.Progress()
	if err != nil {
		return err
	}
	fmt.Fprintln(rn.Stdout, "Start exercise N with make exercise-N, check it with make check-N.")
	for i, e := range b.Exercises() {
		st := p[e.ID()]
		state := "not started"
		switch {
		case st.Result == "passed":
			state = "passed"
		case st.Result == "failing":
			state = "failing"
		case ws.Started(e):
			state = "started"
		}
		fmt.Fprintf(rn.Stdout, "%2d  %-11s  %s (chapter %d)\n", i+1, state, e.Title, e.Chapter.Number)
	}
	return nil
}

func (rn *runner) startExercise(ws *learn.Workspace, e *chapters.Exercise, n int, force bool) error {
	files, err := ws.Start(e, force)
	if errors.Is(err, learn.ErrStarted) {
		if !isTerminal(rn.Stdin) {
			fmt.Fprintf(rn.Stdout, "Exercise %d is already started; your files are kept:\n  %s\n", n, strings.Join(files, "\n  "))
			fmt.Fprintf(rn.Stdout, "To start over and lose them: go run ./runner exercise -force %d\n", n)
			return nil
		}
		fmt.Fprintf(rn.Stdout, "Exercise %d is already started. Replace your files with the starter, losing your work? [y/N] ", n)
		answer, _ := bufio.NewReader(rn.Stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(rn.Stdout, "Kept your files.")
			return nil
		}
		files, err = ws.Start(e, true)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(rn.Stdout, "Exercise %d: %s\n\n", n, e.Title)
	fmt.Fprintf(rn.Stdout, "The task is in %s:%d (or the rendered chapter: make site).\n", e.Chapter.Path, e.Line)
	fmt.Fprintf(rn.Stdout, "Edit these files:\n  %s\n\n", strings.Join(files, "\n  "))
	var scenes []string
	for _, s := range e.Check {
		scenes = append(scenes, s.Name)
	}
	fmt.Fprintf(rn.Stdout, "Check your work with make check-%d (it runs the scenes %s with your programs),\n", n, strings.Join(scenes, ", "))
	fmt.Fprintf(rn.Stdout, "or go run ./runner exercise -watch %d to check on every save. Stuck? make hint-%d.\n", n, n)
	return nil
}

func (rn *runner) showHint(ws *learn.Workspace, e *chapters.Exercise, n int) error {
	if len(e.Hints) == 0 {
		fmt.Fprintf(rn.Stdout, "Exercise %d has no hints.\n", n)
		return nil
	}
	hints, err := ws.NextHint(e)
	if err != nil {
		return err
	}
	for i, h := range hints {
		fmt.Fprintf(rn.Stdout, "Hint %d of %d: %s\n", i+1, len(e.Hints), h)
	}
	if len(hints) < len(e.Hints) {
		fmt.Fprintf(rn.Stdout, "(make hint-%d again for the next one)\n", n)
	} else {
		fmt.Fprintf(rn.Stdout, "That was the last hint; make solution-%d shows the reference solution.\n", n)
	}
	return nil
}

func (rn *runner) showSolution(e *chapters.Exercise) error {
	for _, p := range e.Edit {
		fmt.Fprintf(rn.Stdout, "// The reference %s, from %s:%d\n\n%s\n", p.Name, e.Chapter.Path, p.Line(), p.Code())
	}
	return nil
}

// checkExercise checks the learner's programs and explains the outcome.
func checkExercise(ctx context.Context, w io.Writer, ws *learn.Workspace, e *chapters.Exercise, n int, opt scene.Options, programs map[*chapters.Program]*chapters.Program, record bool) (bool, error) {
	fmt.Fprintf(w, "Checking exercise %d, %q, in %s mode\n", n, e.Title, opt.Mode)
	rep, err := ws.Check(ctx, e, programs, opt, record)
	if err != nil {
		return false, err
	}
	failed := 0
	for _, sr := range rep.Scenes {
		res, s := sr.Result, sr.Scene
		if res.Passed() {
			fmt.Fprintf(w, "  ok    %s (%s:%d)\n", s.Name, s.Chapter.Path, s.Line)
			continue
		}
		failed++
		fmt.Fprintf(w, "  FAIL  %s (%s:%d)\n", s.Name, s.Chapter.Path, s.Line)
		var be *prog.BuildError
		if errors.As(res.Err, &be) {
			whose := "The chapter's program"
			for _, p := range e.Edit {
				if p.Name == be.Program {
					whose = "Your program"
				}
			}
			fmt.Fprintf(w, "    %s %s does not compile:\n      %s\n", whose, be.Program, strings.ReplaceAll(be.Output, "\n", "\n      "))
			break
		}
		if res.Err != nil {
			fmt.Fprintf(w, "    The scene could not go on: %s\n", indent(indent(res.Err.Error())))
		}
		for _, p := range res.Problems {
			fmt.Fprintf(w, "    %s\n", indent(indent(p)))
		}
		if len(res.Lines) > 0 {
			fmt.Fprintf(w, "    What the programs printed:\n")
			for _, l := range strings.Split(strings.TrimSuffix(chapters.FormatTranscript(res.Lines), "\n"), "\n") {
				fmt.Fprintf(w, "      %s\n", l)
			}
		}
	}
	if rep.Passed() {
		fmt.Fprintf(w, "All %d checks pass. Well done! Compare with the reference: make solution-%d\n", len(rep.Scenes), n)
		return true, nil
	}
	fmt.Fprintf(w, "%d of %d checks failed. The chapter's transcripts show what is expected; make hint-%d gives a hint.\n", failed, len(e.Check), n)
	return false, nil
}

// watchExercise checks the solution whenever one of its files changes,
// until interrupted. A change is seen by its file events (watchFiles), and
// counts when the files' times or sizes moved.
func (rn *runner) watchExercise(ctx context.Context, ws *learn.Workspace, e *chapters.Exercise, n int, opt scene.Options) error {
	stamp := func() string {
		var b strings.Builder
		for _, p := range e.Edit {
			if fi, err := os.Stat(filepath.Join(ws.Root, ws.File(e, p.Name))); err == nil {
				fmt.Fprintf(&b, "%d/%d;", fi.ModTime().UnixNano(), fi.Size())
			}
		}
		return b.String()
	}
	var files []string
	for _, p := range e.Edit {
		files = append(files, filepath.Join(ws.Root, ws.File(e, p.Name)))
	}
	changed := watchFiles(ctx, files)
	last := ""
	for {
		if s := stamp(); s != last {
			last = s
			programs, err := ws.Programs(e, n)
			if err == nil {
				_, err = checkExercise(ctx, rn.Stdout, ws, e, n, opt, programs, true)
			}
			if err != nil && ctx.Err() == nil {
				fmt.Fprintln(rn.Stdout, err)
			}
			fmt.Fprintf(rn.Stdout, "Watching your files; save to check again, Ctrl-C to stop.\n\n")
		}
		select {
		case <-ctx.Done():
			return nil
		case <-changed:
		}
	}
}
