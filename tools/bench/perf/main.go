// Command perf measures ZeroMQ from Go: the Go side of tools/bench.
//
// Usage:
//
//	perf thr ENDPOINT SIZE COUNT   PUSH->PULL throughput
//	perf lat ENDPOINT SIZE COUNT   REQ-REP round-trip latency
//
// It makes exactly the measurement of tools/bench/c/zmqperf.c and prints the
// same key=value line, so the two can be compared figure for figure. Both ends
// run in one process, one goroutine each, on one context; ENDPOINT may be
// tcp://127.0.0.1:* (the receiving end binds, the other connects to the port
// libzmq chose). The first COUNT/10 messages (at least 100) are a warm-up.
// cpu_ns is the CPU time of the whole process per message or round trip.
//
// The program runs compiled and under yaegi, so it keeps to what the
// interpreter supports: no range over int, no
// min/max builtins, arguments from os.Args rather than the flag package.
// It reuses one send buffer and uses the cheapest calls zmq4 offers:
// SendBytes, and RecvBytes (Recv would copy every message once more into a
// string). Even so, RecvBytes calls into C five times per message
// (zmq_msg_init, zmq_msg_recv, zmq_msg_data, a memcpy, zmq_msg_close) and
// allocates the message, where the C receiver makes one zmq_recv into its
// buffer: at small sizes that, not libzmq, bounds the Go figures.
package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"

	zmq "github.com/pebbe/zmq4"
)

const usage = "usage: perf thr|lat ENDPOINT SIZE COUNT"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "perf:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 4 {
		return fmt.Errorf("%s", usage)
	}
	size, err := strconv.Atoi(args[2])
	if err != nil || size < 0 || size > 65536 {
		return fmt.Errorf("bad SIZE %q", args[2])
	}
	count, err := strconv.Atoi(args[3])
	if err != nil || count < 1 {
		return fmt.Errorf("bad COUNT %q", args[3])
	}
	ctx, err := zmq.NewContext()
	if err != nil {
		return err
	}
	switch args[0] {
	case "thr":
		err = thr(ctx, args[1], size, count)
	case "lat":
		err = lat(ctx, args[1], size, count)
	default:
		err = fmt.Errorf("%s", usage)
	}
	if err != nil {
		return err
	}
	return ctx.Term()
}

// cpu returns the CPU time used so far by all threads of the process.
func cpu() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func warmup(count int) int {
	w := count / 10
	if w < 100 {
		w = 100
	}
	return w
}

// bind binds a socket of the given type to endpoint and returns it with the
// endpoint the other end must connect to.
func bind(ctx *zmq.Context, t zmq.Type, endpoint string) (*zmq.Socket, string, error) {
	s, err := ctx.NewSocket(t)
	if err != nil {
		return nil, "", err
	}
	if err := s.Bind(endpoint); err != nil {
		s.Close()
		return nil, "", fmt.Errorf("bind %s: %w", endpoint, err)
	}
	addr, err := s.GetLastEndpoint()
	if err != nil {
		s.Close()
		return nil, "", err
	}
	return s, addr, nil
}

func thr(ctx *zmq.Context, endpoint string, size, count int) error {
	w := warmup(count)
	pull, addr, err := bind(ctx, zmq.PULL, endpoint)
	if err != nil {
		return err
	}
	defer pull.Close()
	done := make(chan error, 1)
	received := make(chan struct{})
	go func() { done <- push(ctx, addr, size, w+count, received) }()

	// The loop calls zmq4 directly, with no helper: a call of an
	// interpreted function costs more than the receive itself.
	var t0 time.Time
	var c0 time.Duration
	total := w + count
	for i := 0; i < total; i++ {
		if i == w {
			t0 = time.Now()
			c0 = cpu()
		}
		b, err := pull.RecvBytes(0)
		if err != nil {
			return err
		}
		if len(b) != size {
			return fmt.Errorf("received %d bytes, want %d", len(b), size)
		}
	}
	secs := time.Since(t0).Seconds()
	cpus := (cpu() - c0).Seconds()
	close(received)
	if err := <-done; err != nil {
		return err
	}
	fmt.Printf("thr endpoint=%s size=%d count=%d warmup=%d seconds=%.6f msg_per_sec=%.0f mbit_per_sec=%.3f cpu_ns=%.0f\n",
		endpoint, size, count, w, secs, float64(count)/secs,
		float64(count)*float64(size)*8/secs/1e6, cpus/float64(count)*1e9)
	return nil
}

// push sends total messages to addr, then waits for received to be closed
// before it closes its socket: closing while messages are still in flight
// loses some of them over ipc (libzmq 4.3.4).
func push(ctx *zmq.Context, addr string, size, total int, received <-chan struct{}) error {
	s, err := ctx.NewSocket(zmq.PUSH)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Connect(addr); err != nil {
		return err
	}
	buf := make([]byte, size)
	for i := 0; i < total; i++ {
		if _, err := s.SendBytes(buf, 0); err != nil {
			return err
		}
	}
	<-received
	return nil
}

func lat(ctx *zmq.Context, endpoint string, size, count int) error {
	w := warmup(count)
	rep, addr, err := bind(ctx, zmq.REP, endpoint)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- reply(rep, size, w+count) }()

	req, err := ctx.NewSocket(zmq.REQ)
	if err != nil {
		return err
	}
	defer req.Close()
	if err := req.Connect(addr); err != nil {
		return err
	}
	buf := make([]byte, size)
	var t0 time.Time
	var c0 time.Duration
	total := w + count
	for i := 0; i < total; i++ {
		if i == w {
			t0 = time.Now()
			c0 = cpu()
		}
		if _, err := req.SendBytes(buf, 0); err != nil {
			return err
		}
		b, err := req.RecvBytes(0)
		if err != nil {
			return err
		}
		if len(b) != size {
			return fmt.Errorf("received %d bytes, want %d", len(b), size)
		}
	}
	secs := time.Since(t0).Seconds()
	cpus := (cpu() - c0).Seconds()
	if err := <-done; err != nil {
		return err
	}
	fmt.Printf("lat endpoint=%s size=%d count=%d warmup=%d seconds=%.6f roundtrip_us=%.3f cpu_ns=%.0f\n",
		endpoint, size, count, w, secs, secs/float64(count)*1e6, cpus/float64(count)*1e9)
	return nil
}

// reply echoes total requests on rep, then closes it.
func reply(rep *zmq.Socket, size, total int) error {
	defer rep.Close()
	for i := 0; i < total; i++ {
		b, err := rep.RecvBytes(0)
		if err != nil {
			return err
		}
		if len(b) != size {
			return fmt.Errorf("received %d bytes, want %d", len(b), size)
		}
		if _, err := rep.SendBytes(b, 0); err != nil {
			return err
		}
	}
	return nil
}
