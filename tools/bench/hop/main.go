// Command hop measures request-reply with and without a broker in between:
// the clients and workers of group 2 of tools/bench.
//
// Usage:
//
//	hop [flags] direct|broker|proxy|lbbroker
//
// CLIENTS REQ clients each send a 16-byte request and wait for its reply, in
// a loop, for -warmup and then for -window; WORKERS workers answer. The path
// says what is in between:
//
//   - direct: nothing. Each worker's REP socket binds an endpoint of its
//     own and each client's REQ socket connects to all of them (REQ sends
//     round-robin over its connections).
//   - broker: chapter 05's broker, a ROUTER for the clients and a DEALER for
//     REP workers, with a poll loop that moves each message across.
//   - proxy: the same broker with zmq.Proxy doing the moving, inside
//     libzmq (the solution of chapter 05's exercise, and chapter 09's broker).
//   - lbbroker: chapter 07's load-balancing broker, ROUTER to ROUTER, with
//     REQ workers that announce themselves with READY.
//
// Over tcp the broker is another process, the chapter's own program, which
// bench starts; -front and -back are its endpoints. With -transport inproc,
// everything is in this process and so is the broker: a goroutine that runs
// the same loop as the chapter's program (broker, lbbroker below), since one
// process cannot reach another's inproc endpoints.
//
// Over tcp the clients and the workers have a libzmq context each, as they
// would in processes of their own; over inproc they must share one.
//
// It prints one line: the requests answered in the window, the rate, and the
// median and 90th percentile of the round trips that started in it.
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	zmq "github.com/pebbe/zmq4"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "hop:", err)
		os.Exit(1)
	}
	// The workers (and an in-process broker) are still blocked in Recv;
	// the process ends with them.
	os.Exit(0)
}

func run() error {
	transport := flag.String("transport", "tcp", "tcp or inproc")
	clients := flag.Int("clients", 1, "REQ clients")
	workers := flag.Int("workers", 1, "workers")
	front := flag.String("front", "", "the broker's endpoint for clients (tcp)")
	back := flag.String("back", "", "the broker's endpoint for workers (tcp)")
	warmup := flag.Duration("warmup", 100*time.Millisecond, "round trips before the window, not timed")
	window := flag.Duration("window", 300*time.Millisecond, "the timed part")
	flag.Parse()
	if flag.NArg() != 1 || *clients < 1 || *workers < 1 {
		return fmt.Errorf("usage: hop [flags] direct|broker|proxy|lbbroker")
	}
	path := flag.Arg(0)
	if path != "direct" && path != "broker" && path != "proxy" && path != "lbbroker" {
		return fmt.Errorf("unknown path %q", path)
	}
	if *transport != "tcp" && *transport != "inproc" {
		return fmt.Errorf("unknown transport %q", *transport)
	}

	workerCtx, err := zmq.NewContext()
	if err != nil {
		return err
	}
	clientCtx := workerCtx
	if *transport == "tcp" {
		if clientCtx, err = zmq.NewContext(); err != nil {
			return err
		}
	}

	// Where the clients connect, and the workers' sockets.
	var clientEPs []string
	switch {
	case path == "direct":
		for i := 0; i < *workers; i++ {
			ep := "tcp://127.0.0.1:*"
			if *transport == "inproc" {
				ep = fmt.Sprintf("inproc://worker-%d", i)
			}
			addr, err := repWorker(workerCtx, ep, true)
			if err != nil {
				return err
			}
			clientEPs = append(clientEPs, addr)
		}
	case *transport == "inproc":
		*front, *back = "inproc://front", "inproc://back"
		start := map[string]func(*zmq.Context, string, string) error{
			"broker": broker, "proxy": proxy, "lbbroker": lbbroker}[path]
		if err := start(workerCtx, *front, *back); err != nil {
			return err
		}
		fallthrough
	default:
		if *front == "" || *back == "" {
			return fmt.Errorf("path %s over tcp needs -front and -back", path)
		}
		for i := 0; i < *workers; i++ {
			var err error
			if path == "lbbroker" {
				err = lbWorker(workerCtx, *back)
			} else {
				_, err = repWorker(workerCtx, *back, false)
			}
			if err != nil {
				return err
			}
		}
		clientEPs = []string{*front}
	}
	// The workers' connections complete during the warm-up, which is not
	// measured.
	start := time.Now().Add(*warmup)
	stop := start.Add(*window)
	results := make(chan clientResult, *clients)
	for i := 0; i < *clients; i++ {
		go func() { results <- client(clientCtx, clientEPs, start, stop) }()
	}
	var all []time.Duration
	for i := 0; i < *clients; i++ {
		r := <-results
		if r.err != nil {
			return r.err
		}
		all = append(all, r.samples...)
	}
	if len(all) == 0 {
		return fmt.Errorf("no round trip completed in the window")
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	us := func(d time.Duration) float64 { return float64(d) / 1e3 }
	fmt.Printf("hop path=%s transport=%s clients=%d workers=%d requests=%d seconds=%.3f req_per_sec=%.0f median_us=%.1f p90_us=%.1f\n",
		path, *transport, *clients, *workers, len(all), window.Seconds(),
		float64(len(all))/window.Seconds(), us(all[len(all)/2]), us(all[len(all)*9/10]))
	return nil
}

type clientResult struct {
	samples []time.Duration
	err     error
}

// client sends requests in a loop until stop, and returns the round-trip
// times of those that started at or after start.
func client(ctx *zmq.Context, endpoints []string, start, stop time.Time) clientResult {
	s, err := ctx.NewSocket(zmq.REQ)
	if err != nil {
		return clientResult{err: err}
	}
	s.SetLinger(0)
	// A request lost on the way must not hang the bench.
	s.SetRcvtimeo(5 * time.Second)
	for _, ep := range endpoints {
		if err := s.Connect(ep); err != nil {
			return clientResult{err: err}
		}
	}
	request := []byte("0123456789abcdef")
	var samples []time.Duration
	for {
		t := time.Now()
		if !t.Before(stop) {
			return clientResult{samples: samples}
		}
		if _, err := s.SendBytes(request, 0); err != nil {
			return clientResult{err: err}
		}
		reply, err := s.RecvBytes(0)
		if err != nil {
			return clientResult{err: fmt.Errorf("waiting for a reply: %w", err)}
		}
		if len(reply) != len(request) {
			return clientResult{err: fmt.Errorf("reply of %d bytes, want %d", len(reply), len(request))}
		}
		if !t.Before(start) {
			samples = append(samples, time.Since(t))
		}
	}
}

// repWorker starts a REP worker that echoes every request, bound to
// endpoint or connected to it, and returns the endpoint to connect to.
func repWorker(ctx *zmq.Context, endpoint string, bind bool) (string, error) {
	s, err := ctx.NewSocket(zmq.REP)
	if err != nil {
		return "", err
	}
	if bind {
		if err := s.Bind(endpoint); err != nil {
			return "", fmt.Errorf("bind %s: %w", endpoint, err)
		}
		if endpoint, err = s.GetLastEndpoint(); err != nil {
			return "", err
		}
	} else if err := s.Connect(endpoint); err != nil {
		return "", err
	}
	go func() {
		for {
			msg, err := s.RecvBytes(0)
			if err != nil {
				return
			}
			if _, err := s.SendBytes(msg, 0); err != nil {
				return
			}
		}
	}()
	return endpoint, nil
}

// lbWorker starts a worker of chapter 07's protocol: READY, then each reply
// carries the client's envelope back and asks for more.
func lbWorker(ctx *zmq.Context, endpoint string) error {
	s, err := ctx.NewSocket(zmq.REQ)
	if err != nil {
		return err
	}
	if err := s.Connect(endpoint); err != nil {
		return err
	}
	go func() {
		if _, err := s.Send("READY", 0); err != nil {
			return
		}
		for {
			msg, err := s.RecvMessageBytes(0) // [client] [""] request
			if err != nil || len(msg) != 3 {
				return
			}
			if _, err := s.SendMessage(msg); err != nil {
				return
			}
		}
	}()
	return nil
}

// broker is chapter 05's broker in a goroutine: a ROUTER for clients, a
// DEALER for workers, and a poll loop that moves each message across.
func broker(ctx *zmq.Context, front, back string) error {
	frontend, backend, err := bindPair(ctx, zmq.ROUTER, front, zmq.DEALER, back)
	if err != nil {
		return err
	}
	go func() {
		poller := zmq.NewPoller()
		poller.Add(frontend, zmq.POLLIN)
		poller.Add(backend, zmq.POLLIN)
		for {
			polled, err := poller.Poll(-1)
			if err != nil {
				return
			}
			for _, p := range polled {
				from, to := frontend, backend
				if p.Socket == backend {
					from, to = backend, frontend
				}
				msg, err := from.RecvMessageBytes(0)
				if err != nil {
					return
				}
				if _, err := to.SendMessage(msg); err != nil {
					return
				}
			}
		}
	}()
	return nil
}

// proxy is the same broker on zmq.Proxy.
func proxy(ctx *zmq.Context, front, back string) error {
	frontend, backend, err := bindPair(ctx, zmq.ROUTER, front, zmq.DEALER, back)
	if err != nil {
		return err
	}
	go zmq.Proxy(frontend, backend, nil)
	return nil
}

// lbbroker is chapter 07's load-balancing broker in a goroutine: requests
// go to the worker that has been free longest, and the frontend is read
// only while a worker is free.
func lbbroker(ctx *zmq.Context, front, back string) error {
	frontend, backend, err := bindPair(ctx, zmq.ROUTER, front, zmq.ROUTER, back)
	if err != nil {
		return err
	}
	go func() {
		workersOnly := zmq.NewPoller()
		workersOnly.Add(backend, zmq.POLLIN)
		both := zmq.NewPoller()
		both.Add(backend, zmq.POLLIN)
		both.Add(frontend, zmq.POLLIN)
		var free []string
		for {
			poller := workersOnly
			if len(free) > 0 {
				poller = both
			}
			polled, err := poller.Poll(-1)
			if err != nil {
				return
			}
			for _, p := range polled {
				switch p.Socket {
				case backend:
					msg, err := backend.RecvMessage(0)
					if err != nil {
						return
					}
					if len(msg) == 5 {
						if _, err := frontend.SendMessage(msg[2:]); err != nil {
							return
						}
					}
					free = append(free, msg[0])
				case frontend:
					msg, err := frontend.RecvMessage(0)
					if err != nil {
						return
					}
					worker := free[0]
					free = free[1:]
					if _, err := backend.SendMessage(worker, "", msg); err != nil {
						return
					}
				}
			}
		}
	}()
	return nil
}

func bindPair(ctx *zmq.Context, ft zmq.Type, front string, bt zmq.Type, back string) (*zmq.Socket, *zmq.Socket, error) {
	frontend, err := ctx.NewSocket(ft)
	if err != nil {
		return nil, nil, err
	}
	if err := frontend.Bind(front); err != nil {
		return nil, nil, fmt.Errorf("bind %s: %w", front, err)
	}
	backend, err := ctx.NewSocket(bt)
	if err != nil {
		return nil, nil, err
	}
	if err := backend.Bind(back); err != nil {
		return nil, nil, fmt.Errorf("bind %s: %w", back, err)
	}
	return frontend, backend, nil
}
