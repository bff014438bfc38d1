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
	fs := rn.newFlags("exercise", "[-check|-watch|-hint|-solution] [-force] [--mode=interp|compiled] [N]\n       runner exercise -prove [-v] [--mode=interp|compiled] [N...]")
	check := fs.Bool("check", false, "check your solution")
	watch := fs.Bool("watch", false, "check your solution again each time you save it")
	hint := fs.Bool("hint", false, "show the next hint")
	solution := fs.Bool("solution", false, "show the reference solution")
	force := fs.Bool("force", false, "start over: replace your files with the starter")
	proveFlag := fs.Bool("prove", false, "for authors: run the reference, the starter and every wrong solution under "+casesDir+" through the checker of each exercise named (all by default)")
	verbose := fs.Bool("v", false, "with -prove: show the checker's report of each case that went wrong")
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
	if *proveFlag {
		return proveCommand(rn.Stdout, b, root, mode, fs.Args(), *verbose)
	}
	if fs.NArg() == 0 {
		return rn.listExercises(b, ws)
	}
	if fs.NArg() > 1 {
		return usageError(fs, "want one exercise")
	}
	e, err := learn.Find(b, fs.Arg(0))
	if err != nil {
		return usageError(fs, "%v", err)
	}
	switch {
	case *hint:
		return rn.showHint(ws, e)
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
			return rn.watchExercise(ctx, ws, e, opt)
		}
		programs, err := ws.Programs(e)
		if err != nil {
			return err
		}
		rep, err := ws.CheckAndExplain(ctx, rn.Stdout, e, opt, programs, true)
		if err != nil {
			return err
		}
		if !rep.Passed() {
			return errFailed
		}
		return nil
	default:
		return rn.startExercise(ws, e, *force)
	}
}

func (rn *runner) listExercises(b *chapters.Book, ws *learn.Workspace) error {
	p, err := ws.Progress()
	if err != nil {
		return err
	}
	if dir := os.Getenv("WORKSHOP_CHAPTERS"); dir != "" {
		fmt.Fprintf(rn.Stdout, "Start exercise N with WORKSHOP_CHAPTERS=%s go run ./runner exercise N, check it with WORKSHOP_CHAPTERS=%s go run ./runner exercise -check N.\n", dir, dir)
	} else {
		fmt.Fprintln(rn.Stdout, "Start exercise N with make exercise-N, check it with make check-N.")
	}
	for _, e := range b.Exercises() {
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
		fmt.Fprintf(rn.Stdout, "%2d  %-11s  %s (chapter %d)\n", e.Number, state, e.Title, e.Chapter.Number)
	}
	return nil
}

func (rn *runner) startExercise(ws *learn.Workspace, e *chapters.Exercise, force bool) error {
	files, err := ws.Start(e, force)
	if errors.Is(err, learn.ErrStarted) {
		if !isTerminal(rn.Stdin) {
			fmt.Fprintf(rn.Stdout, "Exercise %d is already started; your files are kept:\n  %s\n", e.Number, strings.Join(files, "\n  "))
			fmt.Fprintf(rn.Stdout, "To start over and lose them: %s\n", learn.Suggest("go run ./runner exercise -force %d", e.Number))
			return nil
		}
		fmt.Fprintf(rn.Stdout, "Exercise %d is already started. Replace your files with the starter, losing your work? [y/N] ", e.Number)
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
	fmt.Fprintf(rn.Stdout, "Exercise %d: %s\n\n", e.Number, e.Title)
	fmt.Fprintf(rn.Stdout, "The task is in %s:%d (or the rendered chapter: make site).\n", e.Chapter.Path, e.Line)
	fmt.Fprintf(rn.Stdout, "Edit these files:\n  %s\n\n", strings.Join(files, "\n  "))
	var scenes []string
	for _, s := range e.Check {
		scenes = append(scenes, s.Name)
	}
	fmt.Fprintf(rn.Stdout, "Check your work with %s (it runs the scenes %s with your programs),\n", learn.Suggest("make check-%d", e.Number), strings.Join(scenes, ", "))
	fmt.Fprintf(rn.Stdout, "or %s to check on every save. Stuck? %s.\n", learn.Suggest("go run ./runner exercise -watch %d", e.Number), learn.Suggest("make hint-%d", e.Number))
	return nil
}

func (rn *runner) showHint(ws *learn.Workspace, e *chapters.Exercise) error {
	if len(e.Hints) == 0 {
		fmt.Fprintf(rn.Stdout, "Exercise %d has no hints.\n", e.Number)
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
		fmt.Fprintf(rn.Stdout, "(%s again for the next one)\n", learn.Suggest("make hint-%d", e.Number))
	} else {
		fmt.Fprintf(rn.Stdout, "That was the last hint; %s shows the reference solution.\n", learn.Suggest("make solution-%d", e.Number))
	}
	return nil
}

func (rn *runner) showSolution(e *chapters.Exercise) error {
	for _, p := range e.Edit {
		fmt.Fprintf(rn.Stdout, "// The reference %s, from %s:%d\n\n%s\n", p.Name, e.Chapter.Path, p.Line(), p.Code())
	}
	return nil
}

// proveCommand is runner exercise -prove: it proves the checkers of the
// exercises named, or of all.
func proveCommand(w io.Writer, b *chapters.Book, root string, mode prog.Mode, args []string, verbose bool) error {
	which := b.Exercises()
	if len(args) > 0 {
		which = nil
		for _, a := range args {
			e, err := learn.Find(b, a)
			if err != nil {
				return err
			}
			which = append(which, e)
		}
	}
	builder, err := prog.NewBuilder()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opt := scene.Options{Mode: mode, Builder: builder, Locks: scene.NewLocks()}
	ok, err := proveExercises(ctx, w, b, which, opt, filepath.Join(root, casesDir), verbose)
	if err != nil {
		return err
	}
	if !ok {
		return errFailed
	}
	return nil
}

// watchExercise checks the solution whenever one of its files changes,
// until interrupted. A change is seen by its file events (watchFiles), and
// counts when the files' times or sizes moved.
func (rn *runner) watchExercise(ctx context.Context, ws *learn.Workspace, e *chapters.Exercise, opt scene.Options) error {
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
			programs, err := ws.Programs(e)
			if err == nil {
				_, err = ws.CheckAndExplain(ctx, rn.Stdout, e, opt, programs, true)
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
