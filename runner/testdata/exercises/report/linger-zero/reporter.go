// Sets LINGER to 0 so that Term cannot hang: Close then drops whatever is still queued, so
// results are lost whenever the connection to the collector is slower than the sends (the
// chapter's runs: 0 of 100 arrived). Breaks the lesson that LINGER bounds the wait for
// delivery; 0 means "drop".
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
	// LINGER 0: Term can never hang on a message.
	if err := push.SetLinger(0); err != nil {
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
}

func terminate() {
	fmt.Println("calling Term")
	start := time.Now()
	if err := zmq.Term(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Term returned after %d ms\n", time.Since(start).Milliseconds())
}
