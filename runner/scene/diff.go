package scene

import (
	"sort"

	"github.com/zmq-workshop/workshop/chapters"
)

// A DiffLine is one line of a Diff: Op is ' ' for a line both have, '-'
// for a line only the transcript has, '+' for one only the run printed.
type DiffLine struct {
	Op   byte
	Line chapters.Line
}

// Diff sets what a run printed beside the scene's transcript, process by
// process (their interleaving never counts), as a readable line diff. It
// compares lines as Compare does, with durations and varying text masked
// and counted lines left out, so that a line it marks is a line that
// matters; the lines it shows are the run's, or the transcript's where the
// run has none. A scene without a transcript diffs against nothing.
func Diff(s *chapters.Scene, got []chapters.Line) []DiffLine {
	var want []chapters.Line
	if s.Transcript != nil {
		want = s.Transcript.Lines
	}
	wantBy, gotBy := byProc(want), byProc(got)
	var procs []string
	seen := map[string]bool{}
	for _, l := range append(append([]chapters.Line{}, want...), got...) {
		if !seen[l.Proc] {
			seen[l.Proc] = true
			procs = append(procs, l.Proc)
		}
	}
	var out []DiffLine
	for _, p := range procs {
		w, g := normalize(s, p, wantBy[p]), normalize(s, p, gotBy[p])
		if unordered(s, p) {
			w, g = sortedLines(w), sortedLines(g)
		}
		// Keep the run's own text where it was masked for comparing.
		shown := gotBy[p]
		if len(shown) != len(g) {
			shown = g // counted lines were dropped: show what was compared
		}
		if unordered(s, p) {
			shown = g
		}
		out = append(out, lcsDiff(w, g, shown)...)
	}
	return out
}

func sortedLines(ls []chapters.Line) []chapters.Line {
	ls = append([]chapters.Line{}, ls...)
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].String() < ls[j].String() })
	return ls
}

// lcsDiff is the longest-common-subsequence diff of want and got; shown
// holds the lines to print for got (the same length).
func lcsDiff(want, got, shown []chapters.Line) []DiffLine {
	n, m := len(want), len(got)
	// lcs[i][j] is the length of the LCS of want[i:] and got[j:]. Programs
	// print at most a few thousand lines in a scene, so the table is small.
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if want[i] == got[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []DiffLine
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && want[i] == got[j]:
			out = append(out, DiffLine{' ', shown[j]})
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, DiffLine{'-', want[i]})
			i++
		default:
			out = append(out, DiffLine{'+', shown[j]})
			j++
		}
	}
	return out
}
