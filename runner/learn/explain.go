package learn

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/runner/scene"
)

// CheckAndExplain checks the learner's programs of exercise e (number n)
// and writes what passed and what is wrong to w, as make check-N and the
// notebook page both show it. It returns the report; its error is one that
// kept the check from running at all.
func (ws *Workspace) CheckAndExplain(ctx context.Context, w io.Writer, e *chapters.Exercise, n int, opt scene.Options, programs map[*chapters.Program]*chapters.Program, record bool) (*Report, error) {
	fmt.Fprintf(w, "Checking exercise %d, %q, in %s mode\n", n, e.Title, opt.Mode)
	rep, err := ws.Check(ctx, e, programs, opt, record)
	if err != nil {
		return nil, err
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
		return rep, nil
	}
	fmt.Fprintf(w, "%d of %d checks failed. The chapter's transcripts show what is expected; make hint-%d gives a hint.\n", failed, len(e.Check), n)
	return rep, nil
}

// BuildError returns the first scene's compile error in the report, if
// any.
func (r *Report) BuildError() error {
	for _, sr := range r.Scenes {
		var be *prog.BuildError
		if errors.As(sr.Result.Err, &be) {
			return be
		}
	}
	return nil
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n    ") }
