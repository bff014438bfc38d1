package main

import (
	"math"
	"testing"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/prog"
)

func TestParseHop(t *testing.T) {
	r, err := parseHop("hop path=broker transport=tcp clients=1 workers=1 requests=9000 seconds=0.300 req_per_sec=30000 median_us=31.5 p90_us=40.0")
	if err != nil || r != (hopResult{rate: 30000, median: 31.5, p90: 40}) {
		t.Errorf("parseHop = %+v, %v", r, err)
	}
	for _, bad := range []string{"", "thr count=1", "hop req_per_sec=0 median_us=1 p90_us=1", "hop req_per_sec=5 median_us=x p90_us=1"} {
		if r, err := parseHop(bad); err == nil {
			t.Errorf("parseHop(%q) = %+v, want an error", bad, r)
		}
	}
}

// TestCheckFromRuns relates a check's runs to the real chapters: the own
// waits come from the model, the times from the runs.
func TestCheckFromRuns(t *testing.T) {
	book, err := chapters.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	var waits time.Duration
	var serial *chapters.Scene
	for _, c := range book.Chapters {
		for _, s := range c.Scenes {
			waits += ownWaits(s)
			if s.Serial && serial == nil {
				serial = s
			}
		}
	}
	if waits == 0 || serial == nil {
		t.Fatal("the chapters have no scene that waits by itself, or none serial: the test needs one")
	}
	f := checkFromRuns([]sceneRun{
		{scene: serial, mode: prog.Compiled, secs: 2.5, passed: true},
		{scene: serial, mode: prog.Interp, secs: 3.0, why: "some problem"},
	}, 9.5, book)
	if f.passed != 1 || f.failed != 1 || f.wall != 9.5 || f.scenes != 2 || f.sceneSum != 5.5 || f.serialSum != 5.5 {
		t.Errorf("checkFromRuns = %+v", f)
	}
	if want := serial.ID() + " interp: some problem"; len(f.failures) != 1 || f.failures[0] != want {
		t.Errorf("failures %q, want [%q]", f.failures, want)
	}
	if want := 2 * waits.Seconds(); math.Abs(f.ownWaits-want) > 1e-9 {
		t.Errorf("own waits %v, want %v (both modes)", f.ownWaits, want)
	}
}

func TestOwnWaits(t *testing.T) {
	s := &chapters.Scene{Steps: []chapters.Step{
		{Op: chapters.OpSleep, Duration: time.Second},
		{Op: chapters.OpWait, Timeout: 2 * time.Second, Negate: true},
		{Op: chapters.OpWait, Timeout: 5 * time.Second}, // an ordinary wait ends early
	}}
	if got := ownWaits(s); got != 3*time.Second {
		t.Errorf("ownWaits = %v, want 3s", got)
	}
}
