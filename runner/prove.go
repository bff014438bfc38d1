package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/learn"
	"github.com/zmq-workshop/workshop/runner/scene"
)

// casesDir holds the wrong solutions that prove the checkers, relative to
// the workshop's root: casesDir/NAME/CASE/PROGRAM.go for each program the
// exercise NAME edits, and a want file.
const casesDir = "runner/testdata/exercises"

// minCases is how many wrong solutions each exercise keeps; go test holds
// every exercise to testMinCases while the older ones catch up.
const (
	minCases     = 4
	testMinCases = 2
)

// A proofCase is one solution run through an exercise's checker.
type proofCase struct {
	Name     string // "reference", "starter" or the case's directory name
	Programs map[*chapters.Program]*chapters.Program
	Want     []string // lines the report must contain; nil for the reference
	Runs     int      // how many times it is checked: more for races
	Pass     bool     // the reference must pass; everything else must fail
}

// A proofResult is how a case fared.
type proofResult struct {
	Case    *proofCase
	OK      bool   // caught with every wanted line, every run (or the reference passed)
	Verdict string // caught, MISSED, WRONG MESSAGE, passes, FAILS
	Detail  string // the checker's report of the run that went wrong
	Elapsed time.Duration
}

// proofCases lists an exercise's cases: its reference (if asked), its
// starter and its wrong solutions under dir/NAME. A case directory may
// hold a file runs with a number: a wrong solution that races is checked
// that many times and must fail every time.
func proofCases(e *chapters.Exercise, dir string, reference bool) ([]*proofCase, error) {
	var cases []*proofCase
	if reference {
		cases = append(cases, &proofCase{Name: "reference", Programs: map[*chapters.Program]*chapters.Program{}, Runs: 1, Pass: true})
	}
	starters := map[*chapters.Program]*chapters.Program{}
	for _, p := range e.Edit {
		starters[p] = e.Starter(p.Name)
	}
	cases = append(cases, &proofCase{Name: "starter", Programs: starters, Runs: 1})
	dirs, _ := filepath.Glob(filepath.Join(dir, e.Name, "*"))
	for _, d := range dirs {
		c := &proofCase{Name: filepath.Base(d), Programs: map[*chapters.Program]*chapters.Program{}, Runs: 1}
		for _, p := range e.Edit {
			file := filepath.Join(d, p.Name+".go")
			src, err := os.ReadFile(file)
			if err != nil {
				return nil, fmt.Errorf("wrong solution %s: %v", d, err)
			}
			c.Programs[p] = chapters.FileProgram(p, filepath.ToSlash(filepath.Join(c.Name, p.Name+".go")), src)
		}
		want, err := os.ReadFile(filepath.Join(d, "want"))
		if err != nil {
			return nil, fmt.Errorf("wrong solution %s: %v", d, err)
		}
		c.Want = strings.Split(strings.TrimSpace(string(want)), "\n")
		if b, err := os.ReadFile(filepath.Join(d, "runs")); err == nil {
			if c.Runs, err = strconv.Atoi(strings.TrimSpace(string(b))); err != nil || c.Runs < 1 {
				return nil, fmt.Errorf("%s/runs: want a positive number of runs", d)
			}
		}
		cases = append(cases, c)
	}
	return cases, nil
}

// fewCases says so when an exercise keeps fewer than min wrong solutions.
func fewCases(e *chapters.Exercise, cases []*proofCase, min int) string {
	n := 0
	for _, c := range cases {
		if c.Want != nil {
			n++
		}
	}
	if n >= min {
		return ""
	}
	return fmt.Sprintf("keeps %d wrong solutions in %s/%s; want at least %d", n, casesDir, e.Name, min)
}

// prove checks one case, as many times as it asks.
func prove(ctx context.Context, e *chapters.Exercise, opt scene.Options, c *proofCase) (*proofResult, error) {
	ws := &learn.Workspace{Root: os.TempDir()} // nothing is recorded
	res := &proofResult{Case: c, OK: true}
	start := time.Now()
	for run := 0; run < c.Runs && res.OK; run++ {
		var out bytes.Buffer
		rep, err := ws.CheckAndExplain(ctx, &out, e, opt, c.Programs, false)
		if err != nil {
			return nil, err
		}
		passed := rep.Passed()
		switch {
		case c.Pass && !passed:
			res.OK, res.Verdict = false, "FAILS"
		case c.Pass:
			res.Verdict = "passes"
		case passed:
			res.OK, res.Verdict = false, "MISSED"
			if c.Runs > 1 {
				res.Verdict = fmt.Sprintf("MISSED in run %d of %d", run+1, c.Runs)
			}
		default:
			res.Verdict = "caught"
			for _, w := range c.Want {
				if !strings.Contains(out.String(), w) {
					res.OK, res.Verdict = false, fmt.Sprintf("WRONG MESSAGE: the report does not say %q", w)
					break
				}
			}
		}
		if !res.OK {
			res.Detail = out.String()
		}
	}
	if res.OK && c.Runs > 1 {
		res.Verdict += fmt.Sprintf(" %d times of %d", c.Runs, c.Runs)
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// proveExercises runs every case of the exercises and reports caught or
// missed, one line a case; it returns whether every case went as it must.
func proveExercises(ctx context.Context, w io.Writer, b *chapters.Book, which []*chapters.Exercise, opt scene.Options, dir string, verbose bool) (bool, error) {
	ok := true
	for _, e := range b.Exercises() {
		if !contains(which, e) {
			continue
		}
		cases, err := proofCases(e, dir, true)
		if err != nil {
			return false, err
		}
		if short := fewCases(e, cases, minCases); short != "" {
			fmt.Fprintf(w, "%-16s %s\n", e.ID(), short)
			ok = false
		}
		for _, c := range cases {
			res, err := prove(ctx, e, opt, c)
			if err != nil {
				return false, err
			}
			fmt.Fprintf(w, "%-16s %-22s %s (%.1fs)\n", e.ID(), c.Name, res.Verdict, res.Elapsed.Seconds())
			if !res.OK {
				ok = false
				if verbose {
					fmt.Fprintf(w, "    %s\n", indent(strings.TrimSpace(res.Detail)))
				}
			}
		}
	}
	return ok, nil
}

func contains(es []*chapters.Exercise, e *chapters.Exercise) bool {
	for _, x := range es {
		if x == e {
			return true
		}
	}
	return false
}
