// Bench measures ZeroMQ from Go against its physical limit: group 1 of
// `make bench` (issue 6).
//
// Usage:
//
//	go run ./tools/bench [-runs N] [-time D] [-timeout D] [-modes c,go,interp] [-runner] [-cache DIR] [-v]
//
// One measurement program is run three ways:
//
//   - C: tools/bench/c/zmqperf.c, ours, linked with -lzmq and built by the
//     system C compiler (cc -O2 ... $(pkg-config --cflags --libs libzmq)
//     -lpthread) into the cache directory. It is the baseline: what libzmq
//     itself does.
//   - Go: tools/bench/perf, the same measurement with pebbe/zmq4, compiled.
//   - interp: the same Go file interpreted by yaegi, in a process of its own
//     (bench re-executes itself, or with -runner uses `runner interp`).
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
// three. The tables show the median of the runs with their spread
// [min-max], the ratios Go/C and interp/Go of the medians, and the issue's
// targets met or not. A last table gives the CPU time of the whole process
// (all threads, libzmq's included) per message or round trip: it says where
// the time goes, and other load on the machine disturbs it less than the
// rates. Every run is a child process, killed after -timeout or when bench
// ends. The whole group takes about a minute on a 2-core machine.
//
// Example:
//
//	$ go run ./tools/bench -runs 3
//	ZeroMQ from Go against its physical limit (2 CPUs, libzmq 4.3.4, go1.26.8)
//	...
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	zmq "github.com/pebbe/zmq4"
)

func main() {
	if len(os.Args) >= 3 && os.Args[1] == interpArg {
		if err := interpMain(os.Args[2], os.Args[3:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench interp:", err)
			os.Exit(1)
		}
		return
	}
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
	runs := fs.Int("runs", 5, "measured runs of each measurement in each mode")
	target := fs.Duration("time", 200*time.Millisecond, "timed part of one run")
	timeout := fs.Duration("timeout", 30*time.Second, "bound on one run")
	modes := fs.String("modes", "c,go,interp", "modes to run, comma-separated")
	useRunner := fs.Bool("runner", false, "interpret with `go build ./runner` and its interp subcommand")
	cache := fs.String("cache", "", "directory for the built programs (default: user cache dir)/zmq-workshop/bench")
	verbose := fs.Bool("v", false, "print each run's output")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() != 0 || *runs < 1 {
		fs.Usage()
		return errUsage
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

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	root, err := findRoot()
	if err != nil {
		return err
	}
	progs, err := build(ctx, root, *cache, *useRunner)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "zmqbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	b := &bench{progs: progs, tmp: tmp, runs: *runs, target: *target, timeout: *timeout, modes: ms}
	if *verbose {
		b.verbose = os.Stderr
	}
	r := &report{configs: configs(), stats: map[config]map[mode]stats{}}
	for i, c := range r.configs {
		fmt.Fprintf(os.Stderr, "bench: [%d/%d] %s\n", i+1, len(r.configs), c)
		s, err := b.measure(ctx, c)
		if err != nil {
			return err
		}
		r.stats[c] = s
	}
	major, minor, patch := zmq.Version()
	env := fmt.Sprintf("%d CPUs, libzmq %d.%d.%d, %s", runtime.NumCPU(), major, minor, patch, runtime.Version())
	header(os.Stdout, *runs, b, env)
	r.write(os.Stdout)
	fmt.Printf("\ngroup 1 took %.0fs\n", time.Since(start).Seconds())
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
