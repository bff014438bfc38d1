// The server answers every request with the fixed text "pong" instead of the request with
// ping replaced, and the client builds "got pong N from client ID" from its own counters:
// two halves that agree on a wrong reply.

package main

import (
	"fmt"
	"log"
	"os"
	"time"

	zmq "github.com/pebbe/zmq4"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("server: ")

	var work time.Duration
	if len(os.Args) > 1 {
		d, err := time.ParseDuration(os.Args[1])
		if err != nil {
			log.Fatalf("usage: server [WORK-TIME such as 1s]: %v", err)
		}
		work = d
	}

	socket, err := zmq.NewSocket(zmq.REP)
	if err != nil {
		log.Fatal(err)
	}
	defer socket.Close()

	if err := socket.Bind("tcp://*:5555"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("ready on tcp://*:5555")

	for {
		request, err := socket.Recv(0)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("received", request)
		time.Sleep(work) // the "work": zero unless asked for
		if _, err := socket.Send("pong", 0); err != nil {
			log.Fatal(err)
		}
	}
}
