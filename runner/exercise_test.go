package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/runner/scene"
)

// TestCheckers proves each exercise's checker both ways: the starter fails
// it, and so does every wrong solution kept in testdata/exercises/NAME/CASE
// (one file per program the exercise edits), with the message in its want
// file, as many times as its runs file says. It is runner exercise -prove
// without the reference solutions, which runner check proves, since the
// checkers are the chapters' own scenes.
func TestCheckers(t *testing.T) {
	b, err := chapters.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	builder, err := prog.NewBuilder()
	if err != nil {
		t.Fatal(err)
	}
	locks := scene.NewLocks()
	for _, e := range b.Exercises() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
			defer cancel()
			opt := scene.Options{Mode: prog.Interp, Builder: builder, Locks: locks}
			cases, err := proofCases(e, filepath.Join("testdata", "exercises"), false)
			if err != nil {
				t.Fatal(err)
			}
			if short := fewCases(e, cases, testMinCases); short != "" {
				t.Errorf("exercise %s %s", e.ID(), short)
			}
			for _, c := range cases {
				res, err := prove(ctx, e, opt, c)
				if err != nil {
					t.Fatal(err)
				}
				if !res.OK {
					t.Errorf("%s: %s:\n%s", c.Name, res.Verdict, res.Detail)
				}
			}
		})
	}
}
