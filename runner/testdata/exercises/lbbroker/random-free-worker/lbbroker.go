// Keeps the free workers in a map (a set) and takes whichever the map yields first: a
// random free worker instead of the one idle longest. Breaks rule 3 (least recently used);
// it only works while every free worker is equally good.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"

	zmq "github.com/pebbe/zmq4"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("broker: ")
	ctx, err := zmq.NewContext()
	if err != nil {
		log.Fatal(err)
	}
	frontend, err := ctx.NewSocket(zmq.ROUTER)
	if err != nil {
		log.Fatal(err)
	}
	if err := frontend.Bind("tcp://*:5600"); err != nil {
		log.Fatal(err)
	}
	backend, err := ctx.NewSocket(zmq.ROUTER)
	if err != nil {
		log.Fatal(err)
	}
	if err := backend.Bind("tcp://*:5601"); err != nil {
		log.Fatal(err)
	}

	interrupted, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	terminated := make(chan error)
	go func() {
		<-interrupted.Done()
		terminated <- ctx.Term()
	}()

	fmt.Println("broker ready: clients on tcp://*:5600, workers on tcp://*:5601")
	routed, err := balance(frontend, backend)
	if zmq.AsErrno(err) != zmq.ETERM {
		log.Fatal(err)
	}
	frontend.Close()
	backend.Close()
	if err := <-terminated; err != nil {
		log.Fatal(err)
	}
	fmt.Printf("broker: interrupted after routing %d replies; sockets closed, context terminated\n", routed)
}

// balance routes requests to the least recently used free worker and
// replies back to their clients, until an error (ETERM on shutdown). It
// returns how many replies it routed.
func balance(frontend, backend *zmq.Socket) (int, error) {
	workersOnly := zmq.NewPoller()
	workersOnly.Add(backend, zmq.POLLIN)
	both := zmq.NewPoller()
	both.Add(backend, zmq.POLLIN)
	both.Add(frontend, zmq.POLLIN)

	free := map[string]bool{} // identities of idle workers
	routed := 0
	for {
		poller := workersOnly
		if len(free) > 0 {
			poller = both
		}
		polled, err := poller.Poll(-1)
		if err != nil {
			return routed, err
		}
		for _, p := range polled {
			switch p.Socket {
			case backend:
				msg, err := backend.RecvMessage(0)
				if err != nil {
					return routed, err
				}
				switch {
				case len(msg) == 3 && msg[2] == "READY": // [worker] [""] READY
				case len(msg) == 5: // [worker] [""] [client] [""] reply
					if _, err := frontend.SendMessage(msg[2:]); err != nil {
						return routed, err
					}
					routed++
				default:
					log.Printf("ignoring a malformed message from a worker: %q", msg)
					continue
				}
				free[msg[0]] = true
			case frontend:
				msg, err := frontend.RecvMessage(0) // [client] [""] request
				if err != nil {
					return routed, err
				}
				var worker string
				for w := range free { // any free worker will do
					worker = w
					break
				}
				delete(free, worker)
				if _, err := backend.SendMessage(worker, "", msg); err != nil {
					return routed, err
				}
			}
		}
	}
}
