package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"time"

	zmq "github.com/pebbe/zmq4"
)

func main() {
	log.SetFlags(0)
	requests := flag.Int("n", 3, "how many requests to make")
	timeout := flag.Duration("timeout", 500*time.Millisecond, "how long to wait for each reply")
	tries := flag.Int("tries", 3, "how many times to send a request before giving up")
	flag.Parse()
	if flag.NArg() != 1 || *requests < 1 || *tries < 1 || *timeout <= 0 {
		log.Fatal("usage: client [-n REQUESTS] [-timeout DURATION] [-tries N] ID")
	}
	id := flag.Arg(0)
	log.SetPrefix("client " + id + ": ")

	socket, err := connect()
	if err != nil {
		log.Fatal(err)
	}

	for i := 1; i <= *requests; i++ {
		first := time.Now()
		for try := 1; ; try++ {
			request := fmt.Sprintf("request %d from client %s (try %d)", i, id, try)
			start := time.Now()
			reply, err := ask(socket, request, *timeout)
			if err != nil && err != errTimeout {
				log.Fatal(err)
			}
			if err == nil && len(reply) == 1 && reply[0] == "reply to "+request {
				fmt.Printf("request %d, try %d: answered in %v\n", i, try, time.Since(start).Round(time.Microsecond))
				break
			}
			if err == nil {
				log.Printf("request %d, try %d: wrong reply (frames: %d): %.40q", i, try, len(reply), reply[0])
			}
			socket.Close()
			if try == *tries {
				fmt.Printf("request %d, try %d: no reply within %v; that was the last try\n", i, try, *timeout)
				log.Fatalf("request %d: no reply to %d tries in %d ms; giving up, the server seems to be down",
					i, try, time.Since(first).Milliseconds())
			}
			fmt.Printf("request %d, try %d: no reply within %v; reconnecting\n", i, try, *timeout)
			if socket, err = connect(); err != nil {
				log.Fatal(err)
			}
		}
	}
	socket.Close()
}

var errTimeout = errors.New("no reply in time")

// ask sends request and returns the reply, or errTimeout if none came
// within timeout.
func ask(socket *zmq.Socket, request string, timeout time.Duration) ([]string, error) {
	if _, err := socket.Send(request, 0); err != nil {
		return nil, err
	}
	poller := zmq.NewPoller()
	poller.Add(socket, zmq.POLLIN)
	polled, err := poller.Poll(time.Duration(timeout.Milliseconds())) // wrong: 500 ns, not 500 ms
	if err != nil {
		return nil, err
	}
	if len(polled) == 0 {
		return nil, errTimeout
	}
	return socket.RecvMessage(0)
}

// connect returns a new REQ socket connected to the server.
func connect() (*zmq.Socket, error) {
	socket, err := zmq.NewSocket(zmq.REQ)
	if err != nil {
		return nil, err
	}
	if err := socket.SetLinger(0); err != nil {
		socket.Close()
		return nil, err
	}
	if err := socket.Connect("tcp://localhost:5700"); err != nil {
		socket.Close()
		return nil, err
	}
	return socket, nil
}
