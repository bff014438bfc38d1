package learn

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/runner/scene"
)

// A combination is a set of the learner's programs checked together, the
// chapter's own programs standing in for the rest.
type combination struct {
	programs map[*chapters.Program]*chapters.Program // the learner's, by the chapter's
	scenes   []*chapters.Scene
	label    string // "your server with the chapter's client"; "" when there is one
}

// combinations lists what CheckAndExplain runs. With one program to edit,
// the learner's program runs in every checker scene. With several, each
// of the learner's programs first meets the chapter's others, in the
// first checker scene that starts it, so that two wrong halves that agree
// with each other still fail; then the learner's programs run together in
// every checker scene that has not run with the same programs already.
func combinations(e *chapters.Exercise, learner map[*chapters.Program]*chapters.Program) []combination {
	if len(e.Edit) < 2 {
		return []combination{{programs: learner, scenes: e.Check}}
	}
	var combos []combination
	for _, p := range e.Edit {
		var first *chapters.Scene
		for _, s := range e.Check {
			if starts(s, p) {
				first = s
				break
			}
		}
		if first == nil {
			continue
		}
		var others []string
		for _, q := range e.Edit {
			if q != p && starts(first, q) {
				others = append(others, q.Name)
			}
		}
		label := "your " + p.Name + " with the chapter's programs"
		if len(others) > 0 {
			label = "your " + p.Name + " with the chapter's " + strings.Join(others, " and ")
		}
		combos = append(combos, combination{
			programs: map[*chapters.Program]*chapters.Program{p: learner[p]},
			scenes:   []*chapters.Scene{first},
			label:    label,
		})
	}
	// Together, in every scene but those that start only one of the
	// learner's programs and ran above with it already.
	ran := map[*chapters.Scene]bool{}
	for _, c := range combos {
		ran[c.scenes[0]] = true
	}
	var names []string
	for _, p := range e.Edit {
		names = append(names, p.Name)
	}
	together := combination{programs: learner, label: "your " + strings.Join(names, " and ") + " together"}
	for _, s := range e.Check {
		n := 0
		for _, p := range e.Edit {
			if starts(s, p) {
				n++
			}
		}
		if !(ran[s] && n == 1) {
			together.scenes = append(together.scenes, s)
		}
	}
	if len(together.scenes) == 0 {
		return combos
	}
	return append(combos, together)
}

func starts(s *chapters.Scene, p *chapters.Program) bool {
	for _, q := range s.Programs() {
		if q == p {
			return true
		}
	}
	return false
}

// CheckAndExplain checks the learner's programs of exercise e and writes
// what passed and what is wrong to w, as make check-N and the notebook page
// both show it. It stops at the first combination of programs that fails,
// and returns that combination's report, or the last one's when all pass:
// its Passed is the exercise's. With record, the outcome is kept in the
// progress. Its error is one that kept the check from running at all.
func (ws *Workspace) CheckAndExplain(ctx context.Context, w io.Writer, e *chapters.Exercise, opt scene.Options, programs map[*chapters.Program]*chapters.Program, record bool) (*Report, error) {
	fmt.Fprintf(w, "Checking exercise %d, %q, in %s mode\n", e.Number, e.Title, opt.Mode)
	combos := combinations(e, programs)
	ran := 0
	var rep *Report
	for i, c := range combos {
		if c.label != "" {
			fmt.Fprintf(w, "With %s:\n", c.label)
		}
		sub := *e
		sub.Check = c.scenes
		var err error
		rep, err = ws.Check(ctx, &sub, c.programs, opt, false)
		if err != nil {
			return nil, err
		}
		ran += len(rep.Scenes)
		failed := reportScenes(w, e, rep)
		if rep.Passed() {
			continue
		}
		if c.label != "" && i < len(combos)-1 {
			fmt.Fprintf(w, "Your %s fails with the chapter's own programs: fix it there first.\n", strings.TrimPrefix(strings.SplitN(c.label, " with ", 2)[0], "your "))
		}
		fmt.Fprintf(w, "%d of %d checks failed. The chapter's transcripts show what is expected; %s gives a hint.\n", failed, len(rep.Scenes), Suggest("make hint-%d", e.Number))
		return rep, ws.record(e, record, false)
	}
	fmt.Fprintf(w, "All %d checks pass. Well done! Compare with the reference: %s\n", ran, Suggest("make solution-%d", e.Number))
	return rep, ws.record(e, record, true)
}

// record keeps a check's outcome in the progress, when asked to.
func (ws *Workspace) record(e *chapters.Exercise, record, passed bool) error {
	if !record {
		return nil
	}
	_, err := ws.update(e, func(st *State) {
		st.Result = map[bool]string{true: "passed", false: "failing"}[passed]
	})
	return err
}

// reportScenes prints each scene's outcome, and what went wrong in those
// that failed; it returns how many failed.
func reportScenes(w io.Writer, e *chapters.Exercise, rep *Report) int {
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
	return failed
}

// Suggest formats a command for the learner to run next: the make target,
// or, when the chapters come from WORKSHOP_CHAPTERS (which make would not
// pass on unless exported), the runner command that keeps it.
func Suggest(format string, n int) string {
	cmd := fmt.Sprintf(format, n)
	dir := os.Getenv("WORKSHOP_CHAPTERS")
	if dir == "" {
		return cmd
	}
	if target, num, ok := strings.Cut(strings.TrimPrefix(cmd, "make "), "-"); ok && strings.HasPrefix(cmd, "make ") {
		flag := map[string]string{"check": "-check ", "hint": "-hint ", "solution": "-solution "}[target]
		cmd = fmt.Sprintf("go run ./runner exercise %s%s", flag, num)
	}
	return "WORKSHOP_CHAPTERS=" + dir + " " + cmd
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
