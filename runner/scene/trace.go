package scene

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/zmq-workshop/workshop/chapters"
)

// A traced process runs with the tracer of runner/prog/zmqtrace loaded
// (LD_PRELOAD): it writes a line for each call that makes, connects or ends
// a socket or a context to a pipe on file descriptor 3, and holds the sends
// the scene's delay steps name. The lines are recorded as the lines of a
// second process, PROC.zmq, which waits and checks read like any other.

// The variables the tracer reads.
const (
	traceFDVar = "WORKSHOP_ZMQ_TRACE_FD"
	delayVar   = "WORKSHOP_ZMQ_DELAY"
)

// traceSpec is what the scene asks of one traced process.
type traceSpec struct {
	delays []string // CALL:N:before|after:MICROSECONDS
}

// setTrace notes a trace or delay step for the processes started after it.
func (r *run) setTrace(st *chapters.Step) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.traces == nil {
		r.traces = map[string]*traceSpec{}
	}
	for _, name := range st.Procs {
		spec := r.traces[name]
		if spec == nil {
			spec = &traceSpec{}
			r.traces[name] = spec
		}
		if st.Op == chapters.OpDelay {
			when := "before"
			if st.After {
				when = "after"
			}
			spec.delays = append(spec.delays, fmt.Sprintf("%s:%d:%s:%d", st.Call, st.Nth, when, st.Duration.Microseconds()))
		}
	}
}

// traced reports whether the scene traces any process.
func traced(s *chapters.Scene) bool {
	for _, st := range s.Steps {
		if st.Op == chapters.OpTrace || st.Op == chapters.OpDelay {
			return true
		}
	}
	return false
}

// startTrace prepares cmd to be traced as the scene asks for p, and returns
// the reading end of its trace pipe and the writing end, to be closed once
// the process has started; nil if p is not traced. The scene's mutex is
// held.
func (r *run) startTrace(p *proc, cmd *exec.Cmd) (rd, wr *os.File, err error) {
	spec := r.traces[p.name]
	if spec == nil {
		return nil, nil, nil
	}
	lib, err := r.opt.Builder.Tracer(r.ctx)
	if err != nil {
		return nil, nil, err
	}
	rd, wr, err = os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	preload := lib
	if old := os.Getenv("LD_PRELOAD"); old != "" {
		preload += ":" + old
	}
	cmd.Env = append(cmd.Env, "LD_PRELOAD="+preload, traceFDVar+"=3", delayVar+"="+strings.Join(spec.delays, ","))
	cmd.ExtraFiles = []*os.File{wr}
	t := r.procs[p.name+chapters.TraceSuffix]
	if t == nil {
		t = &proc{name: p.name + chapters.TraceSuffix, traceOf: p}
		r.procs[t.name] = t
	}
	t.cmd, t.running, t.lines, t.ended, t.status = cmd, true, nil, make(chan struct{}), ""
	p.trace = t
	return rd, wr, nil
}

// endTrace records the summary of a traced process that has ended, and ends
// its trace. The scene's mutex is held.
func (r *run) endTrace(p *proc) {
	t := p.trace
	if t == nil || !t.running {
		return
	}
	t.lines = append(t.lines, summary(t.lines))
	r.record(chapters.Line{Proc: t.name, Text: t.lines[len(t.lines)-1]})
	t.running, t.status = false, p.status
	close(t.ended)
}

var (
	socketRE  = regexp.MustCompile(`^socket (\S+) in context \d+$`)
	closeRE   = regexp.MustCompile(`^close (\S+)( failed: .*)?$`)
	contextRE = regexp.MustCompile(`^context (\d+)( terminated)?$`)
)

// summary says what a traced process left behind when it ended: the
// sockets it had not closed, and the contexts it had made and not
// terminated. Context 1 is zmq4's default, made as the program starts;
// a program that ends without terminating it has done nothing wrong.
func summary(lines []string) string {
	open := map[string]int{}
	live := map[int]bool{}
	for _, l := range lines {
		if m := socketRE.FindStringSubmatch(l); m != nil {
			open[m[1]]++
		}
		if m := closeRE.FindStringSubmatch(l); m != nil {
			if m[2] == "" {
				open[m[1]]--
			} else {
				open[m[1]]++ // the close written before it did not happen
			}
		}
		if m := contextRE.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			live[n] = m[2] == "" && n != 1
		}
	}
	var sockets []string
	for typ, n := range open {
		for ; n > 0; n-- {
			sockets = append(sockets, typ)
		}
	}
	sort.Strings(sockets)
	var contexts []string
	for n, ok := range live {
		if ok {
			contexts = append(contexts, strconv.Itoa(n))
		}
	}
	sort.Strings(contexts)
	list := func(s []string) string {
		if len(s) == 0 {
			return "none"
		}
		return strings.Join(s, ", ")
	}
	return fmt.Sprintf("at exit: sockets open: %s; contexts not terminated: %s", list(sockets), list(contexts))
}
