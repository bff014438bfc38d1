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
	if len(os.Args) != 2 {
		log.Fatal("usage: worker ID")
	}
	id := os.Args[1]
	log.SetPrefix("worker " + id + ": ")

	tasks, err := zmq.NewSocket(zmq.PULL)
	if err != nil {
		log.Fatal(err)
	}
	defer tasks.Close()
	if err := tasks.Connect("tcp://localhost:5570"); err != nil {
		log.Fatal(err)
	}
	results, err := zmq.NewSocket(zmq.PUSH)
	if err != nil {
		log.Fatal(err)
	}
	defer results.Close()
	if err := results.Connect("tcp://localhost:5571"); err != nil {
		log.Fatal(err)
	}
	answers, err := zmq.NewSocket(zmq.PUSH)
	if err != nil {
		log.Fatal(err)
	}
	defer answers.Close()
	if err := answers.Connect("tcp://localhost:5572"); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("worker %s started\n", id)

	for {
		msg, err := tasks.Recv(0)
		if err != nil {
			log.Fatal(err)
		}
		if msg == "hello" {
			continue
		}
		var task, ms int
		if _, err := fmt.Sscan(msg, &task, &ms); err != nil {
			log.Fatalf("bad task %q: %v", msg, err)
		}
		time.Sleep(time.Duration(ms) * time.Millisecond)
		if _, err := results.Send(fmt.Sprintf("%s %d", id, task), 0); err != nil {
			log.Fatal(err)
		}
	}
}
