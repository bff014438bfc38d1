// The client receives the reply but prints a "got pong N from client ID" line it formats
// itself, so it would print the same whatever (or whoever's) reply came back. The server is
// the chapter's.

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
		request := fmt.Sprintf("ping %d from client %s", i, id)
		fmt.Println("sending", request)
		start := time.Now()
		if _, err := socket.Send(request, 0); err != nil {
			log.Fatal(err)
		}
		if _, err := socket.Recv(0); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("got pong %d from client %s in %v\n", i, id, time.Since(start).Round(time.Microsecond))
	}
}
