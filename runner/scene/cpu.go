package scene

import (
	"fmt"
	"os/exec"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
)

// A cpuSample is what a process had used at a moment of the scene.
type cpuSample struct {
	pid  int
	used time.Duration // user and system time of the whole process
	at   time.Time
}

// usedCPU returns the CPU time p has used so far in its current lifetime:
// read from /proc while it runs, from its rusage once it is reaped. The
// scene's mutex is held.
func usedCPU(p *proc) (time.Duration, error) {
	if !p.running {
		return p.exitCPU, nil
	}
	return procCPU(p.cmd.Process.Pid)
}

// rusageCPU is the user and system time of a reaped process.
func rusageCPU(cmd *exec.Cmd) time.Duration {
	if cmd.ProcessState == nil {
		return 0
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// mark samples the CPU time of every running process.
func (r *run) mark(st *chapters.Step) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	samples := map[string]cpuSample{}
	now := time.Now()
	for name, p := range r.procs {
		if !p.running || p.traceOf != nil {
			continue
		}
		used, err := usedCPU(p)
		if err != nil {
			continue // it is ending; a cpu step on it says so
		}
		samples[name] = cpuSample{pid: p.cmd.Process.Pid, used: used, at: now}
	}
	if r.marks == nil {
		r.marks = map[string]map[string]cpuSample{}
	}
	r.marks[st.Mark] = samples
	return nil
}

// cpu checks that a process used less CPU time than the step allows since
// the mark.
func (r *run) cpu(st *chapters.Step) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	name := st.Procs[0]
	p := r.procs[name]
	before, ok := r.marks[st.Mark][name]
	if !ok {
		return fmt.Errorf("%s was not running at mark %s", name, st.Mark)
	}
	if p.cmd.Process.Pid != before.pid {
		return fmt.Errorf("%s was restarted since mark %s", name, st.Mark)
	}
	used, err := usedCPU(p)
	if err != nil {
		return fmt.Errorf("reading the CPU time of %s: %v", name, err)
	}
	used -= before.used
	span := time.Since(before.at)
	if used < st.CPU {
		return nil
	}
	msg := st.Else
	if msg == "" {
		msg = "a process that waits in Recv or Poll uses almost none: is it polling in a loop, with a zero timeout or DONTWAIT?"
	}
	return fmt.Errorf("%s used %v of CPU in %v since mark %s, and the scene allows less than %v: %s",
		name, used.Round(10*time.Millisecond), span.Round(10*time.Millisecond), st.Mark, st.CPU, msg)
}
