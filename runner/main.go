// Runner runs the workshop's chapters: their programs, their scenes, and the
// checks that every transcript in the chapters is still true.
//
// Usage:
//
//	runner list
//	runner run [--mode=interp|compiled] N [SCENE]
//	runner check [--mode=interp|compiled|both] [-update] [-v] [-j N] [-count N] [-exercises] [N[/SCENE]...]
//	runner extract [N] DIR
//	runner exercise -prove [-v] [--mode=interp|compiled] [N...]
//	runner exercise [-check|-watch|-hint|-solution] [-force] [--mode=interp|compiled] [N]
//
// list shows the chapters with their programs and scenes.
//
// run plays a chapter's scenes (or one of them) in the terminal, the way an
// instructor shows them: each process's lines are prefixed with its name,
// coloured when the output is a terminal.
//
// check runs scenes without showing them and compares what they print with
// the transcripts in the chapters, one line per scene with its time, and
// ends with "N passed, N failed". -update rewrites the transcripts of the
// scenes it ran. Scenes run four at a time (-j); scenes whose programs share
// an endpoint take turns, and serial scenes run alone. -count N runs each
// scene N times and reports each scene's failure rate (make soak);
// -exercises keeps only the scenes that the exercises' checkers run (make
// soak-exercises).
//
// extract writes each program as DIR/NN-chapter/PROGRAM/main.go, and each
// exercise's starter as DIR/NN-chapter/starter-EXERCISE/PROGRAM/main.go,
// whose //line directives point into the chapter, for editors, gopls,
// gofmt and go vet.
//
// exercise with no argument lists the exercises and the learner's progress.
// With an exercise N (its number, or its name), it copies the starter files
// into workspace/ (never over the learner's files without asking); -check
// runs the exercise's checker scenes with the learner's programs in place of
// the chapter's and explains what is wrong; -watch checks again on every
// save; -hint shows one more hint each time; -solution shows the reference.
// When the learner has several programs to write, the check first runs
// each of them with the chapter's own counterparts, then all of them
// together, so that two wrong halves that agree still fail. -prove is for
// chapter authors: it runs every exercise's reference, starter and each
// wrong solution kept under runner/testdata/exercises/NAME/CASE, and says
// which the checker caught and which it missed (make prove).
//
// run plays the learner's own version of a chapter's program, where they
// made one (workspace/chapters/NN-slug/PROGRAM/main.go, as the notebook of
// make serve saves it), and says so; check always plays the chapters'.
//
// Programs run interpreted by yaegi (--mode=interp, the default for run: it
// starts at once) or compiled by go build into a cache (--mode=compiled).
// check runs both modes unless told otherwise. Every diagnostic names the
// chapter line: parse errors, compile errors and panics. A panic of an
// interpreted program names the first line of the function that panicked
// (a limit of yaegi); --mode=compiled names the very line.
//
// Nothing outlives a run: each process has a process group of its own,
// killed when its scene ends however it ends (pass, failure, the scene's
// time bound, Ctrl-C of the runner); runaway output is cut and the process
// killed. On Linux the runner is a child subreaper: a descendant that
// leaves the group (one that calls setsid) is the runner's to kill and reap
// when the process that started it ends. Two runners on one machine take turns on an endpoint, and a port
// held by another program is named before anything starts.
//
// The chapters are built into the runner; WORKSHOP_CHAPTERS=DIR reads them
// from DIR instead. Compiled programs are cached under the user's cache
// directory, or $WORKSHOP_CACHE.
//
// Example:
//
//	$ go run ./runner check 2
//	ok   02/server-first      interp    0.4s
//	...
//	8 passed, 0 failed
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/zmq-workshop/workshop/runner/prog"
)

// usage names the subcommands; each writes its synopsis once, in its
// newFlags call, which the Usage above repeats (TestUsageInDoc).
const usage = `usage: runner list|run|check|extract|exercise [ARGS...]
       runner COMMAND -h prints the command's synopsis and flags; go doc ./runner is the manual`

var commands = map[string]func(rn *runner, args []string) error{
	"list":     cmdList,
	"run":      cmdRun,
	"check":    cmdCheck,
	"extract":  cmdExtract,
	"exercise": cmdExercise,
}

// errUsage is returned by a subcommand whose arguments are wrong; it has
// already said what.
var errUsage = errors.New("usage")

// errFailed is returned when checks ran and some failed; the report is
// already printed.
var errFailed = errors.New("failed")

func main() {
	prog.Main() // an interpreted program's process goes no further
	rn := &runner{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Chapters: os.Getenv("WORKSHOP_CHAPTERS")}
	os.Exit(rn.run(os.Args[1:]))
}

// run runs the subcommand named by args[0] and returns the exit status.
func (rn *runner) run(args []string) int {
	if len(args) < 1 {
		fmt.Fprintln(rn.Stderr, usage)
		return 2
	}
	cmd, ok := commands[args[0]]
	if !ok {
		if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
			fmt.Fprintln(rn.Stdout, usage)
			return 0
		}
		fmt.Fprintf(rn.Stderr, "runner: unknown command %q\n%s\n", args[0], usage)
		return 2
	}
	switch err := cmd(rn, args[1:]); {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, errFailed):
		return 1
	default:
		var ce *chapterError
		if errors.As(err, &ce) {
			// Each line already names its chapter file and line.
			fmt.Fprintln(rn.Stderr, err)
			return 2
		}
		fmt.Fprintln(rn.Stderr, "runner:", err)
		return 1
	}
}

// chapterError is a malformed chapter: the workshop itself is broken.
type chapterError struct{ err error }

func (e *chapterError) Error() string { return e.err.Error() }
func (e *chapterError) Unwrap() error { return e.err }
