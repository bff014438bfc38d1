// Publishes "hello" and "end" bare, with no topic, and makes the subscriber subscribe to
// "hello" and "end" besides its prefix: the pair works together, but the hello now proves
// only the hello subscription, and the chapter's subscriber (one subscription, its prefix)
// never hears this publisher's hello.
package main

import (
	"fmt"
	"log"
	"os"
	"strconv"
	"time"

	zmq "github.com/pebbe/zmq4"
)

var topics = []string{"temp.paris", "temp.oslo", "wind.paris"}

func main() {
	log.SetFlags(0)
	log.SetPrefix("topic-pub: ")
	subscribers := 1
	if len(os.Args) > 1 {
		n, err := strconv.Atoi(os.Args[1])
		if err != nil || n < 1 {
			log.Fatal("usage: topic-pub [SUBSCRIBERS]")
		}
		subscribers = n
	}

	defer zmq.Term() // runs last: lets the last reply go out
	pub := bind(zmq.PUB, "tcp://*:5565")
	defer pub.Close()
	sync := bind(zmq.REP, "tcp://*:5566")
	defer sync.Close()

	fmt.Printf("waiting for %d subscribers\n", subscribers)
	gather(pub, sync, "hello", subscribers)
	for i := 1; i <= 100; i++ {
		for _, topic := range topics {
			send(pub, fmt.Sprintf("%s %d", topic, i))
		}
	}
	fmt.Println("sent 100 messages on each of 3 topics")
	gather(pub, sync, "end", subscribers)
}

func bind(t zmq.Type, endpoint string) *zmq.Socket {
	s, err := zmq.NewSocket(t)
	if err != nil {
		log.Fatal(err)
	}
	if err := s.SetLinger(time.Second); err != nil {
		log.Fatal(err)
	}
	if err := s.Bind(endpoint); err != nil {
		log.Fatal(err)
	}
	return s
}

// gather publishes signal on every topic, and again every 10ms, until n
// requests have come in on the sync socket; it prints and answers each.
func gather(pub, sync *zmq.Socket, signal string, n int) {
	poller := zmq.NewPoller()
	poller.Add(sync, zmq.POLLIN)
	for got := 0; got < n; {
		send(pub, signal)
		polled, err := poller.Poll(10 * time.Millisecond)
		if err != nil {
			log.Fatal(err)
		}
		if len(polled) == 0 {
			continue
		}
		request, err := sync.Recv(0)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(request)
		send(sync, "ok")
		got++
	}
}

func send(s *zmq.Socket, msg string) {
	if _, err := s.Send(msg, 0); err != nil {
		log.Fatal(err)
	}
}
