package chapters

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// The transcript writer: runner check -update records what a scene printed
// into its chapter with these.

// FormatTranscript writes transcript lines with the names aligned.
func FormatTranscript(lines []Line) string {
	w := 0
	for _, l := range lines {
		w = max(w, len(l.Proc))
	}
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "%-*s %s", w, l.Proc, l.sep())
		if text := strings.TrimRight(l.Text, " \t"); text != "" {
			b.WriteString(" " + text)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// WithTranscripts returns the chapter's source with the transcripts of the
// given scenes replaced, or inserted after their scene.
func (c *Chapter) WithTranscripts(ts map[*Scene][]Line) []byte {
	lines := bytes.SplitAfter(c.Source, []byte("\n"))
	type edit struct {
		from, to int // 0-based line range to replace, to exclusive
		text     string
	}
	var edits []edit
	for s, tl := range ts {
		body := "```transcript\n" + FormatTranscript(tl) + "```\n"
		if s.Transcript != nil && s.Transcript.Block != nil {
			edits = append(edits, edit{s.Transcript.Block.Line - 1, s.Transcript.Block.EndLine, body})
		} else {
			edits = append(edits, edit{s.Block.EndLine, s.Block.EndLine, "\n" + body})
		}
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].from > edits[j].from })
	for _, e := range edits {
		lines = slices.Replace(lines, e.from, e.to, []byte(e.text))
	}
	return bytes.Join(lines, nil)
}
