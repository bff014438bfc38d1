// The client makes a new REQ socket and connection for every request, as one would with
// HTTP; the replies are right but each ping pays a new TCP and ZeroMQ handshake. Breaks "a
// socket lives as long as its conversation".

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

	for i := 1; i <= requests; i++ {
		socket, err := zmq.NewSocket(zmq.REQ)
		if err != nil {
			log.Fatal(err)
		}
		if err := socket.Connect("tcp://localhost:5555"); err != nil {
			log.Fatal(err)
		}
		request := fmt.Sprintf("ping %d from client %s", i, id)
		fmt.Println("sending", request)
		start := time.Now()
		if _, err := socket.Send(request, 0); err != nil {
			log.Fatal(err)
		}
		reply, err := socket.Recv(0)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("got %s in %v\n", reply, time.Since(start).Round(time.Microsecond))
		socket.Close()
	}
}
