// The client gives up after half a second without a reply, "so that it does not hang": a
// client started before its server fails. Breaks the lesson that ZeroMQ connects in the
// background and start-up order does not matter.

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
	// Don't hang for ever if the server is not there.
	if err := socket.SetRcvtimeo(500 * time.Millisecond); err != nil {
		log.Fatal(err)
	}
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
		reply, err := socket.Recv(0)
		if err != nil {
			log.Fatalf("no answer from the server: %v", err)
		}
		fmt.Printf("got %s in %v\n", reply, time.Since(start).Round(time.Microsecond))
	}
}
