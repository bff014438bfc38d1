package chapters

import (
	"fmt"
	"strconv"
	"strings"
)

// The words of a scene's script lines, for the parser and for display.

// scanWords splits a script line into the words of its command and finds
// its comment. A word that starts with / runs to the next unescaped / and
// may hold spaces; a word in double quotes is a Go string ("" is the empty
// word); a word that starts with # begins the comment, which runs to the
// end of the line. comment is the offset of the comment, or len(s).
func scanWords(s string) (words []string, comment int, err error) {
	for i := 0; i < len(s); {
		wordStart := i == 0 || s[i-1] == ' ' || s[i-1] == '\t'
		switch c := s[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '#' && wordStart:
			return words, i, nil
		case c == '"':
			q, err := strconv.QuotedPrefix(s[i:])
			if err != nil {
				return words, len(s), fmt.Errorf("bad quoted word: %s", s[i:])
			}
			w, _ := strconv.Unquote(q) // QuotedPrefix has checked it
			words = append(words, w)
			i += len(q)
		case c == '/':
			n := regexpLen(s[i:])
			if n < 0 {
				return words, len(s), fmt.Errorf("unterminated /regexp/: %s", s[i:])
			}
			words = append(words, s[i:i+n])
			i += n
		default:
			n := strings.IndexAny(s[i:], " \t")
			if n < 0 {
				n = len(s) - i
			}
			words = append(words, s[i:i+n])
			i += n
		}
	}
	return words, len(s), nil
}

// regexpLen returns the length of the /regexp/ that s starts with, or -1
// if it never ends; \/ does not end it.
func regexpLen(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '/':
			return i + 1
		}
	}
	return -1
}

// splitWords splits a command without its comment into words.
func splitWords(s string) ([]string, error) {
	words, _, err := scanWords(s)
	return words, err
}

// splitScriptLine splits a script line for display, keeping its text
// exactly.
func splitScriptLine(line string) ScriptLine {
	var l ScriptLine
	_, c, _ := scanWords(line)
	line, l.Comment = line[:c], line[c:]
	code := strings.TrimLeft(line, " \t")
	l.Lead = line[:len(line)-len(code)]
	if r, ok := strings.CutPrefix(code, "!"); ok {
		trimmed := strings.TrimLeft(r, " \t")
		l.Lead += code[:len(code)-len(trimmed)]
		code = trimmed
	}
	i := strings.IndexAny(code, " \t")
	if i < 0 {
		i = len(code)
	}
	l.Command, l.Rest = code[:i], code[i:]
	return l
}
