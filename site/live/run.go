package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/scene"
	"github.com/zmq-workshop/workshop/site/render"
)

// An event is one line of a run's stream; the package doc shows each kind.
type event struct {
	Kind     string   `json:"kind"` // start, note, step, line, end
	Scene    string   `json:"scene,omitempty"`
	Mode     string   `json:"mode,omitempty"`
	Bound    string   `json:"bound,omitempty"`
	Proc     string   `json:"proc,omitempty"`
	Pad      string   `json:"pad,omitempty"` // spaces that align the separators
	Colour   int      `json:"colour,omitempty"`
	Status   bool     `json:"status,omitempty"`
	Fail     bool     `json:"fail,omitempty"`
	Text     string   `json:"text,omitempty"`
	OK       bool     `json:"ok,omitempty"`
	Verdict  string   `json:"verdict,omitempty"`
	Problems []string `json:"problems,omitempty"`

	// The notebook's: the learner's programs a run uses, the run beside
	// the transcript, and messages at lines of the learner's files.
	Edited      []editedProgram `json:"edited,omitempty"`
	Diff        []diffLine      `json:"diff,omitempty"`
	Diagnostics []diagnostic    `json:"diagnostics,omitempty"`
}

// editedProgram is a learner's program that a run uses.
type editedProgram struct {
	Program string `json:"program"` // the program's name in the scene
	ID      string `json:"id"`      // 02/server, as /api/program names it
	File    string `json:"file"`
}

// diffLine is a line of a run set beside its transcript: op is " ", "-"
// (only the transcript has it) or "+" (only the run printed it).
type diffLine struct {
	Op     string `json:"op"`
	Proc   string `json:"proc"`
	Status bool   `json:"status,omitempty"`
	Text   string `json:"text"`
}

// Why a run was stopped before its end, as its context's cause.
var (
	errStopped = errors.New("stopped")
	errOutput  = errors.New("output cap")
	errBound   = errors.New("bound")
	errGone    = errors.New("the page went away")
	errClosing = errors.New("the server is shutting down")
)

// An active run is the one scene the server plays, or the one exercise it
// checks.
type active struct {
	name   string // 02/five-clients, or exercise 02/pingpong
	cancel context.CancelCauseFunc
	out    *stream
	ended  chan struct{} // closed once every process is gone
}

// run plays sc and streams its events into w until every process is gone.
func (s *Server) run(w http.ResponseWriter, r *http.Request, sc *chapters.Scene) {
	bound := sc.Timeout + s.Margin
	ctx, cancel := context.WithCancelCause(r.Context())
	defer cancel(nil)
	ctx, cancelBound := context.WithTimeoutCause(ctx, bound, errBound)
	defer cancelBound()

	replace, err := s.Workspace.Edits(sc.Programs())
	if err != nil {
		http.Error(w, "reading your programs: "+err.Error(), http.StatusInternalServerError)
		return
	}
	out := newStream(sc, s.MaxOutput, cancel)
	a := &active{name: sc.ID(), cancel: cancel, out: out, ended: make(chan struct{})}
	if !s.begin(w, a) {
		return
	}
	defer s.end(a)

	start := event{Kind: "start", Scene: sc.ID(), Mode: string(s.Mode), Bound: bound.String()}
	for _, p := range sc.Programs() {
		if mine := replace[p]; mine != nil {
			start.Edited = append(start.Edited, editedProgram{Program: p.Name, ID: p.ID(), File: s.Workspace.EditFile(p)})
		}
	}
	out.send(start, false)

	done := make(chan *scene.Result, 1)
	go func() {
		done <- scene.Run(ctx, sc, scene.Options{Mode: s.Mode, Builder: s.Builder, Locks: s.Locks, Replace: replace, Event: out.event})
	}()
	rc := http.NewResponseController(w)
	for {
		select {
		case <-out.ready:
			out.flush(w, rc)
		case res := <-done:
			v := s.verdict(ctx, sc, bound, res)
			if len(replace) > 0 && len(res.Problems) > 0 {
				for _, d := range scene.Diff(sc, res.Lines) {
					v.Diff = append(v.Diff, diffLine{Op: string(d.Op), Proc: d.Line.Proc, Status: d.Line.Status, Text: d.Line.Text})
				}
			}
			v.Diagnostics = diagnostics(res.Err)
			out.send(v, false)
			out.flush(w, rc)
			return
		}
	}
}

// begin makes a the server's one run, and starts its stream; it answers
// the request and returns false when another run is in progress.
func (s *Server) begin(w http.ResponseWriter, a *active) bool {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		http.Error(w, errClosing.Error(), http.StatusServiceUnavailable)
		return false
	}
	if cur := s.current; cur != nil {
		s.mu.Unlock()
		http.Error(w, fmt.Sprintf("%s is running: one run at a time; stop it, or wait for it to end, and run again", cur.name), http.StatusConflict)
		return false
	}
	s.current = a
	s.mu.Unlock()
	h := w.Header()
	h.Set("Content-Type", "application/x-ndjson; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	return true
}

// end lets the next run begin.
func (s *Server) end(a *active) {
	s.mu.Lock()
	s.current = nil
	s.mu.Unlock()
	close(a.ended)
}

// stop cancels the run named name, if it is the one in progress. The
// run's own stream says when every process is gone.
func (s *Server) stop(w http.ResponseWriter, name string) {
	s.mu.Lock()
	cur := s.current
	s.mu.Unlock()
	if cur == nil || cur.name != name {
		http.Error(w, fmt.Sprintf("%s is not running", name), http.StatusConflict)
		return
	}
	cur.cancel(errStopped)
	w.WriteHeader(http.StatusNoContent)
}

// Close stops the run in progress, if any, and waits until its processes
// are gone; the server starts no run after it.
func (s *Server) Close() {
	s.mu.Lock()
	s.closing = true
	cur := s.current
	s.mu.Unlock()
	if cur != nil {
		cur.cancel(errClosing)
		<-cur.ended
	}
}

// note passes a message of the endpoint locks to the run in progress.
func (s *Server) note(msg string) {
	s.mu.Lock()
	cur := s.current
	s.mu.Unlock()
	if cur != nil {
		cur.out.send(event{Kind: "note", Text: msg}, true)
	}
}

// verdict is the end of a run: why it stopped, or whether it matched the
// chapter's transcript.
func (s *Server) verdict(ctx context.Context, sc *chapters.Scene, bound time.Duration, res *scene.Result) event {
	const killed = "; every process of the scene was stopped"
	e := event{Kind: "end"}
	if ctx.Err() != nil {
		switch cause := context.Cause(ctx); cause {
		case errStopped:
			e.Verdict = "stopped: you pressed Stop" + killed
		case errOutput:
			e.Verdict = fmt.Sprintf("stopped: the run printed more than %s, the most the page is sent%s", size(s.MaxOutput), killed)
		case errBound:
			e.Verdict = fmt.Sprintf("stopped: the run went past its bound of %v (the scene's %v, and %v to build its programs and wait for its ports)%s", bound, sc.Timeout, s.Margin, killed)
		default:
			e.Verdict = fmt.Sprintf("stopped: %v%s", cause, killed)
		}
		return e
	}
	switch {
	case res.Err != nil:
		e.Verdict = "failed: " + res.Err.Error()
	case len(res.Problems) > 0:
		where := sc.Chapter.Path
		if sc.Transcript != nil {
			where = fmt.Sprintf("%s:%d", where, sc.Transcript.Block.Line)
		}
		e.Verdict = fmt.Sprintf("differs from the chapter's transcript (%s):", where)
		e.Problems = res.Problems
	default:
		e.OK = true
		e.Verdict = fmt.Sprintf("matched the chapter's transcript (%.1fs)", res.Elapsed.Seconds())
	}
	return e
}

func size(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// A stream queues a run's events for the handler to write. The runner
// calls event with its own lock held, so event never waits for the
// network: it queues, and the queue is bounded by the output cap.
type stream struct {
	legend *chapters.Legend
	max    int
	cancel context.CancelCauseFunc
	ready  chan struct{} // has a value when the queue is not empty

	mu     sync.Mutex
	queue  [][]byte
	sent   int  // bytes of steps and lines so far
	capped bool // past max: the run is being stopped
	broken bool // the page went away
}

func newStream(sc *chapters.Scene, limit int, cancel context.CancelCauseFunc) *stream {
	// A check streams text, not a scene's lines: it needs no legend.
	legend := new(chapters.Scene).Legend()
	if sc != nil {
		legend = sc.Legend()
	}
	return &stream{legend: legend, max: limit, cancel: cancel, ready: make(chan struct{}, 1)}
}

// event turns a runner event into a stream event.
func (st *stream) event(e scene.Event) {
	switch {
	case e.Step != nil:
		st.send(event{Kind: "step", Text: e.Step.Text}, true)
	case e.Line != nil:
		l := e.Line
		st.send(event{
			Kind:   "line",
			Proc:   l.Proc,
			Pad:    st.legend.Pad(l.Proc),
			Colour: st.legend.Colour(l.Proc, render.ProcessColours),
			Status: l.Status,
			Fail:   l.Failed(),
			Text:   l.Text,
		}, true)
	}
}

// send queues an event; counted events are the run's output, which stops
// the run past the cap.
func (st *stream) send(e event, counted bool) {
	data, err := json.Marshal(e)
	if err != nil {
		return // the event has only strings, numbers and booleans
	}
	data = append(data, '\n')
	st.mu.Lock()
	defer st.mu.Unlock()
	if counted {
		if st.capped {
			return
		}
		st.sent += len(e.Proc) + len(e.Text)
		if st.sent > st.max {
			st.capped = true
			st.cancel(errOutput)
			return
		}
	}
	st.queue = append(st.queue, data)
	select {
	case st.ready <- struct{}{}:
	default:
	}
}

// flush writes what is queued. A write error means the page went away,
// which stops the run; the queue is still emptied.
func (st *stream) flush(w http.ResponseWriter, rc *http.ResponseController) {
	st.mu.Lock()
	queue := st.queue
	st.queue = nil
	broken := st.broken
	st.mu.Unlock()
	if broken {
		return
	}
	for _, data := range queue {
		if _, err := w.Write(data); err != nil {
			st.gone()
			return
		}
	}
	if err := rc.Flush(); err != nil {
		st.gone()
	}
}

func (st *stream) gone() {
	st.mu.Lock()
	st.broken = true
	st.mu.Unlock()
	st.cancel(errGone)
}
