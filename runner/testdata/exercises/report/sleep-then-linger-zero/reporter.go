// Sleeps a fixed second after sending and then drops whatever is left (LINGER 0), instead
// of letting Term wait exactly until the results are delivered: slow when the collector is
// there, lossy when it is slow.
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
	// LINGER 0 so Term is instant; we sleep below to let the results go out.
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
	time.Sleep(time.Second) // give the collector time to get them
}

func terminate() {
	fmt.Println("calling Term")
	start := time.Now()
	if err := zmq.Term(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Term returned after %d ms\n", time.Since(start).Milliseconds())
}
