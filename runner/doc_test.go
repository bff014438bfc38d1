package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestUsageInDoc holds the manual to the code: the synopsis of each
// subcommand is written once, in its newFlags call, and the Usage block of
// the package doc lists the same lines.
func TestUsageInDoc(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	var want []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc != nil {
			doc = f.Doc.Text()
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			var fun string
			switch f := call.Fun.(type) {
			case *ast.Ident:
				fun = f.Name
			case *ast.SelectorExpr:
				fun = f.Sel.Name
			}
			if fun != "newFlags" {
				return true
			}
			var args [2]string
			for i, a := range call.Args {
				lit, ok := a.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Fatalf("%s: newFlags takes string literals, so that this test can read them", fset.Position(a.Pos()))
				}
				args[i], _ = strconv.Unquote(lit.Value)
			}
			lines := strings.Split(args[1], "\n")
			want = append(want, strings.TrimSpace("runner "+args[0]+" "+lines[0]))
			for _, l := range lines[1:] {
				want = append(want, strings.TrimSpace(l))
			}
			return true
		})
	}
	if len(want) == 0 {
		t.Fatal("found no newFlags calls")
	}
	_, usage, ok := strings.Cut(doc, "Usage:\n\n")
	if !ok {
		t.Fatal("the package doc has no Usage: block")
	}
	var got []string
	for _, l := range strings.Split(usage, "\n") {
		if !strings.HasPrefix(l, "\t") {
			break
		}
		got = append(got, strings.TrimSpace(l))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the Usage block of the package doc says\n\t%s\nand the subcommands' newFlags calls say\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}
