package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func TestParseResult(t *testing.T) {
	good := []struct {
		line  string
		want  result
		wantV float64
	}{
		{"thr endpoint=tcp://127.0.0.1:* size=100 count=2000 warmup=200 seconds=0.001 msg_per_sec=2000000 mbit_per_sec=1600.000 cpu_ns=450",
			result{2000, 2e6, 450}, 2e6},
		{"lat endpoint=inproc://x size=1 count=500 warmup=100 seconds=0.01 roundtrip_us=20.000 cpu_ns=30000",
			result{500, 20, 30000}, 20},
	}
	for _, g := range good {
		r, err := parseResult(g.line)
		if err != nil || r != g.want {
			t.Errorf("parseResult(%q) = %v, %v; want %v", g.line, r, err, g.want)
		}
	}
	for _, bad := range []string{
		"",
		"hello",
		"thr count=10 msg_per_sec=abc cpu_ns=1",
		"thr count=10 msg_per_sec=0 cpu_ns=1",
		"thr count=10 msg_per_sec=+Inf cpu_ns=1",
		"lat count=10 msg_per_sec=5 cpu_ns=1",
		"thr count msg_per_sec=5 cpu_ns=1",
		"thr count=10 msg_per_sec=5",
	} {
		if r, err := parseResult(bad); err == nil {
			t.Errorf("parseResult(%q) = %v, want an error", bad, r)
		}
	}
}

func TestSummarize(t *testing.T) {
	s := summarize([]float64{5, 1, 3, 9, 2}, 7)
	if want := (stats{median: 3, min: 1, max: 9, count: 7, n: 5}); s != want {
		t.Errorf("odd: got %+v, want %+v", s, want)
	}
	s = summarize([]float64{4, 1, 3, 2}, 7)
	if s.median != 2.5 {
		t.Errorf("even: median %v, want 2.5", s.median)
	}
}

func TestCountFor(t *testing.T) {
	b := &bench{target: 100 * time.Millisecond}
	for _, tc := range []struct {
		c    config
		r    result
		want int
	}{
		{config{"thr", "tcp", 1}, result{value: 1234567}, 120000},
		{config{"thr", "tcp", 1}, result{value: 1000}, calibThr},
		{config{"lat", "tcp", 1}, result{value: 20}, 5000},
		{config{"lat", "tcp", 1}, result{value: 5000}, calibLat},
	} {
		if got := b.countFor(tc.c, tc.r); got != tc.want {
			t.Errorf("countFor(%v, %v) = %d, want %d", tc.c, tc.r.value, got, tc.want)
		}
	}
}

// TestReport renders a report from fixed figures, with one target met and
// one not, and compares it with testdata/report.golden.
func TestReport(t *testing.T) {
	st := func(med, lo, hi float64) stats {
		cpu := 1e9 / med // ns per message at full speed
		if med < 1000 {
			cpu = med * 1500 // ns per round trip, a core and a half busy
		}
		return stats{median: med, min: lo, max: hi, count: 1000, n: 5, cpu: cpu}
	}
	r := &report{configs: configs(), stats: map[config]map[mode]stats{}}
	for _, c := range r.configs {
		if c.kind == "thr" {
			r.stats[c] = map[mode]stats{
				modeC:      st(2e6, 1.9e6, 2.1e6),
				modeGo:     st(1.8e6, 1.7e6, 1.85e6),
				modeInterp: st(2e5, 1.5e5, 2.5e5),
			}
		} else {
			r.stats[c] = map[mode]stats{
				modeC:      st(20, 19, 25),
				modeGo:     st(21, 20, 30),
				modeInterp: st(24, 22, 40),
			}
		}
	}
	delete(r.stats[config{"thr", "ipc", 100}], modeGo)
	var buf bytes.Buffer
	r.write(&buf)
	golden := filepath.Join("testdata", "report.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("report differs from %s (go test -update rewrites it):\n%s", golden, buf.Bytes())
	}
}
