package live

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/learn"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/runner/scene"
)

// cookieName holds the server's token in the learner's browser.
const cookieName = "workshop-token"

func newToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// URL is the address to open: the server's with its token, which the page
// trades for a cookie on the first visit.
func (s *Server) URL(addr string) string {
	return "http://" + addr + "/?token=" + s.Token
}

// login answers a page request that carries ?token=: the right token sets
// the cookie and sends the browser on to the same page without it, so the
// token leaves the address bar and the history; a wrong one is refused.
func (s *Server) login(w http.ResponseWriter, r *http.Request, token string) {
	if !s.tokenIs(token) {
		http.Error(w, "wrong token: open the address that make serve printed, with its token=", http.StatusForbidden)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName,
		Value:    s.Token,
		Path:     "/",
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
	})
	q := r.URL.Query()
	q.Del("token")
	to := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
	http.Redirect(w, r, to.String(), http.StatusSeeOther)
}

func (s *Server) tokenIs(t string) bool {
	return subtle.ConstantTimeCompare([]byte(t), []byte(s.Token)) == 1
}

// checkToken accepts a request whose cookie holds the server's token.
func (s *Server) checkToken(r *http.Request) error {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return fmt.Errorf("%s refused: no token; open the address that make serve printed (it ends in ?token=...)", r.URL.Path)
	}
	if !s.tokenIs(c.Value) {
		return fmt.Errorf("%s refused: wrong token; the server was restarted: open the address it printed this time", r.URL.Path)
	}
	return nil
}

// A programView is what the page's editor opens: a chapter's program, or an
// exercise's program, and the learner's version of it if they have one.
type programView struct {
	ID      string  `json:"id"`             // 02/server, or 02/pingpong/server for an exercise
	File    string  `json:"file"`           // the learner's file, relative to the workshop
	Chapter string  `json:"chapter"`        // the chapter's version, or the exercise's starter
	Mine    *string `json:"mine,omitempty"` // the learner's version, if saved
}

// exerciseView is an exercise's state for its card in the page.
type exerciseView struct {
	ID       string        `json:"id"`
	Number   int           `json:"number"`
	Result   string        `json:"result,omitempty"` // passed, failing, or "" before a check
	Hints    []string      `json:"hints"`            // the hints shown so far
	AllHints int           `json:"allHints"`
	Programs []programView `json:"programs"`
}

// api serves the notebook's requests: /api/program, /api/edits,
// /api/exercise (GET), /api/save, /api/reset, /api/hint and /api/check
// (POST). The package doc lists them.
func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	get := r.URL.Path == "/api/program" || r.URL.Path == "/api/edits" || r.URL.Path == "/api/exercise"
	if get && r.Method != http.MethodGet || !get && r.Method != http.MethodPost {
		w.Header().Set("Allow", map[bool]string{true: "GET", false: "POST"}[get])
		http.Error(w, r.URL.Path+" takes "+map[bool]string{true: "GET", false: "POST"}[get]+" only", http.StatusMethodNotAllowed)
		return
	}
	var p *chapters.Program
	var e *chapters.Exercise
	if id := q.Get("program"); id != "" && q.Get("exercise") == "" {
		if p = s.programs[id]; p == nil {
			http.Error(w, fmt.Sprintf("there is no program %q in the chapters", id), http.StatusNotFound)
			return
		}
	}
	if id := q.Get("exercise"); id != "" {
		if e = s.exercises[id]; e == nil {
			http.Error(w, fmt.Sprintf("there is no exercise %q in the chapters", id), http.StatusNotFound)
			return
		}
		if name := q.Get("program"); name != "" {
			if p = e.Starter(name); p == nil {
				http.Error(w, fmt.Sprintf("exercise %s has no program %q", e.ID(), name), http.StatusNotFound)
				return
			}
		}
	}
	switch r.URL.Path {
	case "/api/edits":
		n, err := strconv.Atoi(q.Get("chapter"))
		c := s.book.Chapter(n)
		if err != nil || c == nil {
			http.Error(w, fmt.Sprintf("there is no chapter %q", q.Get("chapter")), http.StatusNotFound)
			return
		}
		edited := []string{}
		for _, p := range c.Programs {
			if mine, err := s.Workspace.Edit(p); err == nil && mine != nil {
				edited = append(edited, p.ID())
			}
		}
		writeJSON(w, edited)
	case "/api/program":
		if p == nil || e != nil {
			http.Error(w, "/api/program takes program=NN/NAME", http.StatusBadRequest)
			return
		}
		v, err := s.programView(p)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, v)
	case "/api/exercise":
		if e == nil {
			http.Error(w, "/api/exercise takes exercise=NN/NAME", http.StatusBadRequest)
			return
		}
		v, err := s.exerciseView(e)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, v)
	case "/api/save":
		if p == nil {
			http.Error(w, "/api/save takes program=NN/NAME, or exercise=NN/NAME and program=NAME", http.StatusBadRequest)
			return
		}
		src, err := io.ReadAll(http.MaxBytesReader(w, r.Body, learn.MaxSource))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, fmt.Sprintf("the program is larger than %s, the most the workshop saves", size(learn.MaxSource)), http.StatusRequestEntityTooLarge)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if e != nil {
			err = s.Workspace.SaveSolution(e, p.Name, src)
		} else {
			err = s.Workspace.SaveEdit(p, src)
		}
		if err != nil {
			http.Error(w, "saving: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case "/api/reset":
		if p == nil || e != nil {
			http.Error(w, "/api/reset takes program=NN/NAME", http.StatusBadRequest)
			return
		}
		if err := s.Workspace.ResetEdit(p); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case "/api/hint":
		if e == nil {
			http.Error(w, "/api/hint takes exercise=NN/NAME", http.StatusBadRequest)
			return
		}
		hints, err := s.Workspace.NextHint(e)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, hints)
	case "/api/check":
		if e == nil {
			http.Error(w, "/api/check takes exercise=NN/NAME", http.StatusBadRequest)
			return
		}
		s.check(w, r, e)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) programView(p *chapters.Program) (*programView, error) {
	v := &programView{ID: p.ID(), File: s.Workspace.EditFile(p), Chapter: p.Code()}
	mine, err := s.Workspace.Edit(p)
	if err != nil {
		return nil, err
	}
	if mine != nil {
		code := mine.Code()
		v.Mine = &code
	}
	return v, nil
}

func (s *Server) exerciseView(e *chapters.Exercise) (*exerciseView, error) {
	progress, err := s.Workspace.Progress()
	if err != nil {
		return nil, err
	}
	st := progress[e.ID()]
	v := &exerciseView{ID: e.ID(), Number: e.Number, Result: st.Result, Hints: e.Hints[:min(st.Hints, len(e.Hints))], AllHints: len(e.Hints)}
	for _, sp := range e.Starters {
		pv := programView{ID: e.ID() + "/" + sp.Name, File: s.Workspace.File(e, sp.Name), Chapter: sp.Code()}
		if src, err := s.Workspace.Read(s.Workspace.File(e, sp.Name)); err == nil {
			pv.Mine = &src
		}
		v.Programs = append(v.Programs, pv)
	}
	return v, nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(v)
}

// A diagnostic is a compiler's or a panic's message at a line of a file,
// for the editor to show there.
type diagnostic struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col,omitempty"`
	Message string `json:"message"`
}

var diagRE = regexp.MustCompile(`(?m)^\s*(\S+?\.(?:go|md)):(\d+)(?::(\d+))?: (.*)$`)

// diagnostics finds FILE:LINE[:COL]: MESSAGE lines in a build error.
func diagnostics(err error) []diagnostic {
	var be *prog.BuildError
	if !errors.As(err, &be) {
		return nil
	}
	var ds []diagnostic
	for _, m := range diagRE.FindAllStringSubmatch(be.Output, -1) {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		ds = append(ds, diagnostic{File: m[1], Line: line, Col: col, Message: m[4]})
	}
	return ds
}

// check runs exercise e's checker on the learner's files, as make check-N
// does, streaming its explanation line by line ({"kind":"text"}) and
// ending with its verdict; the result is recorded in the progress that
// make exercises shows.
func (s *Server) check(w http.ResponseWriter, r *http.Request, e *chapters.Exercise) {
	programs, err := s.Workspace.Programs(e)
	if err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	var bound time.Duration
	for _, sc := range e.Check {
		bound += sc.Timeout + s.Margin
	}
	ctx, cancel := context.WithCancelCause(r.Context())
	defer cancel(nil)
	ctx, cancelBound := context.WithTimeoutCause(ctx, bound, errBound)
	defer cancelBound()
	out := newStream(nil, s.MaxOutput, cancel)
	a := &active{name: "exercise " + e.ID(), cancel: cancel, out: out, ended: make(chan struct{})}
	if !s.begin(w, a) {
		return
	}
	defer s.end(a)
	out.send(event{Kind: "start", Scene: a.name, Mode: string(s.Mode), Bound: bound.String()}, false)

	type outcome struct {
		rep *learn.Report
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		lw := &lineWriter{send: func(line string) { out.send(event{Kind: "text", Text: line}, true) }}
		rep, err := s.Workspace.CheckAndExplain(ctx, lw, e, scene.Options{Mode: s.Mode, Builder: s.Builder, Locks: s.Locks}, programs, true)
		lw.Flush()
		done <- outcome{rep, err}
	}()
	rc := http.NewResponseController(w)
	for {
		select {
		case <-out.ready:
			out.flush(w, rc)
		case o := <-done:
			v := event{Kind: "end"}
			switch {
			case ctx.Err() != nil:
				v.Verdict = "stopped: " + context.Cause(ctx).Error() + "; every process of the check was stopped"
			case o.err != nil:
				v.Verdict = "not checked: " + o.err.Error()
			case o.rep.Passed():
				v.OK = true
				v.Verdict = fmt.Sprintf("exercise %d passes: well done", e.Number)
			default:
				v.Verdict = fmt.Sprintf("exercise %d does not pass yet", e.Number)
				v.Diagnostics = diagnostics(o.rep.BuildError())
			}
			out.send(v, false)
			out.flush(w, rc)
			return
		}
	}
}

// A lineWriter calls send for each line written to it.
type lineWriter struct {
	send func(string)
	buf  []byte
}

func (lw *lineWriter) Write(p []byte) (int, error) {
	lw.buf = append(lw.buf, p...)
	for {
		i := bytes.IndexByte(lw.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		lw.send(string(lw.buf[:i]))
		lw.buf = lw.buf[i+1:]
	}
}

// Flush sends what is left of an unfinished line.
func (lw *lineWriter) Flush() {
	if len(lw.buf) > 0 {
		lw.send(string(lw.buf))
		lw.buf = nil
	}
}
