package chapters

import (
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// The geometry of a chapter's lines and fences: goldmark gives byte
// offsets, and diagnostics name lines.

// lineStarts returns the offset of each line's start.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, ch := range src {
		if ch == '\n' && i+1 < len(src) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOf returns the 1-based line of a byte offset.
func (p *parse) lineOf(off int) int {
	return sort.Search(len(p.lines), func(i int) bool { return p.lines[i] > off })
}

// lineText returns a line without its end, or "" past the end.
func (p *parse) lineText(line int) string {
	if line < 1 || line > len(p.lines) {
		return ""
	}
	start, end := p.lines[line-1], len(p.c.Source)
	if line < len(p.lines) {
		end = p.lines[line]
	}
	return strings.TrimRight(string(p.c.Source[start:end]), "\r\n")
}

// blankBetween reports whether every line strictly between from and to is
// blank, or returns the first that is not.
func (p *parse) blankBetween(from, to int) (int, bool) {
	for l := from + 1; l < to; l++ {
		if strings.TrimSpace(p.lineText(l)) != "" {
			return l, false
		}
	}
	return 0, true
}

// fenceLines finds the lines of a fence's opening and closing; closing is 0
// when the fence is never closed.
func (p *parse) fenceLines(f *ast.FencedCodeBlock) (open, close int, fence string) {
	lines := f.Lines()
	switch {
	case f.Info != nil:
		open = p.lineOf(f.Info.Segment.Start)
	case lines.Len() > 0:
		open = p.lineOf(lines.At(0).Start) - 1
	default:
		// An empty fence without info: find it by the node's position.
		open = p.lineOf(f.Pos())
	}
	first := strings.TrimLeft(p.lineText(open), " \t>-*+0123456789.")
	n := len(first) - len(strings.TrimLeft(first, string(first[0:1])))
	fence = first[:n]
	next := open + 1
	if lines.Len() > 0 {
		next = p.lineOf(lines.At(lines.Len()-1).Start) + 1
	}
	closing := strings.TrimSpace(strings.TrimLeft(p.lineText(next), " \t>"))
	if next <= len(p.lines) && strings.HasPrefix(closing, fence) && strings.Trim(closing, fence[:1]) == "" {
		close = next
	}
	return open, close, fence
}
