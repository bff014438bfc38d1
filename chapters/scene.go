package chapters

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Op is a scene command.
type Op int

const (
	OpStart Op = iota + 1
	OpRestart
	OpWait
	OpSleep
	OpInterrupt
	OpKill
	OpEnv
	OpMark
	OpCPU
	OpTrace
	OpDelay
)

// TraceSuffix ends the name under which a traced process's calls into
// libzmq are recorded: the trace of relay is relay.zmq.
const TraceSuffix = ".zmq"

// A Step is one command of a scene's script.
type Step struct {
	Line     int
	Text     string // the command as written
	Op       Op
	Procs    []string   // the processes it acts on, ranges expanded
	Program  *Program   // OpStart
	Args     [][]string // OpStart: the arguments of each of Procs
	Regexp   *regexp.Regexp
	Exit     bool          // OpWait: for the end of the process, not a line
	Timeout  time.Duration // OpWait: 0 means the scene's bound
	Negate   bool          // OpWait: the wait must time out
	Duration time.Duration // OpSleep; OpDelay: how long the call is held
	Call     string        // OpDelay: the call held: send, bind or connect
	Nth      int           // OpDelay: which call of its kind, from 1
	After    bool          // OpDelay: hold after the call returns, not before
	Env      string        // OpEnv: KEY=VALUE
	Mark     string        // OpMark: the name of the mark; OpCPU: the mark the span starts at
	CPU      time.Duration // OpCPU: the most CPU time PROC may use since Mark
	Else     string        // OpWait, OpCPU: what to say when the step fails
}

// CheckKind says what a Check tolerates or bounds.
type CheckKind int

const (
	CheckUnordered CheckKind = iota + 1
	CheckVary
	CheckRange
	CheckCount
)

// A Check states how a scene's output may vary from its transcript.
type Check struct {
	Line   int
	Text   string
	Kind   CheckKind
	Procs  []string // names or patterns; "*" is every process
	Regexp *regexp.Regexp
	Lo, Hi *float64 // CheckRange, CheckCount; nil is unbounded
}

// Applies reports whether the check concerns the process.
func (c *Check) Applies(proc string) bool {
	for _, p := range c.Procs {
		if ok, _ := path.Match(p, proc); ok {
			return true
		}
	}
	return false
}

// In reports whether v is within the check's bounds.
func (c *Check) In(v float64) bool {
	return (c.Lo == nil || v >= *c.Lo) && (c.Hi == nil || v <= *c.Hi)
}

// Bounds formats the check's range as written.
func (c *Check) Bounds() string {
	f := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	}
	return f(c.Lo) + ".." + f(c.Hi)
}

const (
	defaultSceneTimeout = 10 * time.Second
	maxSceneTimeout     = 2 * time.Minute
)

var (
	nameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)
	// procRE also takes the name of a process's trace.
	procRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*(\.zmq)?$`)
	envRE  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
)

// parseScript parses the body of a scene block; first is the line of its
// first command.
func parseScript(c *Chapter, s *Scene, body string, first int) error {
	started := map[string]bool{}
	traced := map[string]int{} // process to the line of its trace or delay
	marks := map[string]bool{}
	for i, raw := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		line := first + i
		sl := splitScriptLine(raw)
		s.Script = append(s.Script, sl)
		text := strings.TrimSpace(sl.Lead + sl.Command + sl.Rest)
		if text == "" {
			continue
		}
		words, err := splitWords(text)
		if err != nil {
			return lineErr(c, line, "%w", err)
		}
		negate := false
		if words[0] == "!" {
			negate = true
			words = words[1:]
			if len(words) == 0 || words[0] != "wait" {
				return lineErr(c, line, "! may only precede wait")
			}
		}
		verb, args := words[0], words[1:]
		st := Step{Line: line, Text: text, Negate: negate}
		if verb == "wait" || verb == "cpu" {
			if args, st.Else, err = cutElse(verb, args); err != nil {
				return lineErr(c, line, "%v", err)
			}
			if i := strings.LastIndex(text, " else "); st.Else != "" && i >= 0 {
				st.Text = strings.TrimSpace(text[:i]) // the message is said apart
			}
		}
		var chk *Check
		switch verb {
		case "start":
			if err := parseStart(c, &st, args); err != nil {
				return lineErr(c, line, "%w", err)
			}
			for _, p := range st.Procs {
				if started[p] {
					return lineErr(c, line, "process %s is already started; use restart %s", p, p)
				}
				started[p] = true
				if traced[p] != 0 {
					started[p+TraceSuffix] = true
				}
			}
		case "trace", "delay":
			if err := parseTrace(&st, verb, args); err != nil {
				return lineErr(c, line, "%w", err)
			}
			for _, p := range st.Procs {
				if started[p] {
					return lineErr(c, line, "%s %s: set it before start %s, which it changes", verb, p, p)
				}
				if traced[p] == 0 {
					traced[p] = line
				}
			}
		case "restart", "interrupt", "kill":
			if len(args) != 1 {
				return lineErr(c, line, "usage: %s PROC", verb)
			}
			st.Op = map[string]Op{"restart": OpRestart, "interrupt": OpInterrupt, "kill": OpKill}[verb]
		case "wait":
			if err := parseWait(&st, args); err != nil {
				return lineErr(c, line, "%w", err)
			}
		case "sleep":
			if len(args) != 1 {
				return lineErr(c, line, "usage: sleep DURATION")
			}
			d, err := time.ParseDuration(args[0])
			if err != nil || d <= 0 {
				return lineErr(c, line, "sleep: bad duration %q (want e.g. 500ms or 2s)", args[0])
			}
			st.Op, st.Duration = OpSleep, d
		case "mark":
			if len(args) != 1 || !nameRE.MatchString(args[0]) {
				return lineErr(c, line, "usage: mark NAME")
			}
			if marks[args[0]] {
				return lineErr(c, line, "mark %s is already set in this scene", args[0])
			}
			marks[args[0]] = true
			st.Op, st.Mark = OpMark, args[0]
		case "cpu":
			if err := parseCPU(&st, args); err != nil {
				return lineErr(c, line, "%v", err)
			}
			if !marks[st.Mark] {
				return lineErr(c, line, "cpu: no mark %s before this line (set one with mark %s)", st.Mark, st.Mark)
			}
		case "env":
			if len(args) != 1 || !envRE.MatchString(args[0]) {
				return lineErr(c, line, "usage: env KEY=VALUE")
			}
			st.Op, st.Env = OpEnv, args[0]
		case "unordered", "vary", "range", "count":
			var err error
			chk, err = parseCheck(verb, args)
			if err != nil {
				return lineErr(c, line, "%w", err)
			}
			chk.Line, chk.Text = line, text
		default:
			return lineErr(c, line, "unknown scene command %q (want start, restart, wait, sleep, interrupt, kill, env, mark, cpu, trace, delay, unordered, vary, range or count)", verb)
		}
		if chk != nil {
			s.Checks = append(s.Checks, *chk)
			continue
		}
		if st.Op != OpStart && st.Op != OpSleep && st.Op != OpEnv && st.Op != OpMark && st.Op != OpTrace && st.Op != OpDelay {
			procs, err := expand(args[0])
			if err != nil {
				return lineErr(c, line, "%w", err)
			}
			for _, p := range procs {
				if !started[p] {
					return lineErr(c, line, "no process named %s was started before this line", p)
				}
				if st.Op != OpWait && strings.HasSuffix(p, TraceSuffix) {
					return lineErr(c, line, "%s: %s is the trace of %s, which only wait and the checks read", verb, p, strings.TrimSuffix(p, TraceSuffix))
				}
			}
			st.Procs = procs
		}
		s.Steps = append(s.Steps, st)
	}
	if len(s.Steps) == 0 {
		return lineErr(c, s.Line, "scene %s has no commands", s.Name)
	}
	for p, line := range traced {
		if !started[p] {
			return lineErr(c, line, "no process named %s is started after this line", p)
		}
	}
	for _, chk := range s.Checks {
		for _, p := range chk.Procs {
			if !strings.ContainsAny(p, "*?[") && !started[p] {
				return lineErr(c, chk.Line, "no process named %s is started in this scene", p)
			}
		}
	}
	return nil
}

func parseStart(c *Chapter, st *Step, args []string) error {
	st.Op = OpStart
	if len(args) == 0 {
		return fmt.Errorf("usage: start PROGRAM [ARGS...] or start PROC = PROGRAM [ARGS...]")
	}
	name := args[0]
	if len(args) >= 2 && args[1] == "=" {
		if len(args) < 3 {
			return fmt.Errorf("start %s = needs a program", name)
		}
		args = args[2:]
	}
	prog := c.Program(args[0])
	if prog == nil {
		return fmt.Errorf("start: unknown program %q (this chapter has %s)", args[0], programNames(c))
	}
	st.Program = prog
	procs, err := expand(name)
	if err != nil {
		return err
	}
	if strings.HasSuffix(name, TraceSuffix) {
		return fmt.Errorf("start: a name ending in %s is kept for the trace of a process", TraceSuffix)
	}
	st.Procs = procs
	lo, _, isRange := rangeOf(name)
	for i := range procs {
		var a []string
		for _, w := range args[1:] {
			if isRange {
				w = strings.ReplaceAll(w, "{}", strconv.Itoa(lo+i))
			}
			a = append(a, w)
		}
		st.Args = append(st.Args, a)
	}
	return nil
}

func programNames(c *Chapter) string {
	if len(c.Programs) == 0 {
		return "no programs"
	}
	var names []string
	for _, p := range c.Programs {
		names = append(names, p.Name)
	}
	return strings.Join(names, ", ")
}

func parseWait(st *Step, args []string) error {
	st.Op = OpWait
	if len(args) < 2 || len(args) > 3 {
		return fmt.Errorf("usage: wait PROC /REGEXP/ [TIMEOUT] or wait PROC exit [TIMEOUT]")
	}
	switch what := args[1]; {
	case what == "exit":
		st.Exit = true
	case len(what) >= 2 && what[0] == '/':
		re, err := compileRE(what)
		if err != nil {
			return err
		}
		st.Regexp = re
	default:
		return fmt.Errorf("wait: want /REGEXP/ or exit, not %q", what)
	}
	if len(args) == 3 {
		d, err := time.ParseDuration(args[2])
		if err != nil || d <= 0 {
			return fmt.Errorf("wait: bad timeout %q (want e.g. 2s)", args[2])
		}
		st.Timeout = d
	}
	if st.Negate && st.Timeout == 0 {
		return fmt.Errorf("! wait needs a timeout: how long must nothing happen?")
	}
	return nil
}

// cutElse takes a trailing else "MESSAGE" off a command's arguments.
func cutElse(verb string, args []string) ([]string, string, error) {
	for i, a := range args {
		if a != "else" {
			continue
		}
		if i != len(args)-2 || strings.TrimSpace(args[i+1]) == "" {
			return nil, "", fmt.Errorf("%s: else takes one quoted message, at the end of the line", verb)
		}
		return args[:i], args[i+1], nil
	}
	return args, "", nil
}

// parseCPU parses cpu PROC < DURATION since MARK.
func parseCPU(st *Step, args []string) error {
	st.Op = OpCPU
	if len(args) != 5 || args[1] != "<" || args[3] != "since" {
		return fmt.Errorf("usage: cpu PROC < DURATION since MARK")
	}
	if strings.ContainsAny(args[0], "{}") {
		return fmt.Errorf("cpu: one process, not %q", args[0])
	}
	d, err := time.ParseDuration(args[2])
	if err != nil || d <= 0 {
		return fmt.Errorf("cpu: bad bound %q (want e.g. 50ms)", args[2])
	}
	st.CPU, st.Mark = d, args[4]
	return nil
}

// parseTrace parses trace PROC and delay PROC [after] CALL N DURATION.
func parseTrace(st *Step, verb string, args []string) error {
	usage := map[string]string{
		"trace": "usage: trace PROC",
		"delay": "usage: delay PROC [after] send|bind|connect N DURATION",
	}[verb]
	if len(args) == 0 {
		return errors.New(usage)
	}
	procs, err := expand(args[0])
	if err != nil {
		return err
	}
	for _, p := range procs {
		if strings.HasSuffix(p, TraceSuffix) {
			return fmt.Errorf("%s: name the process, not its trace: %s", verb, strings.TrimSuffix(p, TraceSuffix))
		}
	}
	st.Procs = procs
	if verb == "trace" {
		if len(args) != 1 {
			return errors.New(usage)
		}
		st.Op = OpTrace
		return nil
	}
	st.Op = OpDelay
	args = args[1:]
	if len(args) > 0 && args[0] == "after" {
		st.After, args = true, args[1:]
	}
	if len(args) != 3 || (args[0] != "send" && args[0] != "bind" && args[0] != "connect") {
		return errors.New(usage)
	}
	n, err := strconv.Atoi(args[1])
	if err != nil || n < 1 {
		return fmt.Errorf("delay: bad call number %q (want 1 for the first %s, 2 for the second, ...)", args[1], args[0])
	}
	d, err := time.ParseDuration(args[2])
	if err != nil || d <= 0 || d > maxSceneTimeout {
		return fmt.Errorf("delay: bad duration %q (want e.g. 500ms)", args[2])
	}
	st.Call, st.Nth, st.Duration = args[0], n, d
	return nil
}

func compileRE(w string) (*regexp.Regexp, error) {
	if len(w) < 2 || w[0] != '/' || w[len(w)-1] != '/' {
		return nil, fmt.Errorf("want /REGEXP/, not %q", w)
	}
	re, err := regexp.Compile(strings.ReplaceAll(w[1:len(w)-1], `\/`, `/`))
	if err != nil {
		return nil, fmt.Errorf("bad regexp %s: %w", w, err)
	}
	return re, nil
}

func parseCheck(verb string, args []string) (*Check, error) {
	chk := &Check{Kind: map[string]CheckKind{
		"unordered": CheckUnordered, "vary": CheckVary, "range": CheckRange, "count": CheckCount,
	}[verb]}
	want := map[CheckKind]int{CheckUnordered: 1, CheckVary: 2, CheckRange: 3, CheckCount: 3}[chk.Kind]
	if len(args) != want {
		return nil, fmt.Errorf("usage: %s", map[CheckKind]string{
			CheckUnordered: "unordered PROC",
			CheckVary:      "vary PROC /REGEXP/",
			CheckRange:     "range PROC /REGEXP/ LO..HI",
			CheckCount:     "count PROC /REGEXP/ LO..HI",
		}[chk.Kind])
	}
	if strings.ContainsAny(args[0], "*?[") {
		if _, err := path.Match(args[0], ""); err != nil || strings.ContainsAny(args[0], "{}") {
			return nil, fmt.Errorf("bad process pattern %q", args[0])
		}
		chk.Procs = []string{args[0]}
	} else {
		procs, err := expand(args[0])
		if err != nil {
			return nil, err
		}
		chk.Procs = procs
	}
	if want >= 2 {
		re, err := compileRE(args[1])
		if err != nil {
			return nil, err
		}
		if chk.Kind == CheckRange && re.NumSubexp() < 1 {
			return nil, fmt.Errorf("range: %s needs a (group) around the number", args[1])
		}
		chk.Regexp = re
	}
	if want == 3 {
		lo, hi, ok := strings.Cut(args[2], "..")
		if !ok || (lo == "" && hi == "") {
			return nil, fmt.Errorf("%s: bad bound %q (want LO..HI, LO.. or ..HI)", verb, args[2])
		}
		var err error
		if chk.Lo, err = parseBound(lo); err == nil {
			chk.Hi, err = parseBound(hi)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: bad bound %q: %w", verb, args[2], err)
		}
		if chk.Lo != nil && chk.Hi != nil && *chk.Lo > *chk.Hi {
			return nil, fmt.Errorf("%s: empty bound %q", verb, args[2])
		}
	}
	return chk, nil
}

func parseBound(s string) (*float64, error) {
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("%q is not a number", s)
	}
	return &v, nil
}

var braceRE = regexp.MustCompile(`\{(\d+)\.\.(\d+)\}`)

func rangeOf(name string) (lo, hi int, ok bool) {
	m := braceRE.FindStringSubmatch(name)
	if m == nil {
		return 0, 0, false
	}
	lo, _ = strconv.Atoi(m[1])
	hi, _ = strconv.Atoi(m[2])
	return lo, hi, true
}

// expand turns client-{1..3} into client-1, client-2, client-3.
func expand(name string) ([]string, error) {
	lo, hi, ok := rangeOf(name)
	if !ok {
		if !procRE.MatchString(name) {
			return nil, fmt.Errorf("bad process name %q (letters, digits, '-' and '_', or a range such as client-{1..5})", name)
		}
		return []string{name}, nil
	}
	if hi < lo || hi-lo >= 100 {
		return nil, fmt.Errorf("bad range in %q", name)
	}
	var names []string
	for i := lo; i <= hi; i++ {
		n := braceRE.ReplaceAllString(name, strconv.Itoa(i))
		if !procRE.MatchString(n) {
			return nil, fmt.Errorf("bad process name %q", n)
		}
		names = append(names, n)
	}
	return names, nil
}
