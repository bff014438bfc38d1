package scene

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestTwoRunnersTakeTurns: two runners (two Locks on one lock folder, as
// two processes have) never hold one endpoint at once; the second says
// what it waits for, and goes on once the first is done.
func TestTwoRunnersTakeTurns(t *testing.T) {
	c := parse(t, "# T\n\n```go program=p\npackage main\n\nconst e = \"tcp://*:5549\"\n\nfunc main() {}\n```\n\n```scene name=s\nstart p\n```\n")
	s := c.Scene("s")
	dir := t.TempDir()
	first := &Locks{Dir: dir, Wait: time.Minute}
	var mu sync.Mutex
	var notes []string
	second := &Locks{Dir: dir, Wait: time.Minute, Notify: func(msg string) {
		mu.Lock()
		notes = append(notes, msg)
		mu.Unlock()
	}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	release, err := first.Acquire(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		r, err := second.Acquire(ctx, s)
		if err == nil {
			r()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("the second runner took the endpoint while the first held it (err %v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	release()
	if err := <-got; err != nil {
		t.Fatalf("the second runner did not get the endpoint once free: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(notes) != 1 || !strings.Contains(notes[0], "01/s waits: endpoint tcp://*:5549 is in use by another workshop run (pid ") {
		t.Errorf("notes = %q", notes)
	}

	// A runner that waits longer than its limit gives up, naming the endpoint.
	release, err = first.Acquire(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	impatient := &Locks{Dir: dir, Wait: 200 * time.Millisecond}
	if _, err := impatient.Acquire(ctx, s); err == nil || !strings.Contains(err.Error(), "endpoint tcp://*:5549 is still in use by another workshop run") {
		t.Errorf("err = %v", err)
	}
}
