package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/runner/scene"
	"github.com/zmq-workshop/workshop/site/render"
)

// Group 3: the workshop's own tools.

// The program whose start-up is timed: chapter 00's version, which prints
// what libzmq it has and exits, so its run time is its start-up.
const (
	startupChapter = 0
	startupProgram = "version"
)

// Ways of starting the program, in the table's order.
const (
	startPrebuilt = "prebuilt binary"
	startCache    = "compiled, runner's cache"
	startInterp   = "interpreted (runner interp)"
	startGoRun    = "go run"
	// Where the interpreter's time goes: loading the runner's binary, and
	// setting up yaegi with the standard library and zmq4.
	startRunner = "  runner, usage error (loading it)"
	startEmpty  = "  runner interp of an empty main"
)

var startWays = []string{startPrebuilt, startCache, startInterp, startRunner, startEmpty, startGoRun}

// toolsReport is what group 3 measured.
type toolsReport struct {
	startup   map[string]stats // ms, from start to exit
	prepare   [2]stats         // ms: a fresh builder's Prepare, compiled and interp
	check     checkFigures
	checkRuns []float64 // the runner's own figure of each run, s
	load      stats     // ms to parse the embedded chapters
	render    stats     // ms for render.Render
	pages     int
}

// checkFigures describe one run of runner check --mode=both.
type checkFigures struct {
	passed, failed int
	failures       []string // "SCENE MODE: why", of the failed runs
	wall           float64  // s, as the runner reports it
	ownWaits       float64  // s: the sleeps and negated waits of every scene, both modes
	scenes         int      // scene runs (scenes x modes)
	sceneSum       float64  // s: the sum of the scenes' times as the runner reports them
	serialSum      float64  // s: the same for the serial scenes
	serialCount    int
	portBound      float64     // s: the serial scenes plus the busiest port's other scenes
	port           string      // that port
	slowest        []sceneTime // the scene runs longest beyond their own waits
	starts         int         // processes a scene run starts, summed over scenes (one mode)
}

type sceneTime struct {
	id, mode    string
	secs, waits float64
}

// toolsBench runs group 3.
type toolsBench struct {
	root, cache string
	runs        int // start-up and render runs
	checkRuns   int
	timeout     time.Duration // bound on one runner check
}

func (t *toolsBench) run(ctx context.Context) (*toolsReport, error) {
	r := &toolsReport{}
	book, err := chapters.LoadEmbedded()
	if err != nil {
		return nil, err
	}
	runner := filepath.Join(t.cache, "runner")
	fmt.Fprintln(os.Stderr, "bench: [group 3] building the runner")
	if err := goBuild(ctx, t.root, runner, "./runner"); err != nil {
		return nil, err
	}
	fmt.Fprintln(os.Stderr, "bench: [group 3] start-up")
	if err := t.startup(ctx, book, runner, r); err != nil {
		return nil, err
	}
	fmt.Fprintln(os.Stderr, "bench: [group 3] render")
	if err := t.render(r); err != nil {
		return nil, err
	}
	for i := 0; i < t.checkRuns; i++ {
		fmt.Fprintf(os.Stderr, "bench: [group 3] the check of every scene in both modes (%d/%d, about a minute)\n", i+1, t.checkRuns)
		f, err := t.check(ctx, book)
		if err != nil {
			return nil, err
		}
		r.checkRuns = append(r.checkRuns, f.wall)
		if i == 0 || f.wall < r.check.wall {
			r.check = f // the fastest run explains the best case
		}
	}
	return r, nil
}

// startup times the program, from start to exit, each way, the ways
// interleaved.
func (t *toolsBench) startup(ctx context.Context, book *chapters.Book, runner string, r *toolsReport) error {
	ch := book.Chapter(startupChapter)
	if ch == nil || ch.Program(startupProgram) == nil {
		return fmt.Errorf("chapter %d has no program %s", startupChapter, startupProgram)
	}
	p := ch.Program(startupProgram)
	builder, err := prog.NewBuilder()
	if err != nil {
		return err
	}
	// The runner's cache, filled once: the timed runs find it warm.
	bin, err := builder.Prepare(ctx, p, prog.Compiled)
	if err != nil {
		return err
	}
	src, err := builder.Prepare(ctx, p, prog.Interp)
	if err != nil {
		return err
	}
	empty := filepath.Join(t.cache, "empty.go")
	if err := os.WriteFile(empty, []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
		return err
	}
	prebuilt := filepath.Join(t.cache, startupProgram)
	if err := goBuildFile(ctx, t.root, prebuilt, src); err != nil {
		return err
	}
	// go run keeps no binary: each run links again (its build cache holds
	// the compiled packages). One untimed run fills that cache.
	if _, err := timeCmd(ctx, exec.Command("go", "run", src), t.root); err != nil {
		return err
	}
	times := map[string][]float64{}
	var prepares [2][]float64 // ms: a fresh builder's Prepare, compiled and interp
	for i := 0; i < t.runs; i++ {
		for _, way := range startWays {
			var cmd *exec.Cmd
			switch way {
			case startPrebuilt:
				cmd = exec.Command(prebuilt)
			case startCache:
				// What the runner does for each process of a scene: the
				// program's path comes from its builder, prepared once.
				cmd = builder.Command(bin, prog.Compiled, nil)
			case startInterp:
				cmd = exec.Command(runner, prog.InterpCommand, src)
			case startRunner:
				cmd = exec.Command(runner)
			case startEmpty:
				cmd = exec.Command(runner, prog.InterpCommand, empty)
			case startGoRun:
				cmd = exec.Command("go", "run", src)
			}
			d, err := timeCmd(ctx, cmd, t.root)
			if way == startRunner && err != nil {
				err = nil // it exits 2, having printed its usage
			}
			if err != nil {
				return err
			}
			times[way] = append(times[way], d.Seconds()*1e3)
		}
		// What a fresh runner pays once per program before its first
		// process: finding the binary in the cache, or checking the
		// source with yaegi.
		for j, mode := range []prog.Mode{prog.Compiled, prog.Interp} {
			fresh, err := prog.NewBuilder()
			if err != nil {
				return err
			}
			t0 := time.Now()
			if _, err := fresh.Prepare(ctx, p, mode); err != nil {
				return err
			}
			prepares[j] = append(prepares[j], time.Since(t0).Seconds()*1e3)
		}
	}
	r.prepare = [2]stats{summarize(prepares[0], 0), summarize(prepares[1], 0)}
	r.startup = map[string]stats{}
	for _, way := range startWays {
		r.startup[way] = summarize(times[way], 0)
	}
	return nil
}

// timeCmd runs cmd to its end, bounded by a minute, and returns how long
// it took from start to exit.
func timeCmd(ctx context.Context, cmd *exec.Cmd, dir string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...)
	c.Args[0] = cmd.Args[0]
	c.Dir = dir
	bindToParent(c)
	var out capped
	c.Stdout, c.Stderr = &out, &out
	t0 := time.Now()
	err := c.Run()
	d := time.Since(t0)
	if err != nil {
		return d, fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, out.Bytes())
	}
	return d, nil
}

func goBuildFile(ctx context.Context, root, out, file string) error {
	_, err := output(ctx, root, "go", "build", "-o", out, file)
	return err
}

// render times loading the chapters and rendering the site in memory.
func (t *toolsBench) render(r *toolsReport) error {
	var loads, renders []float64
	for i := 0; i < t.runs; i++ {
		t0 := time.Now()
		book, err := chapters.LoadEmbedded()
		if err != nil {
			return err
		}
		t1 := time.Now()
		site, err := render.Render(book, render.Options{})
		if err != nil {
			return err
		}
		loads = append(loads, t1.Sub(t0).Seconds()*1e3)
		renders = append(renders, time.Since(t1).Seconds()*1e3)
		r.pages = 0
		for name := range site {
			if strings.HasSuffix(name, ".html") {
				r.pages++
			}
		}
	}
	r.load, r.render = summarize(loads, 0), summarize(renders, 0)
	return nil
}

// A sceneRun is one scene run in one mode, as a check reports it.
type sceneRun struct {
	scene  *chapters.Scene
	mode   prog.Mode
	secs   float64
	passed bool
	why    string // the first line of what failed
}

// check runs every scene in both modes as runner check --mode=both does,
// through the runner's own packages: the scenes in scene.Schedule's order,
// scene.Jobs at a time, each compiled then interpreted, with a fresh
// builder and the machine's endpoint locks.
func (t *toolsBench) check(ctx context.Context, book *chapters.Book) (checkFigures, error) {
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	builder, err := prog.NewBuilder()
	if err != nil {
		return checkFigures{}, err
	}
	locks := scene.NewLocks()
	locks.Notify = func(msg string) { fmt.Fprintln(os.Stderr, "bench:", msg) }
	var all []*chapters.Scene
	for _, c := range book.Chapters {
		all = append(all, c.Scenes...)
	}
	start := time.Now()
	var mu sync.Mutex
	var runs []sceneRun
	sem := make(chan struct{}, scene.Jobs)
	var wg sync.WaitGroup
	for _, s := range scene.Schedule(all) {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			for _, m := range []prog.Mode{prog.Compiled, prog.Interp} {
				res := scene.Run(ctx, s, scene.Options{Mode: m, Builder: builder, Locks: locks})
				why := ""
				if res.Err != nil {
					why = res.Err.Error()
				} else if len(res.Problems) > 0 {
					why = res.Problems[0]
				}
				why, _, _ = strings.Cut(why, "\n")
				mu.Lock()
				runs = append(runs, sceneRun{scene: s, mode: m, secs: res.Elapsed.Seconds(), passed: res.Passed(), why: why})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return checkFigures{}, fmt.Errorf("the check: stopped after %v: %w", time.Since(start).Round(time.Second), context.Cause(ctx))
	}
	// A failed scene is counted, not fatal: the time is still the time.
	return checkFromRuns(runs, time.Since(start).Seconds(), book), nil
}

// checkFromRuns relates a check's runs to the model: the scenes' own
// waits, the serial scenes, the scenes that share a port.
func checkFromRuns(runs []sceneRun, wall float64, book *chapters.Book) checkFigures {
	f := checkFigures{wall: wall}
	elapsed := map[string]float64{} // by scene ID, both modes summed
	for _, r := range runs {
		if r.passed {
			f.passed++
		} else {
			f.failed++
			f.failures = append(f.failures, fmt.Sprintf("%s %s: %s", r.scene.ID(), r.mode, r.why))
		}
		elapsed[r.scene.ID()] += r.secs
		f.sceneSum += r.secs
		f.scenes++
		f.slowest = append(f.slowest, sceneTime{id: r.scene.ID(), mode: string(r.mode), secs: r.secs})
	}
	const modes = 2
	byPort := map[string]float64{}
	waits := map[string]float64{}
	for _, c := range book.Chapters {
		for _, s := range c.Scenes {
			waits[s.ID()] = ownWaits(s).Seconds()
			f.ownWaits += modes * ownWaits(s).Seconds()
			for _, st := range s.Steps {
				if st.Op == chapters.OpStart || st.Op == chapters.OpRestart {
					f.starts += len(st.Procs)
				}
			}
			if s.Serial {
				f.serialSum += elapsed[s.ID()]
				f.serialCount += modes
				continue
			}
			for _, port := range scenePorts(s) {
				byPort[port] += elapsed[s.ID()]
			}
		}
	}
	for i := range f.slowest {
		f.slowest[i].waits = waits[f.slowest[i].id]
	}
	sort.Slice(f.slowest, func(i, j int) bool {
		return f.slowest[i].secs-f.slowest[i].waits > f.slowest[j].secs-f.slowest[j].waits
	})
	if len(f.slowest) > 6 {
		f.slowest = f.slowest[:6]
	}
	for port, secs := range byPort {
		if secs > byPort[f.port] || f.port == "" {
			f.port = port
		}
	}
	f.portBound = f.serialSum + byPort[f.port]
	return f
}

// ownWaits is the time a scene spends waiting by its own script, whatever
// the programs do: the sum of its sleeps and of the timeouts of its negated
// waits (a "! wait" passes only when its whole timeout has gone by).
func ownWaits(s *chapters.Scene) time.Duration {
	var d time.Duration
	for _, st := range s.Steps {
		switch {
		case st.Op == chapters.OpSleep:
			d += st.Duration
		case st.Op == chapters.OpWait && st.Negate:
			d += st.Timeout
		}
	}
	return d
}

// scenePorts lists the tcp ports named in the scene's programs: the runner
// lets no two scenes that share one run at once.
func scenePorts(s *chapters.Scene) []string {
	var ports []string
	for _, e := range scene.Endpoints(s) {
		if port, ok := strings.CutPrefix(e, "tcp-"); ok {
			ports = append(ports, port)
		}
	}
	return ports
}
