// Package chapters holds the workshop's chapters and parses them into the
// model that the runner executes and the site renders.
//
// The chapters are Markdown files in this folder, named NN-slug.md
// (02-ping-pong.md), and embedded in the binaries that import this package.
// A chapter reads well on any Markdown viewer; the workshop gives meaning to
// its fenced code blocks, whose info string says what each block is. This
// comment is the format's only specification.
//
// # Chapters
//
// The number in the file name orders the chapters and names them on the
// command line (make chapter-2, runner run 2). The first level-one heading is
// the title, which every chapter needs; level-two headings are the sections
// shown in the site's sidebar. Every fenced code block with one of the roles
// below (go, diagram, scene, transcript and exercise) is part of the model;
// any other fence (text, sh) is prose.
//
// An info string is a role followed by attributes, each key=value or a bare
// key:
//
//	```go program=server hidden
//
// A go fence without program=NAME or fragment, an attribute the role does
// not know, an attribute given twice or with = and no value, and attributes
// on a fence that is prose are errors. All errors are reported as
// chapters/NAME.md:LINE: message, one a line: a mistake in a fence's
// opening line is reported there, and not again where the chapter refers
// to the block.
//
// Names (of programs, scenes, exercises and processes) are a letter, then
// letters, digits, '-' and '_'.
//
// # Programs
//
// A go block with program=NAME is part of the program NAME, a main package.
// A program may be split over several blocks, so prose can sit between its
// pieces; the blocks are joined in the order they appear (two blocks with
// one program name are one program, never an error). Attributes:
//
//	program=NAME       the program the block belongs to
//	hidden             compiled, and collapsed on the site (imports, boilerplate)
//	starter=EXERCISE   part of an exercise's starter, not of the program
//	solution=EXERCISE  the reference solution of an exercise, shown collapsed
//
// The blocks are joined with a blank line between two, each preceded by a
// //line directive, so every compile error, vet report and panic, in both
// modes, names the chapter file and line. A program must be package main
// with a func main.
//
// A go block with the role fragment is shown to the reader and never run:
//
//	```go fragment
//
// Every go block is one or the other: a plain ```go fence is an error, so
// that nothing that looks runnable goes unchecked.
//
// # Diagrams
//
// A diagram block holds ASCII art; the site draws it as SVG
// (github.com/bep/goat) and keeps the text for readers without SVG:
//
//	```diagram
//
// goat reads - | + as lines, / \ as diagonals, * and o as junctions and
// < > ^ v as arrow heads where they touch a line: keep text such as
// tcp://*:5555 off the lines, or it is drawn.
//
// # Scenes
//
// A scene block is a small script that runs the chapter's programs as
// processes, the way an instructor would in front of a room:
//
//	```scene name=five-clients timeout=15s
//	start server
//	wait server /ready/
//	start client-{1..5} = client {}
//	wait client-{1..5} exit
//	interrupt server
//	wait server exit
//	```
//
// Attributes: name (required, unique in the chapter) and timeout, the bound
// on the whole scene (a Go duration, default 10s, at most 2m). A scene that
// runs past its bound fails and all its processes are killed. serial asks
// that no other scene run beside this one, for scenes that measure time.
//
// One command a line. A word that starts with # starts a comment, which
// runs to the end of the line; a word in double quotes is a Go string
// literal, for arguments with spaces or none (""); a word that starts with
// / runs to the next / not escaped as \/, spaces and # included. PROC is a
// process's display name; {A..B} in it expands to one name per number (at
// most 100) and {} in the arguments of start stands for that number. A
// process is started once, and named only after it is started.
//
//	start PROGRAM [ARGS...]          start a process named after the program
//	start PROC = PROGRAM [ARGS...]   start a process with a display name
//	restart PROC                     start PROC again, same program and arguments
//	wait PROC /REGEXP/ [TIMEOUT]     until PROC prints a matching line (RE2);
//	                                 lines printed before the wait count
//	wait PROC exit [TIMEOUT]         until PROC has ended
//	! wait PROC ... TIMEOUT          expect the wait to time out: nothing happens
//	sleep DURATION                   pause the script
//	interrupt PROC                   send SIGINT (what Ctrl-C does)
//	kill PROC                        send SIGKILL
//	env KEY=VALUE                    set an environment variable for the
//	                                 processes started after this line
//	mark NAME                        note the time and the CPU time used so
//	                                 far by every running process
//	cpu PROC < DURATION since NAME   PROC has used less CPU time than
//	                                 DURATION since mark NAME
//	trace PROC                       record PROC's calls into libzmq as
//	                                 the lines of PROC.zmq (before start)
//	delay PROC CALL N DURATION       hold PROC's Nth call of CALL (send,
//	                                 bind or connect) for DURATION before
//	                                 libzmq does it (before start)
//	delay PROC after CALL N DURATION hold the thread that made the Nth call
//	                                 for DURATION after it returns
//
// A wait without TIMEOUT is bounded by the scene. A wait that times out
// says what it waited for and what the processes printed last. A wait or
// cpu line may end with else "MESSAGE": what the failure usually means, in
// the learner's words, added to the report when the step fails:
//
//	wait proxy exit 2s else "Term waits until every socket is closed"
//
// The CPU time of cpu is the user and system time of the whole process,
// every thread of it (read from /proc/PID/stat while it runs, from its
// rusage once it has ended), in steps of 10ms. An interpreted program is
// one process too, and the interpreter's start-up costs CPU: set the mark
// once the process is ready (after a wait for its ready line), so that the
// span measures only what the lesson is about, such as a broker waiting
// for a request. A process that waits in Recv or Poll uses next to none; one
// that polls in a loop uses a core:
//
//	wait broker /ready/
//	...
//	mark waiting
//	wait client-1 exit 3s
//	cpu broker < 50ms since waiting else "poll the frontend only while a worker is free"
//
// A process must have been running at the mark, in the same lifetime.
//
// trace and delay show what a program does with ZeroMQ where its output
// cannot: whether it made sockets at all, which endpoint it named, whether
// it closed every socket and terminated its context or only said so, and
// what it does when a signal comes late. They come before the start of the
// process (they change how it is started) and last for all its lifetimes;
// delay traces the process too. The runner loads a small library of its
// own between the program and libzmq (LD_PRELOAD, built from
// runner/prog/zmqtrace/zmqtrace.c with the C compiler cgo uses), which
// writes one line for each call that makes, connects or ends a socket or
// a context, recorded as the lines of a second process, PROC.zmq. wait and
// the checks below read them like any process's lines, and they are part of
// the transcript:
//
//	context N                   zmq_ctx_new made context N; context 1 is
//	                            zmq4's default, made as the program starts
//	socket TYPE in context N    zmq_socket made a socket of TYPE (PAIR, ...)
//	bind TYPE ENDPOINT          zmq_bind; connect, unbind and disconnect
//	                            alike; a call that fails ends with
//	                            "failed: REASON"
//	set TYPE OPTION VALUE       zmq_setsockopt of LINGER, SNDHWM, RCVHWM,
//	                            SNDTIMEO or RCVTIMEO, the value in libzmq's
//	                            units (milliseconds; -1 is forever)
//	close TYPE                  zmq_close, written before the call (and
//	                            "close TYPE failed: REASON" if it fails)
//	term context N              zmq_ctx_term was called
//	context N terminated        zmq_ctx_term returned
//	send N held DURATION        delay: the Nth zmq_send waits, then sends;
//	                            bind N and connect N alike
//	send N sent, then held D    delay after: the Nth zmq_send has returned
//	                            and its caller waits; "bind N bound, then
//	                            held D" and "connect N connected, then
//	                            held D" alike
//	at exit: sockets open: TYPES; contexts not terminated: N
//	                            when the process has ended, what it left:
//	                            "none" for each, for a program that closed
//	                            every socket and terminated every context
//	                            it made (not counting context 1)
//
// Calls are counted from 1 across the whole process in the order they are
// made, each kind apart: sends one per frame (zmq4's SendMessage sends each
// frame apart), binds and connects whatever their socket or endpoint, zmq4's
// own included (AuthStart binds the ZAP handler's REP). Holding a bind
// after it returns leaves a window in which peers may connect before the
// program's next step, such as starting its authentication handler. Lines
// of concurrent goroutines come in the order of their calls, which may
// differ from run to run: say unordered PROC.zmq where it does. A scene
// that holds step 1 of a relay before its signal, then checks that the
// waiting steps used no CPU and that step 1 printed before it sent:
//
//	delay relay send 1 500ms
//	delay relay after send 1 500ms
//	start relay
//	wait relay.zmq /^send 1 held/ 3s else "the relay made no socket"
//	mark held
//	wait relay.zmq /^send 1 sent/ 3s
//	wait relay /^step 1:/ 200ms else "step 1 prints before it sends"
//	wait relay exit 3s
//	cpu relay < 100ms since held else "the steps wait in Recv"
//
// When the script ends, the
// processes still running are killed and the transcript says so. Every
// process runs in its own process group, and the whole group is killed when
// the scene ends however it ends.
//
// The endpoints a scene uses are read from the string literals of its
// programs ("tcp://*:5555", "ipc:///tmp/x"). The runner holds a lock on each
// such endpoint while the scene runs, so two runs on one machine take turns,
// and a port held by another program is reported by name before anything
// starts.
//
// # Transcripts
//
// A transcript block right after a scene (only blank lines between) holds
// what the scene printed when it last passed. It is written by
// runner check -update, which creates it when the scene has none, and
// checked on every run; do not edit it by hand. -update records the run of
// the first mode, if its script completed: with --mode=both the compiled
// run, and the interpreted run is then checked against the new transcript
// (its failures are reported; the transcript is written all the same).
//
//	```transcript
//	server   | ready on tcp://*:5555
//	client-1 | got "pong 1"
//	client-1 : exit 0
//	server   : signal interrupt
//	```
//
// A line is a process's name, '|' and a line it printed (standard output
// and standard error alike), or the name, ':' and how the process ended:
// "exit N", "signal NAME", or "killed at end of scene". Every status but
// "exit 0" is a failure, and the site marks it.
//
// Processes run concurrently, so the check compares each process's lines on
// their own and ignores how lines of different processes interleave. Within
// one process, order matters unless the scene says otherwise. Durations
// (1.5s, 230ms, 12µs, 40 ms) are masked before comparing; the bounds of
// range below see the text before they are masked. These commands in
// the scene state what else may vary, and bound it:
//
//	unordered PROC               PROC's lines may come in any order
//	vary PROC /REGEXP/           the text matched (or its first group) may differ
//	range PROC /REGEXP/ LO..HI   the number in the first group of every
//	                             matching line is within LO..HI (either may be
//	                             omitted); the number may differ from the
//	                             transcript; at least one line must match
//	count PROC /REGEXP/ LO..HI   the number of matching lines is within LO..HI;
//	                             those lines are left out of the comparison
//
// In these commands PROC may be a pattern (path.Match): * is every process,
// client-* every process whose name starts with client-, worker-[23]
// worker-2 and worker-3. Anything else that differs fails the
// check: a wrong reply, a missing line, a process that printed nothing, a
// number out of bounds.
//
// # Exercises
//
// An exercise block declares an exercise of the chapter; the prose around
// it is the task:
//
//	```exercise name=pingpong
//	title: Ping-pong from scratch
//	edit: client server
//	check: five-clients client-first
//	hint: The server binds; the client connects.
//	hint: A REQ socket must alternate Send and Recv.
//	```
//
// title is what the exercise list shows; edit names the programs the
// learner writes; check names the scenes that check them. hint lines are
// revealed one at a time, in order. The exercises are numbered through the
// workshop in chapter order (make exercise-N), and the learner writes
// program PROGRAM of exercise EXERCISE of chapter NN in
// workspace/NN-EXERCISE/PROGRAM/main.go. The reference solution is the
// chapter's own programs named in edit: the checker scenes must pass with
// them (make test proves it), and the learner's programs replace them when
// the learner checks.
//
// When edit names several programs, two wrong halves could agree with each
// other. So the check first runs each of the learner's programs alone with
// the chapter's others, in the first scene of check that starts it (put
// the most telling scene first), then all of them together in every scene
// of check that did not already run with the same programs. It stops at
// the first combination that fails and names it: "With your server with
// the chapter's client". A checker scene may start programs of the chapter
// that are not in edit, such as a client that probes one property (hidden
// programs of the exercise's section); they are never replaced.
//
// A checker is proved by wrong solutions, the kind learners write, kept in
// runner/testdata/exercises/NAME/CASE/: one PROGRAM.go per program in edit,
// a want file whose every line the failure report must contain, and, for a
// mistake that is a race, a runs file with how many times the case is
// checked (it must fail every time). At least four cases an exercise.
// go run ./runner exercise -prove [N...] (make prove) checks the reference
// solution (it must pass), the starter and every case, and reports each as
// passes, caught, MISSED or WRONG MESSAGE; go test ./runner runs the same
// cases. Bounds on time and CPU are set from the reference solution's runs
// with both cores busy, and as tight as the lesson allows.
//
// The commands an exercise suggests (make check-N, make hint-N) become
// go run ./runner exercise ... when WORKSHOP_CHAPTERS is set, keeping it.
//
// Each program in edit has a starter, the file the learner begins with:
// go blocks with starter=EXERCISE and program=NAME. A starter compiles,
// and fails the check.
//
//	```go program=client starter=pingpong
//
// A program block marked solution=EXERCISE is part of the reference
// solution of an exercise that the chapter does not teach in its text: it
// belongs to its program as any block does, and the site shows it
// collapsed. make solution-N prints the whole reference, the programs named
// in edit.
//
// # A worked example
//
// The chapter text
//
//	```go program=echo hidden
//	package main
//
//	import ("fmt"; "os")
//	```
//
//	The echo program prints its argument.
//
//	```go program=echo
//	func main() { fmt.Println("echo", os.Args[1]) }
//	```
//
//	```scene name=twice timeout=5s
//	start echo-{1..2} = echo {}
//	wait echo-{1..2} exit
//	```
//
//	```transcript
//	echo-1 | echo 1
//	echo-1 : exit 0
//	echo-2 | echo 2
//	echo-2 : exit 0
//	```
//
// defines one program, echo, of two blocks (the first hidden), and one
// scene, twice, which starts two copies with the arguments 1 and 2 and waits
// for both to exit. The check passes whether echo-2 prints before echo-1 or
// after it, and fails if either prints anything else or exits non-zero.
package chapters
