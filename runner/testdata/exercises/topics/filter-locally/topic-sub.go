// Subscribes to everything ("") and filters by prefix in the program: the output is right,
// but the publisher now sends every topic to every subscriber. Breaks the lesson that the
// subscription is the filter and that it works at the publisher.
package main

import (
	"fmt"
	"log"
	"os"
	"sort"
	"strings"

	zmq "github.com/pebbe/zmq4"
)

func main() {
	log.SetFlags(0)
	if len(os.Args) != 3 {
		log.Fatal("usage: topic-sub ID PREFIX")
	}
	id, prefix := os.Args[1], os.Args[2]
	log.SetPrefix("topic-sub " + id + ": ")

	sub, err := zmq.NewSocket(zmq.SUB)
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()
	if err := sub.Connect("tcp://localhost:5565"); err != nil {
		log.Fatal(err)
	}
	// Take everything and keep what matches our prefix below.
	if err := sub.SetSubscribe(""); err != nil {
		log.Fatal(err)
	}

	// A hello on one of our topics: our subscription is in place.
	for {
		if _, body := receive(sub); body == "hello" {
			break
		}
	}
	sync, err := zmq.NewSocket(zmq.REQ)
	if err != nil {
		log.Fatal(err)
	}
	defer sync.Close()
	if err := sync.Connect("tcp://localhost:5566"); err != nil {
		log.Fatal(err)
	}
	ask(sync, "subscriber "+id+" is ready")

	// The first end comes after all the data, whatever its topic.
	counts := map[string]int{}
	for {
		topic, body := receive(sub)
		if body == "hello" {
			continue
		}
		if body == "end" {
			break
		}
		if !strings.HasPrefix(topic, prefix) {
			continue
		}
		counts[topic]++
	}
	var received []string
	for topic := range counts {
		received = append(received, topic)
	}
	sort.Strings(received)
	for _, topic := range received {
		fmt.Printf("%s: %d messages\n", topic, counts[topic])
	}
	ask(sync, "subscriber "+id+" done")
}

func receive(sub *zmq.Socket) (topic, body string) {
	msg, err := sub.Recv(0)
	if err != nil {
		log.Fatal(err)
	}
	topic, body, _ = strings.Cut(msg, " ")
	return topic, body
}

func ask(sync *zmq.Socket, request string) {
	if _, err := sync.Send(request, 0); err != nil {
		log.Fatal(err)
	}
	if _, err := sync.Recv(0); err != nil {
		log.Fatal(err)
	}
}
