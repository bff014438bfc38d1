// Package scene plays a chapter's scene: it starts the programs as
// processes, follows the script, records what they print, and compares the
// record with the chapter's transcript.
package scene

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/prog"
)

// Options configure a run.
type Options struct {
	Mode    prog.Mode
	Builder *prog.Builder
	Locks   *Locks
	// Replace maps a chapter's programs to the ones that stand in for them,
	// such as a learner's solution.
	Replace map[*chapters.Program]*chapters.Program
	// Transcript, if set, is what the run is held to instead of the
	// scene's own transcript: check -update's new recording.
	Transcript *chapters.Transcript
	// Event, if set, is called for every step started and every line
	// recorded, in order, from one goroutine at a time.
	Event func(Event)
}

// An Event is a step that starts, or a line that is recorded.
type Event struct {
	Step *chapters.Step // a step about to run
	Line *chapters.Line // a line printed, or a process that ended
}

// A Result is what a scene did.
type Result struct {
	Lines    []chapters.Line // everything recorded, in arrival order
	Err      error           // the script failed or the scene ran out of time
	Problems []string        // differences from the transcript
	Elapsed  time.Duration
}

// Passed reports whether the scene ran its script and matched its
// transcript.
func (r *Result) Passed() bool { return r.Err == nil && len(r.Problems) == 0 }

type run struct {
	scene *chapters.Scene
	opt   Options
	ctx   context.Context

	mu      sync.Mutex
	procs   map[string]*proc
	lines   []chapters.Line
	changed chan struct{} // closed and replaced whenever something happens
	failure error
	env     []string                        // set by env steps, for the processes started after them
	marks   map[string]map[string]cpuSample // set by mark steps: process name to sample
	traces  map[string]*traceSpec           // set by trace and delay steps
}

// Run plays the scene and compares its output with the transcript. It
// returns when every process of the scene is gone.
func Run(ctx context.Context, s *chapters.Scene, opt Options) *Result {
	start := time.Now()
	res := &Result{}
	// Compile before the clock starts: a cold build is not the scene's
	// fault.
	for _, p := range s.Programs() {
		if _, err := opt.Builder.Prepare(ctx, opt.program(p), opt.Mode); err != nil {
			res.Err = err
			return res
		}
	}
	if traced(s) {
		if _, err := opt.Builder.Tracer(ctx); err != nil {
			res.Err = err
			return res
		}
	}
	if opt.Locks != nil {
		release, err := opt.Locks.Acquire(ctx, s)
		if err != nil {
			res.Err = err
			return res
		}
		defer release()
	}
	start = time.Now()
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	r := &run{scene: s, opt: opt, ctx: ctx, procs: map[string]*proc{}, changed: make(chan struct{})}
	err := r.script()
	r.stopAll()
	r.mu.Lock()
	if err == nil {
		err = r.failure
	}
	res.Lines = r.lines
	r.mu.Unlock()
	res.Err = err
	res.Elapsed = time.Since(start)
	if opt.Locks != nil {
		opt.Locks.Cleanup(s)
	}
	if err == nil {
		t := opt.Transcript
		if t == nil {
			t = s.Transcript
		}
		res.Problems = Compare(s, t, res.Lines)
	}
	return res
}

func (o *Options) program(p *chapters.Program) *chapters.Program {
	if r := o.Replace[p]; r != nil {
		return r
	}
	return p
}

// record appends a line to the transcript and wakes the waiters. The
// mutex is held.
func (r *run) record(l chapters.Line) {
	r.lines = append(r.lines, l)
	if r.opt.Event != nil {
		r.opt.Event(Event{Line: &l})
	}
	r.broadcast()
}

func (r *run) broadcast() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// fail records a failure noticed outside the script, such as runaway
// output. The mutex is held.
func (r *run) fail(err error) {
	if r.failure == nil {
		r.failure = err
	}
	r.broadcast()
}

func (r *run) script() error {
	for i := range r.scene.Steps {
		st := &r.scene.Steps[i]
		if r.opt.Event != nil {
			r.mu.Lock()
			r.opt.Event(Event{Step: st})
			r.mu.Unlock()
		}
		if err := r.step(st); err != nil {
			return r.stepErr(st, err)
		}
		r.mu.Lock()
		failure := r.failure
		r.mu.Unlock()
		if failure != nil {
			return failure
		}
	}
	return nil
}

// failedSoFar names the processes that ended badly, which often explains
// why a wait never ended.
func (r *run) failedSoFar() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, name := range sortedNames(r.procs) {
		p := r.procs[name]
		if p.traceOf == nil && !p.running && !p.status.OK() && p.killNote == "" {
			fmt.Fprintf(&b, "\nmeanwhile %s ended (%s)%s", name, p.status, lastLines(p.lines))
		}
	}
	return b.String()
}

func sortedNames(m map[string]*proc) []string {
	var names []string
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (r *run) stepErr(st *chapters.Step, err error) error {
	if errors.Is(err, context.DeadlineExceeded) && r.ctx.Err() != nil {
		waiting := ""
		if st.Op == chapters.OpWait {
			if w := r.waitingFor(st); w != "" {
				waiting = ", " + w
			}
		}
		return r.explain(st, fmt.Errorf("%s:%d: the scene ran out of its %v at %q%s%s", r.scene.Chapter.Path, st.Line, r.scene.Timeout, st.Text, waiting, r.failedSoFar()))
	}
	var be *prog.BuildError
	if errors.As(err, &be) {
		return err
	}
	return fmt.Errorf("%s:%d: %s: %v", r.scene.Chapter.Path, st.Line, st.Text, err)
}

func (r *run) step(st *chapters.Step) error {
	switch st.Op {
	case chapters.OpStart:
		r.mu.Lock()
		defer r.mu.Unlock()
		for i, name := range st.Procs {
			p := &proc{name: name, program: r.opt.program(st.Program), args: st.Args[i]}
			r.procs[name] = p
			if err := r.start(p); err != nil {
				return err
			}
		}
	case chapters.OpRestart:
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, name := range st.Procs {
			p := r.procs[name]
			if p.running {
				return fmt.Errorf("%s is still running; interrupt or kill it first", name)
			}
			if err := r.start(p); err != nil {
				return err
			}
		}
	case chapters.OpInterrupt, chapters.OpKill:
		sig := syscall.SIGINT
		if st.Op == chapters.OpKill {
			sig = syscall.SIGKILL
		}
		var ended []chan struct{}
		r.mu.Lock()
		for _, name := range st.Procs {
			p := r.procs[name]
			if !p.running {
				r.mu.Unlock()
				return fmt.Errorf("%s is not running (%s)", name, p.status)
			}
			syscall.Kill(-p.cmd.Process.Pid, sig)
			ended = append(ended, p.ended)
		}
		r.mu.Unlock()
		if sig == syscall.SIGKILL {
			// A killed process is gone at once; wait for it, so that a
			// restart can follow.
			for _, e := range ended {
				select {
				case <-e:
				case <-r.ctx.Done():
					return r.ctx.Err()
				}
			}
		}
	case chapters.OpEnv:
		r.mu.Lock()
		r.env = append(r.env, st.Env)
		r.mu.Unlock()
	case chapters.OpSleep:
		t := time.NewTimer(st.Duration)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.ctx.Done():
			return r.ctx.Err()
		}
	case chapters.OpWait:
		return r.wait(st)
	case chapters.OpTrace, chapters.OpDelay:
		r.setTrace(st)
	case chapters.OpMark:
		return r.mark(st)
	case chapters.OpCPU:
		return r.cpu(st)
	}
	return nil
}

// wait blocks until the step's condition holds for every process, or
// fails when it cannot hold any more, or times out.
func (r *run) wait(st *chapters.Step) error {
	ctx := r.ctx
	if st.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, st.Timeout)
		defer cancel()
	}
	for {
		r.mu.Lock()
		ok, hopeless := r.holds(st)
		changed := r.changed
		failure := r.failure
		r.mu.Unlock()
		switch {
		case failure != nil:
			return failure
		case ok && st.Negate:
			return r.explain(st, errors.New("this was expected not to happen, but it did"))
		case ok:
			return nil
		case hopeless != "" && st.Negate:
			return nil
		case hopeless != "":
			return r.explain(st, errors.New(hopeless))
		}
		select {
		case <-changed:
		case <-ctx.Done():
			if r.ctx.Err() != nil {
				return r.ctx.Err()
			}
			if st.Negate {
				return nil
			}
			return r.explain(st, fmt.Errorf("timed out after %v %s%s", st.Timeout, r.waitingFor(st), r.failedSoFar()))
		}
	}
}

// explain adds to a failed wait what usually causes it, as the scene says.
func (r *run) explain(st *chapters.Step, err error) error {
	if st.Else == "" {
		return err
	}
	return fmt.Errorf("%v\n%s", err, st.Else)
}

// waitingFor says what a wait that timed out waited for, and what the
// processes it waited on were doing.
func (r *run) waitingFor(st *chapters.Step) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, name := range st.Procs {
		p := r.procs[name]
		if st.Exit {
			if p.running {
				fmt.Fprintf(&b, "%s to exit; it is still running", name)
				break
			}
			continue
		}
		matched := false
		for _, l := range p.lines {
			matched = matched || st.Regexp.MatchString(l)
		}
		if !matched {
			fmt.Fprintf(&b, "%s to print a line matching /%s/%s", name, st.Regexp, lastLines(p.lines))
			break
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return "waiting for " + b.String()
}

// holds reports whether the wait's condition holds now, or why it never
// will. The mutex is held.
func (r *run) holds(st *chapters.Step) (ok bool, hopeless string) {
	for _, name := range st.Procs {
		p := r.procs[name]
		if st.Exit {
			if p.running {
				return false, ""
			}
			continue
		}
		matched := false
		for _, l := range p.lines {
			if st.Regexp.MatchString(l) {
				matched = true
				break
			}
		}
		if !matched {
			if !p.running {
				return false, fmt.Sprintf("%s ended (%s) without printing a line matching /%s/%s", name, p.status, st.Regexp, lastLines(p.lines))
			}
			return false, ""
		}
	}
	return true, ""
}

func lastLines(lines []string) string {
	if len(lines) == 0 {
		return "; it printed nothing"
	}
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return "; its last lines:\n\t" + strings.Join(lines, "\n\t")
}

// stopAll kills whatever still runs when the script ends, and waits until
// every process has been reaped and its output read.
func (r *run) stopAll() {
	r.mu.Lock()
	var ended []chan struct{}
	for _, p := range r.procs {
		if p.traceOf != nil {
			continue // it ends with the process it traces
		}
		if p.running {
			p.killNote = chapters.KilledAtEnd
			killGroup(p.cmd.Process.Pid)
		}
		if p.ended != nil {
			ended = append(ended, p.ended)
		}
	}
	r.mu.Unlock()
	for _, e := range ended {
		<-e
	}
}
