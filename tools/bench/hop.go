package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/runner/scene"
)

// Group 2: the cost of a broker hop. The clients and workers are
// tools/bench/hop, compiled; over tcp the brokers are the chapters' own
// programs, compiled by the runner's builder into its cache.

// A hopPath is what sits between the clients and the workers.
type hopPath struct {
	name    string // as hop takes it
	label   string // in the tables
	chapter int    // whose program is the broker over tcp, or 0
	program string
	front   string // the endpoints the chapter's program binds
	back    string
}

var hopPaths = []hopPath{
	{name: "direct", label: "direct"},
	{name: "broker", label: "05 broker", chapter: 5, program: "broker",
		front: "tcp://127.0.0.1:5580", back: "tcp://127.0.0.1:5581"},
	{name: "proxy", label: "05 proxy", chapter: 5, program: "proxy",
		front: "tcp://127.0.0.1:5580", back: "tcp://127.0.0.1:5581"},
	{name: "lbbroker", label: "07 lbbroker", chapter: 7, program: "lbbroker",
		front: "tcp://127.0.0.1:5600", back: "tcp://127.0.0.1:5601"},
}

// A hopLoad is one measurement of group 2: a transport and how many clients
// and workers.
type hopLoad struct {
	transport        string
	clients, workers int
}

func (l hopLoad) String() string {
	return fmt.Sprintf("%s %dx%d", l.transport, l.clients, l.workers)
}

func hopLoads() []hopLoad {
	return []hopLoad{{"tcp", 1, 1}, {"tcp", 10, 3}, {"inproc", 1, 1}, {"inproc", 10, 3}}
}

// hopResult is one run of hop.
type hopResult struct {
	rate, median, p90 float64 // requests/s, µs, µs
}

// hopStats are the runs of one load and path: rate and median round trip.
type hopStats struct {
	rate, median stats
	p90          float64 // the median of the runs' 90th percentiles, µs
}

// hopBench runs group 2.
type hopBench struct {
	hop     string // the hop binary
	builder *prog.Builder
	brokers map[string]*broker // by path name
	locks   *scene.Locks
	runs    int
	window  time.Duration
	timeout time.Duration
	verbose io.Writer
}

// A broker is a chapter's program built for group 2, and a scene that
// starts it: what the runner's locks take its endpoints by.
type broker struct {
	bin   string
	scene *chapters.Scene
}

// newHopBench builds hop and the chapters' brokers.
func newHopBench(ctx context.Context, root, cache string) (b *hopBench, err error) {
	b = &hopBench{hop: filepath.Join(cache, "hop"), brokers: map[string]*broker{}, locks: scene.NewLocks()}
	b.locks.Notify = func(msg string) { fmt.Fprintln(os.Stderr, "bench:", msg) }
	if err := goBuild(ctx, root, b.hop, "./tools/bench/hop"); err != nil {
		return nil, err
	}
	if b.builder, err = prog.NewBuilder(); err != nil {
		return nil, err
	}
	book, err := chapters.LoadEmbedded()
	if err != nil {
		return nil, err
	}
	for _, p := range hopPaths {
		if p.chapter == 0 {
			continue
		}
		ch := book.Chapter(p.chapter)
		if ch == nil || ch.Program(p.program) == nil {
			return nil, fmt.Errorf("chapter %d has no program %s", p.chapter, p.program)
		}
		program := ch.Program(p.program)
		bin, err := b.builder.Prepare(ctx, program, prog.Compiled)
		if err != nil {
			return nil, err
		}
		// The runner's locks read the endpoints from the program's source,
		// as for a real scene.
		sc := &chapters.Scene{Name: "bench-" + p.name, Chapter: ch, Steps: []chapters.Step{{Op: chapters.OpStart, Program: program}}}
		b.brokers[p.name] = &broker{bin: bin, scene: sc}
	}
	return b, nil
}

// measure runs every path for one load, b.runs times, the paths
// interleaved so that a disturbance spreads over all of them.
func (b *hopBench) measure(ctx context.Context, l hopLoad) (map[string]hopStats, error) {
	rates, medians, p90s := map[string][]float64{}, map[string][]float64{}, map[string][]float64{}
	for i := 0; i < b.runs; i++ {
		for _, p := range hopPaths {
			r, err := b.once(ctx, l, p)
			if err != nil {
				return nil, err
			}
			rates[p.name] = append(rates[p.name], r.rate)
			medians[p.name] = append(medians[p.name], r.median)
			p90s[p.name] = append(p90s[p.name], r.p90)
		}
	}
	out := map[string]hopStats{}
	for _, p := range hopPaths {
		out[p.name] = hopStats{rate: summarize(rates[p.name], 0), median: summarize(medians[p.name], 0), p90: median(p90s[p.name])}
	}
	return out, nil
}

// once runs hop once; over tcp with a broker, it starts the chapter's
// broker first and interrupts it after: a broker of chapter 07 keeps the
// workers of a finished run on its free list, so each run needs a fresh
// one.
func (b *hopBench) once(ctx context.Context, l hopLoad, p hopPath) (hopResult, error) {
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	args := []string{"-transport", l.transport, "-clients", strconv.Itoa(l.clients),
		"-workers", strconv.Itoa(l.workers), "-window", b.window.String()}
	if l.transport == "tcp" && p.chapter != 0 {
		stop, err := b.startBroker(ctx, p)
		if err != nil {
			return hopResult{}, err
		}
		defer stop()
		args = append(args, "-front", p.front, "-back", p.back)
	}
	args = append(args, p.name)
	cmd := exec.CommandContext(ctx, b.hop, args...)
	bindToParent(cmd)
	var stdout, stderr capped
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	what := fmt.Sprintf("hop %s %s", l, p.name)
	if ctx.Err() == context.DeadlineExceeded {
		return hopResult{}, fmt.Errorf("%s: killed after %v", what, b.timeout)
	}
	if err != nil {
		return hopResult{}, fmt.Errorf("%s: %w\n%s", what, err, stderr.Bytes())
	}
	line := strings.TrimSpace(stdout.String())
	if b.verbose != nil {
		fmt.Fprintln(b.verbose, line)
	}
	r, err := parseHop(line)
	if err != nil {
		return hopResult{}, fmt.Errorf("%s: %w", what, err)
	}
	return r, nil
}

// startBroker starts a chapter's broker and returns once it has printed its
// ready line; stop interrupts it, waits for it to end and gives back its
// ports. It takes the ports with the runner's endpoint locks, as a scene
// does: a runner check on the same machine and the bench take turns, each
// run of a broker a turn, and a port held by another program is named.
func (b *hopBench) startBroker(ctx context.Context, p hopPath) (stop func(), err error) {
	br := b.brokers[p.name]
	release, err := b.locks.Acquire(ctx, br.scene)
	if err != nil {
		return nil, fmt.Errorf("the ports of chapter %d's %s: %w", p.chapter, p.program, err)
	}
	interrupt, err := b.start(ctx, p, br)
	if err != nil {
		release()
		return nil, err
	}
	return func() { interrupt(); release() }, nil
}

func (b *hopBench) start(ctx context.Context, p hopPath, br *broker) (stop func(), err error) {
	cmd := b.builder.Command(br.bin, prog.Compiled, nil)
	bindToParent(cmd)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr capped
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	ended := make(chan error, 1)
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		told := false
		for sc.Scan() {
			if !told && strings.Contains(sc.Text(), "ready") {
				ready <- true
				told = true
			}
		}
		if !told {
			ready <- false
		}
		ended <- cmd.Wait()
	}()
	stop = func() {
		cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-ended:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-ended
		}
	}
	select {
	case ok := <-ready:
		if ok {
			return stop, nil
		}
		err = <-ended
		return nil, fmt.Errorf("chapter %d's %s ended before it was ready (%v): %s", p.chapter, p.program, err, stderr.Bytes())
	case <-ctx.Done():
		stop()
		return nil, fmt.Errorf("chapter %d's %s did not print its ready line: %v", p.chapter, p.program, ctx.Err())
	}
}

// parseHop reads hop's key=value line.
func parseHop(line string) (hopResult, error) {
	kv := map[string]string{}
	fields := strings.Fields(line)
	if len(fields) == 0 || fields[0] != "hop" {
		return hopResult{}, fmt.Errorf("unexpected output %q", line)
	}
	for _, f := range fields[1:] {
		if k, v, ok := strings.Cut(f, "="); ok {
			kv[k] = v
		}
	}
	var r hopResult
	for _, f := range []struct {
		key string
		v   *float64
	}{{"req_per_sec", &r.rate}, {"median_us", &r.median}, {"p90_us", &r.p90}} {
		v, err := strconv.ParseFloat(kv[f.key], 64)
		if err != nil || v <= 0 {
			return hopResult{}, fmt.Errorf("bad %s in %q", f.key, line)
		}
		*f.v = v
	}
	return r, nil
}
