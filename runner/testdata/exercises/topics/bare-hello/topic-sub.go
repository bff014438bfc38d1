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
	for _, s := range []string{prefix, "hello", "end"} {
		if err := sub.SetSubscribe(s); err != nil {
			log.Fatal(err)
		}
	}

	// A hello on one of our topics: our subscription is in place.
	for {
		if topic, _ := receive(sub); topic == "hello" {
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
		topic, _ := receive(sub)
		if topic == "hello" {
			continue
		}
		if topic == "end" {
			break
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
