// Sets LINGER to 0 on the tasks socket "so that the ventilator does not hang at exit".
// Close then throws away every task still queued, and Term returns at once: tasks are lost.
// A learner who met a hanging Term once reaches for LINGER 0.
package main

import (
	"fmt"
	"log"
	"math/rand"
	"os"
	"strconv"
	"time"

	zmq "github.com/pebbe/zmq4"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("ventilator: ")
	if len(os.Args) != 2 {
		log.Fatal("usage: ventilator WORKERS")
	}
	workers, err := strconv.Atoi(os.Args[1])
	if err != nil || workers < 1 {
		log.Fatalf("usage: ventilator WORKERS (not %q)", os.Args[1])
	}

	defer func() {
		if err := zmq.Term(); err != nil {
			log.Fatal(err)
		}
	}()
	tasks := mustSocket(zmq.PUSH)
	defer tasks.Close()
	if err := tasks.SetLinger(0); err != nil { // do not hang at exit
		log.Fatal(err)
	}
	if err := tasks.Bind("tcp://*:5570"); err != nil {
		log.Fatal(err)
	}
	inbox := mustSocket(zmq.PULL)
	defer inbox.Close()
	if err := inbox.Bind("tcp://*:5572"); err != nil {
		log.Fatal(err)
	}
	sink := mustSocket(zmq.REQ)
	defer sink.Close()
	if err := sink.Connect("tcp://localhost:5573"); err != nil {
		log.Fatal(err)
	}

	fmt.Printf("roll call: waiting for %d\n", workers)
	present := map[string]bool{}
	poller := zmq.NewPoller()
	poller.Add(inbox, zmq.POLLIN)
	for len(present) < workers {
		if _, err := tasks.Send("hello", 0); err != nil {
			log.Fatal(err)
		}
		polled, err := poller.Poll(10 * time.Millisecond)
		if err != nil {
			log.Fatal(err)
		}
		if len(polled) > 0 {
			id, err := inbox.Recv(0)
			if err != nil {
				log.Fatal(err)
			}
			present[id] = true
		}
	}
	fmt.Printf("roll call: %d present\n", workers)

	if _, err := sink.Send(fmt.Sprintf("batch 100 %d", workers), 0); err != nil {
		log.Fatal(err)
	}
	if _, err := sink.Recv(0); err != nil {
		log.Fatal(err)
	}
	lengths := rand.New(rand.NewSource(1))
	for task := 1; task <= 100; task++ {
		if _, err := tasks.Send(fmt.Sprintf("%d %d", task, 1+lengths.Intn(30)), 0); err != nil {
			log.Fatal(err)
		}
	}

	fmt.Println("100 tasks sent")
}

func mustSocket(t zmq.Type) *zmq.Socket {
	s, err := zmq.NewSocket(t)
	if err != nil {
		log.Fatal(err)
	}
	return s
}
