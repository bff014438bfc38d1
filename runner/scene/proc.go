package scene

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
)

// Output bounds for one process lifetime: a program that prints more is
// killed, and the scene fails.
const (
	maxLineBytes   = 4 << 10
	maxOutputBytes = 1 << 20
	maxOutputLines = 20000
)

// drainTime is how long the output of an ended process is read for; a
// child it forked may hold the pipe open, and is killed by then anyway.
const drainTime = time.Second

// markVar names the environment variable that marks the processes of one
// lifetime of a proc, descendants included, so that those which leave its
// process group are found (cleanUp).
const markVar = "WORKSHOP_PROCESS"

var lifetimes atomic.Int64

// A proc is one named process of a scene, across its restarts.
type proc struct {
	name    string
	program *chapters.Program
	args    []string

	// Guarded by the scene's mutex.
	cmd      *exec.Cmd
	running  bool
	lines    []string        // printed in the current lifetime
	ended    chan struct{}   // closed when the current lifetime has ended
	status   chapters.Status // how the last lifetime ended
	killNote chapters.Status // what the runner did, for the status line
	overflow string          // why the output was cut
	exitCPU  time.Duration   // the CPU time of the last lifetime, once reaped
	trace    *proc           // the trace of a traced process (PROC.zmq)
	traceOf  *proc           // for a trace, the process it traces
}

// start launches a new lifetime of p. The scene's mutex is held.
func (r *run) start(p *proc) error {
	path, err := r.opt.Builder.Prepare(r.ctx, p.program, r.opt.Mode)
	if err != nil {
		return err
	}
	becomeSubreaper()
	cmd := r.opt.Builder.Command(path, r.opt.Mode, p.args)
	cmd.Dir = r.opt.Builder.Root
	mark := fmt.Sprintf("%s=%d.%d", markVar, os.Getpid(), lifetimes.Add(1))
	cmd.Env = append(append(os.Environ(), r.env...), mark)
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	cmd.SysProcAttr = sysProcAttr()
	tr, tw, err := r.startTrace(p, cmd)
	if err != nil {
		pr.Close()
		pw.Close()
		return err
	}
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		if tr != nil {
			tr.Close()
			tw.Close()
		}
		return fmt.Errorf("starting %s: %v", p.name, err)
	}
	pw.Close()
	p.cmd, p.running, p.lines, p.ended, p.status, p.killNote, p.overflow =
		cmd, true, nil, make(chan struct{}), "", "", ""
	lines := make(chan string, 64)
	go readLines(pr, lines)
	var traceLines chan string
	if tr != nil {
		tw.Close()
		traceLines = make(chan string, 64)
		go readLines(tr, traceLines)
	}
	go r.watch(p, cmd, mark, []*os.File{pr, tr}, lines, traceLines)
	return nil
}

// readLines sends each line read from f, cut to maxLineBytes, and closes
// lines at the end of the output or when f's deadline passes.
func readLines(f *os.File, lines chan<- string) {
	defer close(lines)
	br := bufio.NewReaderSize(f, maxLineBytes)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			s := string(trimEOL(line))
			if err == bufio.ErrBufferFull {
				s += " [line cut]"
				// Skip the rest of the long line.
				for err == bufio.ErrBufferFull {
					_, err = br.ReadSlice('\n')
				}
			}
			lines <- s
		}
		if err != nil {
			return
		}
	}
}

func trimEOL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// watch records p's output, and its trace if it is traced, until it
// exits, then its status. pipes are the reading ends of its output and of
// its trace (nil if it has none); traceLines is nil if it has none.
func (r *run) watch(p *proc, cmd *exec.Cmd, mark string, pipes []*os.File, lines, traceLines <-chan string) {
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	bytes, count := 0, 0
	// take records a line of p or of its trace, within the output bounds.
	take := func(to *proc, l string) {
		bytes += len(l) + 1
		count++
		if bytes > maxOutputBytes || count > maxOutputLines {
			r.mu.Lock()
			if p.overflow == "" {
				p.overflow = fmt.Sprintf("printed more than %d lines or %d bytes", maxOutputLines, maxOutputBytes)
				killGroup(cmd.Process.Pid)
			}
			r.mu.Unlock()
			return
		}
		r.output(to, l)
	}
	var waitErr error
	done := false
	for !done {
		select {
		case l, ok := <-lines:
			if !ok {
				lines = nil
				continue
			}
			take(p, l)
		case l, ok := <-traceLines:
			if !ok {
				traceLines = nil
				continue
			}
			take(p.trace, l)
		case waitErr = <-exited:
			done = true
		}
	}
	// The process is gone; its children go with it, those that left its
	// group too, and what is left in the pipes is read for a moment.
	killGroup(cmd.Process.Pid)
	waitGroupGone(cmd.Process.Pid, drainTime)
	cleanUp(cmd.Process.Pid, mark)
	for _, f := range pipes {
		if f != nil {
			f.SetReadDeadline(time.Now().Add(drainTime))
		}
	}
	for l := range orEmpty(lines) {
		take(p, l)
	}
	if traceLines != nil || p.trace != nil {
		for l := range orEmpty(traceLines) {
			take(p.trace, l)
		}
	}
	for _, f := range pipes {
		if f != nil {
			f.Close()
		}
	}
	r.mu.Lock()
	p.running = false
	p.exitCPU = rusageCPU(cmd)
	p.status = exitStatus(waitErr)
	if p.killNote != "" {
		p.status = p.killNote
	}
	if p.overflow != "" {
		p.status = chapters.Status("killed: " + p.overflow)
		r.fail(fmt.Errorf("%s %s", p.name, p.overflow))
	}
	r.endTrace(p)
	r.record(chapters.Line{Proc: p.name, Status: true, Text: string(p.status)})
	close(p.ended)
	r.mu.Unlock()
}

func (r *run) output(p *proc, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p.lines = append(p.lines, text)
	r.record(chapters.Line{Proc: p.name, Text: text})
}

func exitStatus(err error) chapters.Status {
	var ee *exec.ExitError
	if err == nil {
		return chapters.Exited(0)
	}
	if !errors.As(err, &ee) {
		return chapters.Status("error: " + err.Error())
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return chapters.Signaled(ws.Signal().String())
	}
	return chapters.Exited(ee.ExitCode())
}

// waitGroupGone waits, at most d, until no process of the group led by pid
// is left; a killed child may take a moment to go.
func waitGroupGone(pid int, d time.Duration) {
	deadline := time.Now().Add(d)
	for groupAlive(pid) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
}

// killGroup kills the process group led by pid: the process and every
// child it started.
func killGroup(pid int) {
	syscall.Kill(-pid, syscall.SIGKILL)
}

// orEmpty returns ch, or a closed channel if ch is nil (already drained).
func orEmpty(ch <-chan string) <-chan string {
	if ch == nil {
		c := make(chan string)
		close(c)
		return c
	}
	return ch
}
