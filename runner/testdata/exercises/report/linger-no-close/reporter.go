// Sets LINGER to one second but never closes the socket: LINGER only starts counting at
// Close, so Term waits for ever for the open socket. Breaks "close every socket yourself,
// before Term".
package main

import (
	"fmt"
	"log"
	"time"

	zmq "github.com/pebbe/zmq4"
)

// The reporter sends "result 1" to "result 100" to the collector on
// tcp://localhost:5552 and exits. It must not hang at Term, and must not
// lose results when the collector runs; with no collector, it waits one
// second for one.
func main() {
	log.SetFlags(0)
	push, err := zmq.NewSocket(zmq.PUSH)
	if err != nil {
		log.Fatal(err)
	}
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
	terminate()
}

func terminate() {
	fmt.Println("calling Term")
	start := time.Now()
	if err := zmq.Term(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Term returned after %d ms\n", time.Since(start).Milliseconds())
}
