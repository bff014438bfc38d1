package chapters

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// dump writes the model as text, for the golden file.
func dump(c *Chapter) string {
	var b strings.Builder
	fmt.Fprintf(&b, "chapter %d %q slug=%s path=%s\n", c.Number, c.Title, c.Slug, c.Path)
	for _, s := range c.Sections {
		fmt.Fprintf(&b, "section %q #%s line %d\n", s.Title, s.ID, s.Line)
	}
	for _, blk := range c.Blocks {
		prog := ""
		if blk.Program != nil {
			prog = " program=" + blk.Program.Name
		}
		fmt.Fprintf(&b, "block role=%d lines %d-%d%s hidden=%v solution=%q\n", blk.Role, blk.Line, blk.EndLine, prog, blk.Hidden, blk.Solution)
	}
	for _, p := range c.Programs {
		fmt.Fprintf(&b, "program %s:\n%s", p.Name, p.Source())
	}
	for _, s := range c.Scenes {
		fmt.Fprintf(&b, "scene %s line %d timeout %v serial=%v\n", s.Name, s.Line, s.Timeout, s.Serial)
		for _, sl := range s.Script {
			fmt.Fprintf(&b, "  script lead %q command %q rest %q comment %q\n", sl.Lead, sl.Command, sl.Rest, sl.Comment)
		}
		legend := s.Legend()
		for _, p := range []string{"echo-1", "echo-2", "other"} {
			fmt.Fprintf(&b, "  legend %s colour %d pad %q\n", p, legend.Colour(p, 8), legend.Pad(p))
		}
		for _, st := range s.Steps {
			fmt.Fprintf(&b, "  step line %d op %d procs %v args %q re %v exit %v timeout %v negate %v sleep %v env %q\n",
				st.Line, st.Op, st.Procs, st.Args, st.Regexp, st.Exit, st.Timeout, st.Negate, st.Duration, st.Env)
		}
		for _, ch := range s.Checks {
			fmt.Fprintf(&b, "  check line %d kind %d procs %v re %v bounds %s\n", ch.Line, ch.Kind, ch.Procs, ch.Regexp, ch.Bounds())
		}
		if s.Transcript != nil {
			fmt.Fprintf(&b, "  transcript:\n%s", FormatTranscript(s.Transcript.Lines))
		}
	}
	for _, e := range c.Exercises {
		fmt.Fprintf(&b, "exercise %s %q line %d hints %q file %s\n", e.Name, e.Title, e.Line, e.Hints, e.LearnerFile("echo"))
		for _, p := range e.Starters {
			fmt.Fprintf(&b, "  starter %s:\n%s", p.Name, p.Source())
		}
		for _, s := range e.Check {
			fmt.Fprintf(&b, "  check %s\n", s.Name)
		}
	}
	return b.String()
}

func TestParseGolden(t *testing.T) {
	src, err := os.ReadFile("testdata/01-sample.md")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse("chapters/01-sample.md", src)
	if err != nil {
		t.Fatal(err)
	}
	got := dump(c)
	golden := filepath.Join("testdata", "01-sample.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("model differs from %s (go test ./chapters -update rewrites it):\n%s", golden, got)
	}
}

func TestLoadEmbedded(t *testing.T) {
	b, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Chapters) == 0 {
		t.Fatal("no chapters")
	}
	for _, c := range b.Chapters {
		for _, p := range c.Programs {
			if !strings.HasPrefix(string(p.Source()), "//line "+c.Path+":") {
				t.Errorf("%s: program %s does not start with a //line directive", c.Path, p.Name)
			}
		}
	}
}

// chapter builds a chapter source from lines, so that tests can name lines.
func chapter(lines ...string) []byte { return []byte(strings.Join(lines, "\n") + "\n") }

var okProgram = []string{"```go program=p", "package main", "func main() {}", "```"}

func TestParseErrors(t *testing.T) {
	with := func(extra ...string) []byte {
		return chapter(append(append([]string{"# T", ""}, okProgram...), extra...)...)
	}
	tests := []struct {
		name string
		src  []byte
		want string // the expected diagnostic, after "chapters/01-x.md:"
	}{
		{"unclosed fence", with("", "```scene name=a", "start p"), "8: code fence is never closed"},
		{"unknown attribute", chapter("# T", "```go program=p rnu", "package main", "func main() {}", "```"), `2: unknown attribute "rnu"`},
		{"attribute without value", chapter("# T", "```go program=", "```"), "2: attribute program= has no value"},
		{"plain go fence", chapter("# T", "```go", "x := 1", "```"), "2: a go block needs program=NAME"},
		{"no main", chapter("# T", "```go program=p", "package main", "```"), "2: program p has no func main"},
		{"no package", chapter("# T", "```go program=p", "func main() {}", "```"), "2: program p has no package main"},
		{"no title", chapter("text", "```go program=p", "package main", "func main() {}", "```"), "1: a chapter needs a title"},
		{"scene without name", with("```scene", "start p", "```"), "7: a scene needs name=NAME"},
		{"two scenes one name", with("```scene name=a", "start p", "```", "```scene name=a", "start p", "```"), "10: a scene named a is already defined at line 7"},
		{"unknown program", with("```scene name=a", "start q", "```"), `8: start: unknown program "q" (this chapter has p)`},
		{"unknown command", with("```scene name=a", "strat p", "```"), `8: unknown scene command "strat"`},
		{"not started", with("```scene name=a", "start p", "kill q", "```"), "9: no process named q was started before this line"},
		{"started twice", with("```scene name=a", "start p", "start p", "```"), "9: process p is already started; use restart p"},
		{"bad regexp", with("```scene name=a", "start p", "wait p /(/", "```"), "9: bad regexp /(/"},
		{"bad env", with("```scene name=a", "env NOEQUALS", "start p", "```"), "8: usage: env KEY=VALUE"},
		{"bad quote", with("```scene name=a", "start p \"abc", "```"), "8: bad quoted word"},
		{"unterminated regexp", with("```scene name=a", "start p", "wait p /abc", "```"), "9: unterminated /regexp/"},
		{"negated wait without timeout", with("```scene name=a", "start p", "! wait p exit", "```"), "9: ! wait needs a timeout"},
		{"bad sleep", with("```scene name=a", "start p", "sleep soon", "```"), `9: sleep: bad duration "soon"`},
		{"malformed bound", with("```scene name=a", "start p", "count p /x/ 3-4", "```"), `9: count: bad bound "3-4"`},
		{"empty bound", with("```scene name=a", "start p", "count p /x/ 5..4", "```"), `9: count: empty bound "5..4"`},
		{"range without group", with("```scene name=a", "start p", "range p /x/ 1..2", "```"), "9: range: /x/ needs a (group)"},
		{"check of unknown process", with("```scene name=a", "start p", "unordered q", "```"), "9: no process named q is started in this scene"},
		{"bad timeout", with("```scene name=a timeout=forever", "start p", "```"), `7: bad timeout "forever"`},
		{"empty scene", with("```scene name=a", "# nothing", "```"), "7: scene a has no commands"},
		{"transcript without scene", with("```transcript", "p | hi", "```"), "7: a transcript must follow its scene directly"},
		{"transcript after prose", with("```scene name=a", "start p", "```", "", "words", "", "```transcript", "p | hi", "```"), "13: a transcript must follow its scene directly (line 11 is in between)"},
		{"bad transcript line", with("```scene name=a", "start p", "```", "```transcript", "hello", "```"), "11: transcript line is neither"},
		{"exercise without title", with("```exercise name=e", "edit: p", "check: a", "```"), "7: exercise e needs a title"},
		{"exercise edits unknown program", with("```scene name=a", "start p", "```", "```exercise name=e", "title: E", "edit: q", "check: a", "```"), "10: exercise e: edit names q"},
		{"exercise without starter", with("```scene name=a", "start p", "```", "```exercise name=e", "title: E", "edit: p", "check: a", "```"), "10: exercise e: program p has no starter"},
		{"starter of unknown exercise", with("```go program=p starter=zz", "package main", "func main() {}", "```"), "7: starter=zz: the chapter has no exercise zz"},
		{"unknown exercise key", with("```exercise name=e", "titel: E", "```"), `8: unknown exercise key "titel"`},
		{"unknown role with attributes", chapter("# T", "```scen name=a", "```"), "2: attributes on a scen block mean nothing to the workshop; roles are go, diagram, scene, transcript and exercise"},
		{"method main", chapter("# T", "```go program=p", "package main", "type T int", "func (T) main() {}", "```"), "2: program p has no func main"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("chapters/01-x.md", tt.src)
			if err == nil {
				t.Fatalf("no error; want %s", tt.want)
			}
			want := "chapters/01-x.md:" + tt.want
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, want)
			}
		})
	}
}

// TestOneErrorPerTypo holds the parser to one diagnostic for one mistake:
// what refers to a block whose opening line is wrong is not reported too.
func TestOneErrorPerTypo(t *testing.T) {
	scene := func(fence string) []string {
		name := strings.TrimPrefix(strings.Fields(fence)[1], "name=")
		return []string{"```" + fence, "start p", "```", "", "```transcript", "p : exit 0", "```",
			"```exercise name=e", "title: E", "edit: p", "check: " + name, "```",
			"```go program=p starter=e", "package main", "func main() {}", "```"}
	}
	tests := []struct {
		name string
		src  []string
		want string
	}{
		{"scene attribute", scene("scene name=a timout=5s"), `7: unknown attribute "timout"`},
		{"scene timeout", scene("scene name=a timeout=5"), `7: bad timeout "5"`},
		{"scene attribute without value", scene("scene name=a serial="), `7: attribute serial= has no value`},
		{"scene role", scene("scen name=a"), `7: attributes on a scen block`},
		{"scene name", scene("scene name=a.b"), `7: bad scene name "a.b"`},
		{"program attribute", append(scene("scene name=a"), "```go program=q hiden", "package main", "func main() {}", "```", "```scene name=b", "start q", "```"), `23: unknown attribute "hiden"`},
		{"exercise attribute", []string{"```exercise name=e title=E", "title: E", "edit: p", "check: a", "```",
			"```go program=p starter=e", "package main", "func main() {}", "```", "```scene name=a", "start p", "```"}, `7: unknown attribute "title"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := chapter(append(append([]string{"# T", ""}, okProgram...), tt.src...)...)
			_, err := Parse("chapters/01-x.md", src)
			if err == nil {
				t.Fatalf("no error; want %s", tt.want)
			}
			if got, want := err.Error(), "chapters/01-x.md:"+tt.want; !strings.HasPrefix(got, want) || strings.Contains(got, "\n") {
				t.Errorf("errors:\n%v\nwant one, starting with:\n%s", got, want)
			}
		})
	}
}

func TestScanWords(t *testing.T) {
	tests := []struct {
		line    string
		words   []string
		comment string
	}{
		{`start p "a #b" "" x # c`, []string{"start", "p", "a #b", "", "x"}, "# c"},
		{`wait p /a #b \/ c/ 2s #c`, []string{"wait", "p", `/a #b \/ c/`, "2s"}, "#c"},
		{`# all comment`, nil, "# all comment"},
		{`start p a#b "q\"#"`, []string{"start", "p", "a#b", `q"#`}, ""},
	}
	for _, tt := range tests {
		words, c, err := scanWords(tt.line)
		if err != nil || !slices.Equal(words, tt.words) || tt.line[c:] != tt.comment {
			t.Errorf("scanWords(%q) = %q, comment %q, %v; want %q, comment %q", tt.line, words, tt.line[c:], err, tt.words, tt.comment)
		}
	}
}

func TestBadFileName(t *testing.T) {
	_, err := Parse("chapters/ping.md", chapter("# T"))
	if err == nil || !strings.Contains(err.Error(), "chapters/ping.md:1: chapter files are named NN-slug.md") {
		t.Errorf("err = %v", err)
	}
}

func TestWithTranscripts(t *testing.T) {
	src := chapter(append(append([]string{"# T", ""}, okProgram...),
		"```scene name=a", "start p", "```", "", "```scene name=b", "start p", "```", "", "```transcript", "p | old", "```", "end")...)
	c, err := Parse("chapters/01-x.md", src)
	if err != nil {
		t.Fatal(err)
	}
	out := c.WithTranscripts(map[*Scene][]Line{
		c.Scene("a"): {{Proc: "p", Text: "new a"}},
		c.Scene("b"): {{Proc: "p", Text: "new b"}, {Proc: "p", Status: true, Text: "exit 0"}},
	})
	c2, err := Parse("chapters/01-x.md", out)
	if err != nil {
		t.Fatalf("rewritten chapter does not parse: %v\n%s", err, out)
	}
	if got := FormatTranscript(c2.Scene("a").Transcript.Lines); got != "p | new a\n" {
		t.Errorf("scene a transcript = %q", got)
	}
	if got := FormatTranscript(c2.Scene("b").Transcript.Lines); got != "p | new b\np : exit 0\n" {
		t.Errorf("scene b transcript = %q", got)
	}
	if !strings.HasSuffix(string(out), "```\nend\n") || strings.Contains(string(out), "old") {
		t.Errorf("rewritten chapter:\n%s", out)
	}
}

func FuzzParse(f *testing.F) {
	// Seeds: the real chapters, cut into pieces of a few fences each (the
	// fuzzer mutates small inputs far faster than whole chapters).
	names, _ := filepathGlob("*.md")
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			continue
		}
		for _, piece := range bytes.SplitAfter(b, []byte("\n## ")) {
			if len(piece) > 4096 {
				piece = piece[:4096]
			}
			f.Add(piece)
		}
	}
	sample, _ := os.ReadFile("testdata/01-sample.md")
	f.Add(sample)
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := Parse("chapters/01-fuzz.md", src)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "chapters/01-fuzz.md:") {
				t.Errorf("error does not name the chapter: %v", err)
			}
			return
		}
		for _, p := range c.Programs {
			p.Source()
		}
		c.WithTranscripts(map[*Scene][]Line{})
	})
}

var filepathGlob = filepath.Glob

// TestProgramsAreGofmtClean holds the chapters' Go to gofmt's layout: each
// program and starter, its blocks joined as the reader sees them.
func TestProgramsAreGofmtClean(t *testing.T) {
	b, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range b.Chapters {
		progs := append([]*Program(nil), c.Programs...)
		for _, e := range c.Exercises {
			progs = append(progs, e.Starters...)
		}
		for _, p := range progs {
			code := p.Code()
			formatted, err := format.Source([]byte(code))
			if err != nil {
				continue // a compile error; the runner reports it with its line
			}
			if string(formatted) != code {
				t.Errorf("%s:%d: program %s is not gofmt-clean; first difference:\n%s", c.Path, p.Line(), p.Name, firstDiff(code, string(formatted)))
			}
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("\thave %q\n\twant %q", al[i], bl[i])
		}
	}
	return "\t(a difference in length)"
}

// TestExerciseNumbersInProse keeps the prose true: a chapter that tells the
// reader "make exercise-N" names one of its own exercises.
func TestExerciseNumbersInProse(t *testing.T) {
	b, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`make (exercise|check|hint|solution)-(\d+)`)
	for _, c := range b.Chapters {
		own := map[string]bool{}
		for _, e := range c.Exercises {
			own[strconv.Itoa(e.Number)] = true
		}
		for i, line := range strings.Split(string(c.Source), "\n") {
			for _, m := range re.FindAllStringSubmatch(line, -1) {
				if !own[m[2]] {
					t.Errorf("%s:%d: %q names no exercise of this chapter (its exercises are %v)", c.Path, i+1, m[0], keys(own))
				}
			}
		}
	}
}

func keys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
