package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/zmq-workshop/workshop/runner/prog"
)

// A mode is one way of running the measurement program.
type mode int

const (
	modeC      mode = iota // the C baseline
	modeGo                 // the Go program, compiled
	modeInterp             // the Go program, interpreted by yaegi
	numModes
)

var modeNames = [numModes]string{"C", "Go", "interp"}

// A config is one measurement: throughput ("thr") or round-trip latency
// ("lat") over one transport with messages of one size.
type config struct {
	kind      string
	transport string
	size      int
}

func (c config) String() string {
	return fmt.Sprintf("%s %s %s", c.kind, c.transport, sizeName(c.size))
}

// configs is group 1 of the bench.
func configs() []config {
	var cs []config
	for _, t := range []string{"tcp", "ipc", "inproc"} {
		for _, s := range []int{1, 100, 1024} {
			cs = append(cs, config{"thr", t, s})
		}
	}
	return append(cs, config{"lat", "tcp", 1}, config{"lat", "inproc", 1})
}

// A result is what one run of a measurement program reports. value is
// messages per second for throughput, microseconds per round trip for
// latency; cpu is the CPU time of the process per message or round trip,
// in nanoseconds.
type result struct {
	count int
	value float64
	cpu   float64
}

// stats summarise the runs of one config in one mode.
type stats struct {
	median, min, max float64
	count            int     // messages (or round trips) timed per run
	n                int     // runs
	cpu              float64 // median CPU ns per message
}

func median(values []float64) float64 {
	return summarize(values, 0).median
}

func summarize(values []float64, count int) stats {
	if len(values) == 0 {
		return stats{}
	}
	v := append([]float64(nil), values...)
	sort.Float64s(v)
	m := v[len(v)/2]
	if len(v)%2 == 0 {
		m = (v[len(v)/2-1] + m) / 2
	}
	return stats{median: m, min: v[0], max: v[len(v)-1], count: count, n: len(v)}
}

// A bench runs measurements.
type bench struct {
	progs   *programs
	tmp     string        // directory for ipc endpoints
	runs    int           // measured runs per config and mode
	target  time.Duration // timed part of one run
	timeout time.Duration // bound on one run, start-up included
	modes   []mode
	verbose io.Writer // each run's output line, or nil
	seq     int       // numbers ipc endpoints
}

// Calibration: a first run of every config and mode times this many
// messages (round trips); its rate sets the count of the measured runs so
// that each lasts about target, whatever the machine and mode.
const (
	calibThr = 20000
	calibLat = 1000
)

// measure runs c in every mode: a calibration run, then b.runs runs with the
// modes interleaved, so that a disturbance on the machine spreads over all.
func (b *bench) measure(ctx context.Context, c config) (map[mode]stats, error) {
	counts := map[mode]int{}
	for _, m := range b.modes {
		n := calibThr
		if c.kind == "lat" {
			n = calibLat
		}
		r, err := b.once(ctx, m, c, n)
		if err != nil {
			return nil, err
		}
		counts[m] = b.countFor(c, r)
	}
	values, cpus := map[mode][]float64{}, map[mode][]float64{}
	for i := 0; i < b.runs; i++ {
		for _, m := range b.modes {
			r, err := b.once(ctx, m, c, counts[m])
			if err != nil {
				return nil, err
			}
			values[m] = append(values[m], r.value)
			cpus[m] = append(cpus[m], r.cpu)
		}
	}
	out := map[mode]stats{}
	for _, m := range b.modes {
		s := summarize(values[m], counts[m])
		s.cpu = median(cpus[m])
		out[m] = s
	}
	return out, nil
}

// countFor returns the count that makes a run of c last about b.target,
// given a calibration result, rounded to two significant digits.
func (b *bench) countFor(c config, r result) int {
	var n float64
	if c.kind == "thr" {
		n = r.value * b.target.Seconds()
	} else {
		n = b.target.Seconds() * 1e6 / r.value
	}
	// Never time fewer than the calibration did: a run disturbed by the
	// machine must not make the measured runs short and as easily disturbed.
	floor := float64(calibThr)
	if c.kind == "lat" {
		floor = calibLat
	}
	if n < floor || math.IsNaN(n) {
		n = floor
	}
	p := math.Pow(10, math.Floor(math.Log10(n))-1)
	return int(math.Round(n/p) * p)
}

func (b *bench) endpoint(c config) string {
	b.seq++
	switch c.transport {
	case "tcp":
		// The receiving end binds a port the kernel picks; the other
		// end connects to it. No port is chosen here, so none can clash.
		return "tcp://127.0.0.1:*"
	case "ipc":
		return "ipc://" + filepath.Join(b.tmp, fmt.Sprintf("%d.ipc", b.seq))
	default:
		return fmt.Sprintf("inproc://bench-%d", b.seq)
	}
}

// once runs the measurement program once, bounded by b.timeout.
func (b *bench) once(ctx context.Context, m mode, c config, count int) (result, error) {
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	args := []string{c.kind, b.endpoint(c), strconv.Itoa(c.size), strconv.Itoa(count)}
	var cmd *exec.Cmd
	switch m {
	case modeC:
		cmd = exec.CommandContext(ctx, b.progs.c, args...)
	case modeGo:
		cmd = exec.CommandContext(ctx, b.progs.goBin, args...)
	default:
		// As the runner starts an interpreted program: the binary
		// re-executed with prog.InterpCommand interprets it with the
		// runner's own interpreter (runner/prog).
		cmd = exec.CommandContext(ctx, b.progs.interpreter, append([]string{prog.InterpCommand, b.progs.goSrc}, args...)...)
	}
	bindToParent(cmd)
	var stdout, stderr capped
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	what := fmt.Sprintf("%s %s (%s)", modeNames[m], c, strings.Join(args, " "))
	if ctx.Err() == context.DeadlineExceeded {
		return result{}, fmt.Errorf("%s: killed after %v", what, b.timeout)
	}
	if err != nil {
		return result{}, fmt.Errorf("%s: %w\n%s", what, err, stderr.Bytes())
	}
	line := strings.TrimSpace(stdout.String())
	if b.verbose != nil {
		fmt.Fprintf(b.verbose, "%-6s %s\n", modeNames[m], line)
	}
	r, err := parseResult(line)
	if err != nil {
		return result{}, fmt.Errorf("%s: %w", what, err)
	}
	return r, nil
}

// parseResult reads the key=value line that zmqperf and perf print.
func parseResult(line string) (result, error) {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return result{}, errors.New("no output")
	}
	kv := map[string]string{}
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return result{}, fmt.Errorf("bad field %q in %q", f, line)
		}
		kv[k] = v
	}
	key := map[string]string{"thr": "msg_per_sec", "lat": "roundtrip_us"}[fields[0]]
	if key == "" {
		return result{}, fmt.Errorf("unknown result %q", line)
	}
	value, err := strconv.ParseFloat(kv[key], 64)
	if err != nil || value <= 0 || math.IsInf(value, 0) {
		return result{}, fmt.Errorf("bad %s in %q", key, line)
	}
	count, err := strconv.Atoi(kv["count"])
	if err != nil {
		return result{}, fmt.Errorf("bad count in %q", line)
	}
	cpu, err := strconv.ParseFloat(kv["cpu_ns"], 64)
	if err != nil || cpu < 0 {
		return result{}, fmt.Errorf("bad cpu_ns in %q", line)
	}
	return result{count: count, value: value, cpu: cpu}, nil
}

// capped keeps the first 64 KiB written to it and discards the rest.
type capped struct{ bytes.Buffer }

func (c *capped) Write(p []byte) (int, error) {
	if room := 64<<10 - c.Len(); room < len(p) {
		if room > 0 {
			c.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return c.Buffer.Write(p)
}
