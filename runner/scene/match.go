package scene

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/zmq-workshop/workshop/chapters"
)

// durationRE matches the durations programs print: Go's time.Duration
// format (1.5s, 230ms, 12µs, 1m2s) and "40 ms".
var durationRE = regexp.MustCompile(`\b\d+(\.\d+)?(h|m|s|ms|µs|us|ns)(\d+(\.\d+)?(m|s|ms|µs|us|ns))*\b|\b\d+(\.\d+)? ?(ms|µs|us|ns)\b`)

const mask = "…"

// Compare checks the lines a scene printed against a transcript (the
// scene's own, or a new recording) and the bounds its checks state. It
// returns what is wrong, in words a reader of the chapter understands; none
// means the scene passed.
func Compare(s *chapters.Scene, t *chapters.Transcript, got []chapters.Line) []string {
	if t == nil {
		return []string{fmt.Sprintf("the scene has no transcript yet; record one with: go run ./runner check -update %d", s.Chapter.Number)}
	}
	var problems []string
	want := t.Lines
	wantBy, gotBy := byProc(want), byProc(got)
	var procs []string
	for p := range wantBy {
		procs = append(procs, p)
	}
	for p := range gotBy {
		if _, ok := wantBy[p]; !ok {
			procs = append(procs, p)
		}
	}
	sort.Strings(procs)

	for _, chk := range s.Checks {
		problems = append(problems, checkBounds(&chk, gotBy)...)
	}
	for _, p := range procs {
		// Counted lines are left out first: a process whose lines are all
		// counted need not be in the transcript at all.
		w, g := normalize(s, p, wantBy[p]), normalize(s, p, gotBy[p])
		if len(w) == 0 && len(g) == 0 {
			continue
		}
		if len(w) == 0 {
			problems = append(problems, fmt.Sprintf("%s printed lines the transcript does not have, starting with %q", p, g[0].String()))
			continue
		}
		if len(g) == 0 {
			problems = append(problems, fmt.Sprintf("%s printed nothing; the transcript expects %q", p, w[0].String()))
			continue
		}
		if unordered(s, p) {
			problems = append(problems, diffUnordered(p, w, g)...)
		} else {
			problems = append(problems, diffOrdered(p, w, g)...)
		}
	}
	return problems
}

func byProc(lines []chapters.Line) map[string][]chapters.Line {
	m := map[string][]chapters.Line{}
	for _, l := range lines {
		m[l.Proc] = append(m[l.Proc], l)
	}
	return m
}

func unordered(s *chapters.Scene, proc string) bool {
	for _, c := range s.Checks {
		if c.Kind == chapters.CheckUnordered && c.Applies(proc) {
			return true
		}
	}
	return false
}

// normalize drops counted lines and masks what may vary, so that two runs
// that differ only there compare equal.
func normalize(s *chapters.Scene, proc string, lines []chapters.Line) []chapters.Line {
	var out []chapters.Line
next:
	for _, l := range lines {
		for _, c := range s.Checks {
			if c.Kind == chapters.CheckCount && c.Applies(proc) && !l.Status && c.Regexp.MatchString(l.Text) {
				continue next
			}
		}
		// Trailing blanks do not survive editors; they do not count.
		l.Text = strings.TrimRight(l.Text, " \t")
		if !l.Status {
			l.Text = durationRE.ReplaceAllString(l.Text, mask)
			for _, c := range s.Checks {
				if (c.Kind == chapters.CheckVary || c.Kind == chapters.CheckRange) && c.Applies(proc) {
					l.Text = maskRE(c.Regexp, l.Text)
				}
			}
		}
		out = append(out, l)
	}
	return out
}

// maskRE replaces what re matches in s, or only its first group if it has
// one.
func maskRE(re *regexp.Regexp, s string) string {
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		from, to := m[0], m[1]
		if len(m) >= 4 && m[2] >= 0 {
			from, to = m[2], m[3]
		}
		b.WriteString(s[last:from])
		b.WriteString(mask)
		last = to
	}
	b.WriteString(s[last:])
	return b.String()
}

func checkBounds(c *chapters.Check, gotBy map[string][]chapters.Line) []string {
	var problems []string
	switch c.Kind {
	case chapters.CheckCount:
		n := 0
		for p, lines := range gotBy {
			if !c.Applies(p) {
				continue
			}
			for _, l := range lines {
				if !l.Status && c.Regexp.MatchString(l.Text) {
					n++
				}
			}
		}
		if !c.In(float64(n)) {
			problems = append(problems, fmt.Sprintf("%d lines of %s match /%s/; the scene expects %s (line %d)", n, strings.Join(c.Procs, ", "), c.Regexp, c.Bounds(), c.Line))
		}
	case chapters.CheckRange:
		matched := false
		for p, lines := range gotBy {
			if !c.Applies(p) {
				continue
			}
			for _, l := range lines {
				m := c.Regexp.FindStringSubmatch(l.Text)
				if l.Status || m == nil {
					continue
				}
				matched = true
				v, err := strconv.ParseFloat(m[1], 64)
				if err != nil {
					problems = append(problems, fmt.Sprintf("%s printed %q: %q is not a number (line %d)", p, l.Text, m[1], c.Line))
				} else if !c.In(v) {
					problems = append(problems, fmt.Sprintf("%s printed %q: %s is outside %s (line %d)", p, l.Text, m[1], c.Bounds(), c.Line))
				}
			}
		}
		if !matched {
			problems = append(problems, fmt.Sprintf("no line of %s matches /%s/ (line %d)", strings.Join(c.Procs, ", "), c.Regexp, c.Line))
		}
	}
	return problems
}

func diffOrdered(proc string, want, got []chapters.Line) []string {
	for i := 0; i < len(want) || i < len(got); i++ {
		switch {
		case i >= len(got):
			return []string{fmt.Sprintf("%s stopped short: missing %q and %d more lines", proc, want[i].String(), len(want)-i-1)}
		case i >= len(want):
			return []string{fmt.Sprintf("%s printed more than the transcript: %q and %d more lines", proc, got[i].String(), len(got)-i-1)}
		case got[i].Status && !want[i].Status:
			return []string{fmt.Sprintf("%s ended (%s) too early: the transcript expects %q next", proc, got[i].Text, want[i].String())}
		case want[i] != got[i]:
			return []string{fmt.Sprintf("%s, line %d of its output:\n\twant %s\n\tgot  %s", proc, i+1, want[i].String(), got[i].String())}
		}
	}
	return nil
}

func diffUnordered(proc string, want, got []chapters.Line) []string {
	count := map[chapters.Line]int{}
	for _, l := range want {
		count[l]++
	}
	for _, l := range got {
		count[l]--
	}
	var missing, extra []string
	for l, n := range count {
		for ; n > 0; n-- {
			missing = append(missing, l.String())
		}
		for ; n < 0; n++ {
			extra = append(extra, l.String())
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, fmt.Sprintf("%s did not print (in any order):\n\t%s", proc, strings.Join(missing, "\n\t")))
	}
	if len(extra) > 0 {
		problems = append(problems, fmt.Sprintf("%s printed lines the transcript does not have:\n\t%s", proc, strings.Join(extra, "\n\t")))
	}
	return problems
}
