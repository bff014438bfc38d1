// Bench measures ZeroMQ from Go and the workshop's own tools: `make bench`
// (issue 6). It prints three groups of tables, each figure the median of
// several runs with their spread [min-max], the ratios that matter, and the
// issue's targets met or not.
//
// Usage:
//
//	go run ./tools/bench [-group 1,2,3] [-runs N] [-time D] [-modes c,go,interp] [-runner]
//	                     [-hop-runs N] [-window D] [-tool-runs N] [-check-runs N]
//	                     [-timeout D] [-check-timeout D] [-cache DIR] [-v]
//
// # Group 1: ZeroMQ from Go against its physical limit
//
// One measurement program is run three ways:
//
//   - C: tools/bench/c/zmqperf.c, ours, linked with -lzmq and built by the
//     system C compiler (cc -O2 ... $(pkg-config --cflags --libs libzmq)
//     -lpthread) into the cache directory. It is the baseline: what libzmq
//     itself does.
//   - Go: tools/bench/perf, the same measurement with pebbe/zmq4, compiled.
//   - interp: the same Go file interpreted by the runner's own interpreter
//     (runner/prog), in a process of its own, as the runner starts an
//     interpreted program: bench re-executes itself (its main calls
//     prog.Main first), or with -runner a built runner.
//
// Each program measures, with both ends in one process (two threads or two
// goroutines, one libzmq context):
//
//   - throughput: PUSH to PULL, COUNT messages of 1 B, 100 B and 1 KiB over
//     tcp (127.0.0.1, a port the kernel picks), ipc (in a temporary directory)
//     and inproc, timed at the receiver from the end of a warm-up (a tenth of
//     the messages) to the last message, in messages and megabits per second;
//   - latency: REQ-REP round trips of 1 B over tcp and inproc, timed after the
//     same warm-up, in microseconds per round trip.
//
// A first, calibration run of every measurement and mode sets the count so
// that each later run times about -time (200ms by default), whatever the
// machine and mode. Then the -runs runs (5 by default) of C, Go and interp
// are interleaved, so that a disturbance on the machine spreads over all
// three. A last table gives the CPU time of the whole process (all threads,
// libzmq's included) per message or round trip: it says where the time
// goes, and other load on the machine disturbs it less than the rates.
//
// # Group 2: the cost of a broker hop
//
// N REQ clients, each with one request of 16 B in flight at a time, and M
// workers, for 1x1 and 10x3, over tcp and inproc, four ways: direct (each
// client connects to every worker), through chapter 05's broker (a poll
// loop), through chapter 05's proxy (the exercise's solution, zmq.Proxy)
// and through chapter 07's load-balancing broker. The clients and workers
// are tools/bench/hop, compiled. Over tcp the brokers are the chapters' own
// programs, compiled by the runner's builder into its cache, started fresh
// for each run and interrupted after it. Each run takes its broker's ports
// with the runner's endpoint locks, as a scene does: a runner check on the
// same machine and the bench take turns, and a port held by another program
// stops the bench with its name.
// Over inproc everything is one process and the brokers are the same loops
// in tools/bench/hop. Each run times -window (300ms) after 100ms of
// warm-up; -hop-runs runs (5) of each load, the paths interleaved. The
// tables give requests per second and the median and 90th percentile of
// the round trips, and the ratios to direct.
//
// # Group 3: the workshop's own tools
//
//   - start-up: chapter 00's version program (it prints and exits) run from
//     a binary built by go build, from the runner's cache, interpreted by
//     `runner interp`, and by `go run`, -tool-runs times (9) each, the ways
//     interleaved; with the runner's own load time and an empty interpreted
//     program, to show where the interpreter's time goes;
//   - runner check --mode=both of every chapter (-check-runs, 1), run in
//     this process through the runner's packages (runner/scene: its
//     schedule, its -j, its locks), its time against the scenes' own
//     waits: the sum, over every scene and both modes, of its sleep
//     durations and of the timeouts of its negated waits (! wait), the time
//     a scene spends waiting by its script whatever the programs do. With it: the scenes' times summed,
//     those of serial scenes, and the lower bound that serial scenes and
//     scenes sharing a tcp port put on the whole;
//   - the site: render.Render of the embedded chapters, in memory.
//
// # Group 4: the notebook
//
// The live server of make serve, in this process, used as the page uses it
// (-notebook-runs times, 5): chapter 02's server edited and saved, then
// five-clients run, from the save to the first line of output; interpreted
// with a new edit each run, compiled with a new edit (the server is built)
// and with the same edit again (nothing is built); and a fresh builder's
// Prepare of the client, which no edit changed, to show that it came from
// the cache.
//
// Every child process is bounded by a timeout and killed when bench ends.
// The whole bench takes about three minutes on a 2-core machine.
//
// Example:
//
//	$ go run ./tools/bench -group 2 -hop-runs 3
//	2 CPUs, libzmq 4.3.4, go1.26.8, linux/amd64
//
//	The cost of a broker hop (compiled Go)
//	...
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	zmq "github.com/pebbe/zmq4"

	"github.com/zmq-workshop/workshop/runner/prog"
)

func main() {
	prog.Main() // the interpreted measurements re-execute this binary
	err := run(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if errors.Is(err, errUsage) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

func run(args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	groups := fs.String("group", "1,2,3,4", "groups to run, comma-separated")
	runs := fs.Int("runs", 5, "group 1: measured runs of each measurement in each mode")
	target := fs.Duration("time", 200*time.Millisecond, "group 1: timed part of one run")
	timeout := fs.Duration("timeout", 30*time.Second, "bound on one run")
	modes := fs.String("modes", "c,go,interp", "group 1: modes to run, comma-separated")
	useRunner := fs.Bool("runner", false, "group 1: interpret with `go build ./runner` and its interp subcommand")
	hopRuns := fs.Int("hop-runs", 5, "group 2: runs of each load and path")
	window := fs.Duration("window", 300*time.Millisecond, "group 2: timed part of one run")
	toolRuns := fs.Int("tool-runs", 9, "group 3: runs of each start-up and of the render")
	checkRuns := fs.Int("check-runs", 1, "group 3: runs of runner check (about a minute each)")
	checkTimeout := fs.Duration("check-timeout", 5*time.Minute, "group 3: bound on one runner check")
	notebookRuns := fs.Int("notebook-runs", 5, "group 4: runs of each notebook measurement")
	cache := fs.String("cache", "", "directory for the built programs (default: user cache dir)/zmq-workshop/bench")
	verbose := fs.Bool("v", false, "print each run's output")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() != 0 || *runs < 1 || *hopRuns < 1 || *toolRuns < 1 || *checkRuns < 1 || *notebookRuns < 1 {
		fs.Usage()
		return errUsage
	}
	want := map[string]bool{}
	for _, g := range strings.Split(*groups, ",") {
		if g != "1" && g != "2" && g != "3" && g != "4" {
			fmt.Fprintf(os.Stderr, "bench: unknown group %q (want 1, 2, 3 or 4)\n", g)
			return errUsage
		}
		want[g] = true
	}
	ms, err := parseModes(*modes)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return errUsage
	}
	if *cache == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return err
		}
		*cache = filepath.Join(dir, "zmq-workshop", "bench")
	}
	if err := os.MkdirAll(*cache, 0o755); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	root, err := findRoot()
	if err != nil {
		return err
	}
	major, minor, patch := zmq.Version()
	fmt.Printf("%d CPUs, libzmq %d.%d.%d, %s, %s/%s\n\n", runtime.NumCPU(), major, minor, patch, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	var verboseW io.Writer
	if *verbose {
		verboseW = os.Stderr
	}

	var failed []string
	group := func(n string, f func() error) {
		if !want[n] || ctx.Err() != nil {
			return
		}
		if err := f(); err != nil {
			fmt.Printf("group %s failed: %v\n\n\n", n, err)
			failed = append(failed, n)
		}
	}

	group("1", func() error {
		t := time.Now()
		progs, err := build(ctx, root, *cache, *useRunner)
		if err != nil {
			return err
		}
		tmp, err := os.MkdirTemp("", "zmqbench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		b := &bench{progs: progs, tmp: tmp, runs: *runs, target: *target, timeout: *timeout, modes: ms, verbose: verboseW}
		r := &report{configs: configs(), stats: map[config]map[mode]stats{}}
		for i, c := range r.configs {
			fmt.Fprintf(os.Stderr, "bench: [group 1: %d/%d] %s\n", i+1, len(r.configs), c)
			s, err := b.measure(ctx, c)
			if err != nil {
				return err
			}
			r.stats[c] = s
		}
		header(os.Stdout, *runs, b)
		r.write(os.Stdout)
		fmt.Printf("\ngroup 1 took %.0fs\n\n\n", time.Since(t).Seconds())
		return nil
	})

	group("2", func() error {
		t := time.Now()
		b, err := newHopBench(ctx, root, *cache)
		if err != nil {
			return err
		}
		b.runs, b.window, b.timeout, b.verbose = *hopRuns, *window, *timeout, verboseW
		r := &hopReport{loads: hopLoads(), stats: map[hopLoad]map[string]hopStats{}, runs: *hopRuns, window: window.String()}
		for i, l := range r.loads {
			fmt.Fprintf(os.Stderr, "bench: [group 2: %d/%d] %s\n", i+1, len(r.loads), l)
			s, err := b.measure(ctx, l)
			if err != nil {
				return err
			}
			r.stats[l] = s
		}
		r.write(os.Stdout)
		fmt.Printf("\ngroup 2 took %.0fs\n\n\n", time.Since(t).Seconds())
		return nil
	})

	group("3", func() error {
		t := time.Now()
		tb := &toolsBench{root: root, cache: *cache, runs: *toolRuns, checkRuns: *checkRuns, timeout: *checkTimeout}
		r, err := tb.run(ctx)
		if err != nil {
			return err
		}
		r.write(os.Stdout, *toolRuns)
		fmt.Println()
		fmt.Println("targets")
		writeTable(os.Stdout, r.targets())
		fmt.Printf("\ngroup 3 took %.0fs\n\n\n", time.Since(t).Seconds())
		return nil
	})
	group("4", func() error {
		t := time.Now()
		fmt.Fprintln(os.Stderr, "bench: [group 4] the notebook: save and run")
		r, err := (&notebookBench{runs: *notebookRuns}).run(ctx)
		if err != nil {
			return err
		}
		r.write(os.Stdout, *notebookRuns)
		fmt.Printf("\ngroup 4 took %.0fs\n\n\n", time.Since(t).Seconds())
		return nil
	})
	fmt.Printf("bench took %.0fs\n", time.Since(start).Seconds())
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if len(failed) > 0 {
		return fmt.Errorf("group %s failed", strings.Join(failed, ", "))
	}
	return nil
}

func parseModes(s string) ([]mode, error) {
	var ms []mode
	for _, name := range strings.Split(s, ",") {
		found := false
		for m := mode(0); m < numModes; m++ {
			if strings.EqualFold(name, modeNames[m]) {
				ms = append(ms, m)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown mode %q (want c, go or interp)", name)
		}
	}
	return ms, nil
}
