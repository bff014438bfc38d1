package render

import (
	"go/scanner"
	"go/token"
	"html"
	"html/template"
	"strings"
)

// highlight returns Go code as HTML spans with chroma's class names (the
// stylesheet is chroma's), tokenized by go/scanner: exact for Go, and a
// hundred times faster than chroma's regular expressions. Code that does
// not scan (a fragment) is still shown whole; unknown tokens are plain
// text.
func highlight(code string) (template.HTML, error) {
	src := []byte(code)
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(file, src, func(token.Position, string) {}, scanner.ScanComments)
	var b strings.Builder
	last := 0
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue // inserted by the scanner, not in the source
		}
		start := file.Offset(pos)
		text := lit
		if text == "" {
			text = tok.String()
		}
		if start < last || start+len(text) > len(src) || code[start:start+len(text)] != text {
			continue // a token the scanner made up; its text stays plain
		}
		b.WriteString(html.EscapeString(code[last:start]))
		class := tokenClass(tok, lit, code[start+len(text):])
		if class == "" {
			b.WriteString(html.EscapeString(text))
		} else {
			b.WriteString(`<span class="` + class + `">` + html.EscapeString(text) + `</span>`)
		}
		last = start + len(text)
	}
	b.WriteString(html.EscapeString(code[last:]))
	return template.HTML(b.String()), nil
}

var (
	builtinTypes = words("any bool byte comparable complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr")
	builtinFuncs = words("append cap clear close complex copy delete imag len make max min new panic print println real recover")
	constants    = words("true false nil iota")
)

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// tokenClass names a token's class in chroma's scheme; rest is the code
// after the token, to tell a called name.
func tokenClass(tok token.Token, lit, rest string) string {
	switch {
	case tok == token.PACKAGE || tok == token.IMPORT:
		return "kn"
	case tok == token.VAR || tok == token.CONST || tok == token.FUNC || tok == token.TYPE:
		return "kd"
	case tok.IsKeyword():
		return "k"
	case tok == token.IDENT:
		switch {
		case constants[lit]:
			return "kc"
		case builtinTypes[lit]:
			return "kt"
		case strings.HasPrefix(rest, "("):
			if builtinFuncs[lit] {
				return "nb"
			}
			return "nf"
		}
		return "nx"
	case tok == token.STRING || tok == token.CHAR:
		return "s"
	case tok == token.INT:
		return "mi"
	case tok == token.FLOAT || tok == token.IMAG:
		return "mf"
	case tok == token.COMMENT:
		if strings.HasPrefix(lit, "/*") {
			return "cm"
		}
		return "c1"
	case tok == token.LPAREN || tok == token.RPAREN || tok == token.LBRACK || tok == token.RBRACK ||
		tok == token.LBRACE || tok == token.RBRACE || tok == token.COMMA || tok == token.SEMICOLON ||
		tok == token.PERIOD || tok == token.COLON:
		return "p"
	case tok.IsOperator():
		return "o"
	}
	return ""
}
