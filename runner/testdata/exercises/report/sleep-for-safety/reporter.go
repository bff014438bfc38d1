// Correct LINGER and Close, but adds a one-second sleep "to be safe" before closing: the
// reporter no longer exits as soon as its results are delivered (Term already waits for
// that; sleeping to synchronize).
package main

import (
	"fmt"
	"log"
	"time"

	zmq "github.com/pebbe/zmq4"
)

func main() {
	log.SetFlags(0)
	defer terminate() // deferred first: runs last

	push, err := zmq.NewSocket(zmq.PUSH)
	if err != nil {
		log.Fatal(err)
	}
	defer push.Close() // runs before terminate
	// Wait at most a second for the collector to take what is queued.
	if err := push.SetLinger(time.Second); err != nil {
		log.Fatal(err)
	}

	if err := push.Connect("tcp://localhost:5552"); err != nil {
		log.Fatal(err)
	}
	for i := 1; i <= 100; i++ {
		if _, err := push.Send(fmt.Sprintf("result %d", i), 0); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("sent 100 results")
	time.Sleep(time.Second) // to be safe: let the results go out before closing
}

func terminate() {
	fmt.Println("calling Term")
	start := time.Now()
	if err := zmq.Term(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Term returned after %d ms\n", time.Since(start).Milliseconds())
}
