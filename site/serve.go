package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/zmq-workshop/workshop/chapters"
	"github.com/zmq-workshop/workshop/runner/prog"
	"github.com/zmq-workshop/workshop/site/live"
)

// serve serves the site in live mode, with a Run button on each scene,
// until interrupted.
func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT`, a loopback address")
	mode := prog.Interp
	fs.Var(&mode, "mode", "how programs run: interp or compiled")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: site serve [-addr HOST:PORT] [-mode interp|compiled]\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{msg: err.Error(), shown: true}
	}
	if fs.NArg() > 0 {
		return usageError{msg: fmt.Sprintf("serve takes no arguments, not %q", fs.Arg(0))}
	}
	if prog.CanRun != nil {
		return fmt.Errorf("serve cannot run scenes: %v; make serve builds it with them", prog.CanRun)
	}
	ln, err := live.Listen(*addr)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	defer ln.Close()
	book, err := chapters.LoadEmbedded()
	if err != nil {
		return err
	}
	builder, err := prog.NewBuilder()
	if err != nil {
		return err
	}
	s, err := live.New(book, mode, builder)
	if err != nil {
		return err
	}
	srv := s.HTTPServer()
	fmt.Fprintf(os.Stderr, "site: the workshop, live (%s mode), on http://%s/ (Ctrl-C stops it)\n", mode, ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// The processes of a run live in process groups of their own: stop the
	// run and wait for them before exiting.
	fmt.Fprintf(os.Stderr, "site: stopping\n")
	s.Close()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
