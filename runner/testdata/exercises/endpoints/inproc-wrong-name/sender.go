// Names the inproc endpoint after the ipc file, "inproc://zmq-workshop-08-listener", not the listener's
// own "inproc://listener". From another process no inproc name gets through, so the mistake never shows.
package main

import (
	"fmt"
	"log"
	"os"
	"time"

	zmq "github.com/pebbe/zmq4"
)

var endpoints = map[string]string{
	"inproc": "inproc://zmq-workshop-08-listener",
	"ipc":    "ipc:///tmp/zmq-workshop-08-listener",
	"tcp":    "tcp://localhost:5610",
}

func main() {
	log.SetFlags(0)
	if len(os.Args) != 2 || endpoints[os.Args[1]] == "" {
		log.Fatal("usage: sender inproc|ipc|tcp")
	}
	transport := os.Args[1]
	log.SetPrefix("sender " + transport + ": ")

	// Term, deferred first so that it runs last, waits until the
	// socket's queued messages are delivered or its LINGER is over.
	defer zmq.Term()
	push, err := zmq.NewSocket(zmq.PUSH)
	if err != nil {
		log.Fatal(err)
	}
	defer push.Close()
	// Give a message that cannot be delivered one second, not forever.
	if err := push.SetLinger(time.Second); err != nil {
		log.Fatal(err)
	}
	if err := push.Connect(endpoints[transport]); err != nil {
		log.Fatal(err)
	}
	message := "hello over " + transport + ", from another process"
	if _, err := push.Send(message, 0); err != nil {
		log.Fatal(err)
	}
	fmt.Println("sent:", message)
}
