package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// report is what group 1 measured, in the order of configs.
type report struct {
	configs []config
	stats   map[config]map[mode]stats
}

func sizeName(n int) string {
	if n >= 1024 && n%1024 == 0 {
		return fmt.Sprintf("%d KiB", n/1024)
	}
	return fmt.Sprintf("%d B", n)
}

// si formats v with three significant digits and a k or M suffix.
func si(v float64) string {
	switch {
	case v >= 1e6:
		return trim3(v/1e6) + "M"
	case v >= 1e3:
		return trim3(v/1e3) + "k"
	}
	return trim3(v)
}

func trim3(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func (r *report) get(c config, m mode) (stats, bool) {
	s, ok := r.stats[c][m]
	return s, ok && s.n > 0
}

func (r *report) cell(c config, m mode) string {
	s, ok := r.get(c, m)
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%s [%s-%s]", si(s.median), si(s.min), si(s.max))
}

// ratio is the ratio of the medians of two modes; false when one is missing.
func (r *report) ratio(c config, num, den mode) (float64, bool) {
	a, ok1 := r.get(c, num)
	b, ok2 := r.get(c, den)
	if !ok1 || !ok2 {
		return 0, false
	}
	return a.median / b.median, true
}

func (r *report) ratioCell(c config, num, den mode) string {
	if v, ok := r.ratio(c, num, den); ok {
		return fmt.Sprintf("%.2f", v)
	}
	return "-"
}

func (r *report) cpuCell(c config, m mode) string {
	if s, ok := r.get(c, m); ok {
		return trim3(s.cpu / 1e3)
	}
	return "-"
}

func (r *report) cpuRatio(c config, num, den mode) string {
	a, ok1 := r.get(c, num)
	b, ok2 := r.get(c, den)
	if !ok1 || !ok2 || b.cpu == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a.cpu/b.cpu)
}

func (r *report) mbit(c config, m mode) string {
	s, ok := r.get(c, m)
	if !ok {
		return "-"
	}
	return si(s.median * float64(c.size) * 8 / 1e6)
}

// write prints the throughput and latency tables, then the targets.
func (r *report) write(w io.Writer) {
	thr := [][]string{{"throughput, msg/s", "C", "Go", "interp", "Go/C", "interp/Go", "Mb/s: C", "Go", "interp"}}
	lat := [][]string{{"REQ-REP round trip, µs", "C", "Go", "interp", "Go/C", "interp/Go"}}
	for _, c := range r.configs {
		row := []string{c.transport + " " + sizeName(c.size),
			r.cell(c, modeC), r.cell(c, modeGo), r.cell(c, modeInterp),
			r.ratioCell(c, modeGo, modeC), r.ratioCell(c, modeInterp, modeGo)}
		if c.kind == "thr" {
			thr = append(thr, append(row, r.mbit(c, modeC), r.mbit(c, modeGo), r.mbit(c, modeInterp)))
		} else {
			lat = append(lat, row)
		}
	}
	writeTable(w, thr)
	fmt.Fprintln(w)
	writeTable(w, lat)

	fmt.Fprintln(w)
	cpu := [][]string{{"CPU per message, µs", "C", "Go", "interp", "Go/C", "interp/Go"}}
	for _, c := range r.configs {
		cpu = append(cpu, []string{c.kind + " " + c.transport + " " + sizeName(c.size),
			r.cpuCell(c, modeC), r.cpuCell(c, modeGo), r.cpuCell(c, modeInterp),
			r.cpuRatio(c, modeGo, modeC), r.cpuRatio(c, modeInterp, modeGo)})
	}
	writeTable(w, cpu)

	fmt.Fprintln(w)
	fmt.Fprintln(w, "targets (ratios of medians; for latency a ratio of times)")
	var rows [][]string
	for _, t := range targets {
		cmp := ">="
		if t.atMost {
			cmp = "<="
		}
		row := []string{fmt.Sprintf("  %s/%s %s", modeNames[t.num], modeNames[t.den], t.c),
			fmt.Sprintf("%s %.2f", cmp, t.limit), "-", "not measured"}
		if v, ok := r.ratio(t.c, t.num, t.den); ok {
			met := v >= t.limit
			if t.atMost {
				met = v <= t.limit
			}
			row[2], row[3] = fmt.Sprintf("%.3f", v), "not met"
			if met {
				row[3] = "met"
			}
		}
		rows = append(rows, row)
	}
	writeTable(w, rows)
}

// writeTable prints rows in columns two spaces apart, the first column
// aligned left and the others right, but for the last column of a table
// whose cells are words.
func writeTable(w io.Writer, rows [][]string) {
	var width []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(width) {
				width = append(width, 0)
			}
			if n := utf8.RuneCountInString(cell); n > width[i] {
				width[i] = n
			}
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(cell))
			switch {
			case i == 0:
				b.WriteString(cell + pad)
			case i == len(row)-1 && !startsWithDigit(row[i]) && row[i] != "-":
				b.WriteString("  " + cell)
			default:
				b.WriteString("  " + pad + cell)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// A target is a ratio of medians the issue asks for.
type target struct {
	c        config
	num, den mode
	limit    float64
	atMost   bool // the ratio must be at most limit (latency) rather than at least
}

// targets are those of issue 6 for group 1.
var targets = []target{
	{config{"thr", "tcp", 1024}, modeGo, modeC, 0.85, false},
	{config{"thr", "ipc", 1024}, modeGo, modeC, 0.85, false},
	{config{"thr", "tcp", 100}, modeGo, modeC, 0.75, false},
	{config{"thr", "ipc", 100}, modeGo, modeC, 0.75, false},
	{config{"thr", "tcp", 1024}, modeInterp, modeGo, 0.3, false},
	{config{"thr", "ipc", 1024}, modeInterp, modeGo, 0.3, false},
	{config{"thr", "inproc", 1024}, modeInterp, modeGo, 0.3, false},
	{config{"lat", "tcp", 1}, modeInterp, modeGo, 1.2, true},
}

// header says how the figures were made.
func header(w io.Writer, runs int, b *bench) {
	modes := make([]string, len(b.modes))
	for i, m := range b.modes {
		modes[i] = modeNames[m]
	}
	fmt.Fprintln(w, "ZeroMQ from Go against its physical limit")
	fmt.Fprintf(w, "median [min-max] of %d runs of each of %s; each run times about %v after a warm-up\n\n",
		runs, strings.Join(modes, ", "), b.target)
}
