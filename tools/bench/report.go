package main

import (
	"fmt"
	"io"
	"strings"
)

// The tables of groups 2 and 3; group 1's are in table.go.

// hopReport is what group 2 measured.
type hopReport struct {
	loads  []hopLoad
	stats  map[hopLoad]map[string]hopStats
	runs   int
	window string
}

func spread(s stats, format func(float64) string) string {
	if s.n == 0 {
		return "-"
	}
	return fmt.Sprintf("%s [%s-%s]", format(s.median), format(s.min), format(s.max))
}

func (r *hopReport) write(w io.Writer) {
	fmt.Fprintln(w, "The cost of a broker hop (compiled Go)")
	fmt.Fprintf(w, "median [min-max] of %d runs; each run times %s of round trips after 100ms of warm-up\n", r.runs, r.window)
	fmt.Fprintln(w, "tcp: chapter 05's broker and chapter 07's lbbroker as the runner builds them, each a process of its own;")
	fmt.Fprintln(w, "inproc: all in one process, the brokers' same loops in tools/bench/hop (inproc cannot cross processes)")
	fmt.Fprintln(w, "NxM: N REQ clients, each one request at a time, and M workers; requests of 16 B")
	fmt.Fprintln(w)

	rate := [][]string{{"requests/s"}}
	lat := [][]string{{"round trip µs, median"}}
	p90 := [][]string{{"round trip µs, p90"}}
	for _, p := range hopPaths {
		rate[0] = append(rate[0], p.label)
		lat[0] = append(lat[0], p.label)
		p90[0] = append(p90[0], p.label)
	}
	for _, p := range hopPaths[1:] {
		rate[0] = append(rate[0], p.label[:2]+"/direct")
		lat[0] = append(lat[0], p.label[:2]+"/direct")
		p90[0] = append(p90[0], fmt.Sprintf("%s/direct", p.label[:2]))
	}
	rate[0][len(hopPaths)+2] = "proxy/direct"
	lat[0][len(hopPaths)+2] = "proxy/direct"
	p90[0][len(hopPaths)+2] = "proxy/direct"
	for _, l := range r.loads {
		st := r.stats[l]
		d := st["direct"]
		rrow, lrow, prow := []string{l.String()}, []string{l.String()}, []string{l.String()}
		for _, p := range hopPaths {
			rrow = append(rrow, spread(st[p.name].rate, si))
			lrow = append(lrow, spread(st[p.name].median, trim3))
			prow = append(prow, trim3(st[p.name].p90))
		}
		for _, p := range hopPaths[1:] {
			rrow = append(rrow, ratio(st[p.name].rate, d.rate))
			lrow = append(lrow, ratio(st[p.name].median, d.median))
			prow = append(prow, fmt.Sprintf("%.2f", st[p.name].p90/d.p90))
		}
		rate, lat, p90 = append(rate, rrow), append(lat, lrow), append(p90, prow)
	}
	writeTable(w, rate)
	fmt.Fprintln(w)
	writeTable(w, lat)
	fmt.Fprintln(w)
	writeTable(w, p90)

	fmt.Fprintln(w)
	one := hopLoad{"tcp", 1, 1}
	if st, ok := r.stats[one]; ok {
		d, b := st["direct"].median, st["proxy"].median
		v := b.median / d.median
		verdict := "holds"
		if v < 1.1 {
			verdict = "does not hold"
		}
		fmt.Fprintf(w, "one hop costs (tcp 1x1, median round trip through the broker minus direct): 05 broker %sµs, 05 proxy %sµs, 07 lbbroker %sµs\n",
			signed(st["broker"].median.median-d.median), signed(b.median-d.median), signed(st["lbbroker"].median.median-d.median))
		fmt.Fprintf(w, "chapter 09's claim, a broker (zmq.Proxy) makes a round trip at least 1.1x slower (tcp 1x1, proxy/direct): %.2f, %s\n", v, verdict)
	}
}

func ratio(num, den stats) string {
	if num.n == 0 || den.n == 0 || den.median == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", num.median/den.median)
}

func signed(v float64) string {
	if v < 0 {
		return "-" + trim3(-v)
	}
	return "+" + trim3(v)
}

func ms(v float64) string { return trim3(v) }

func (r *toolsReport) write(w io.Writer, runs int) {
	fmt.Fprintln(w, "The workshop's own tools")
	fmt.Fprintf(w, "start-up: chapter %02d's %s (prints and exits), median [min-max] of %d runs each, the ways interleaved\n\n",
		startupChapter, startupProgram, runs)
	pre := r.startup[startPrebuilt]
	rows := [][]string{{"start-up to exit, ms", "time", "x prebuilt"}}
	for _, way := range startWays {
		s := r.startup[way]
		rows = append(rows, []string{way, spread(s, ms), ratio(s, pre)})
	}
	writeTable(w, rows)
	fmt.Fprintf(w, "once per program in a fresh runner, before its first process: find the binary in the cache %s ms,\n", spread(r.prepare[0], ms))
	fmt.Fprintf(w, "check the source with yaegi %s ms\n", spread(r.prepare[1], ms))

	fmt.Fprintln(w)
	c := r.check
	fmt.Fprintf(w, "runner check --mode=both of every chapter: %d passed, %d failed\n", c.passed, c.failed)
	for _, f := range c.failures {
		fmt.Fprintf(w, "  failed: %s\n", f)
	}
	rows = [][]string{
		{"  the check, as the runner reports it", fmt.Sprintf("%ss", spread(summarize(r.checkRuns, 0), trim3)), fmt.Sprintf("%d runs", len(r.checkRuns))},
		{"  the scenes' own waits", fmt.Sprintf("%ss", trim3(c.ownWaits)), "sleeps and the timeouts of ! waits, summed over scenes and both modes"},
		{"  the scenes' times, summed", fmt.Sprintf("%ss", trim3(c.sceneSum)), fmt.Sprintf("%d scene runs, as the runner times them (start to last process reaped)", c.scenes)},
		{"  of which serial scenes", fmt.Sprintf("%ss", trim3(c.serialSum)), fmt.Sprintf("%d scene runs that run alone", c.serialCount)},
		{"  serial + busiest port's scenes", fmt.Sprintf("%ss", trim3(c.portBound)), fmt.Sprintf("a lower bound: scenes that name tcp port %s take turns", c.port)},
	}
	writeTable(w, rows)
	var slow []string
	for _, s := range c.slowest {
		slow = append(slow, fmt.Sprintf("%s %s %.1fs (waits %.1fs)", s.id, s.mode, s.secs, s.waits))
	}
	fmt.Fprintf(w, "  longest beyond their own waits: %s\n", strings.Join(slow, ", "))
	starts := float64(c.starts) * (r.startup[startCache].median + r.startup[startInterp].median) / 1e3
	fmt.Fprintf(w, "  processes started: %d per mode; at the start-up times above, %.1fs of the scenes' times\n", c.starts, starts)
	if c.ownWaits > 0 {
		fmt.Fprintf(w, "  check / own waits %.2f; check / (summed scene times) %.2f (the parallelism achieved is its inverse)\n",
			c.wall/c.ownWaits, c.wall/c.sceneSum)
	}

	fmt.Fprintln(w)
	fmt.Fprintf(w, "site: render.Render of %d pages %s ms (parsing the chapters first: %s ms), median [min-max] of %d runs\n",
		r.pages, spread(r.render, ms), spread(r.load, ms), runs)
}

// toolsTargets are issue 6's targets for group 3.
func (r *toolsReport) targets() [][]string {
	pre := r.startup[startPrebuilt].median
	row := func(name, limit string, v float64, met bool, format string) []string {
		verdict := "not met"
		if met {
			verdict = "met"
		}
		return []string{"  " + name, limit, fmt.Sprintf(format, v), verdict}
	}
	interp := r.startup[startInterp].median / pre
	cache := r.startup[startCache].median / pre
	check := r.check.wall / r.check.ownWaits
	return [][]string{
		row("interpreted start-up / prebuilt", "<= 3.00", interp, interp <= 3, "%.2f"),
		row("cached compiled start-up / prebuilt", "<= 1.50", cache, cache <= 1.5, "%.2f"),
		row("runner check / scenes' own waits", "<= 1.20", check, check <= 1.2, "%.2f"),
		row("site render, s", "< 1.00", r.render.median/1e3, r.render.median < 1e3, "%.3f"),
	}
}
