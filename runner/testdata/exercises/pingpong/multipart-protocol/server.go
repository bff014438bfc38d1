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
	log.SetPrefix("server: ")

	var work time.Duration
	if len(os.Args) > 1 {
		d, err := time.ParseDuration(os.Args[1])
		if err != nil {
			log.Fatalf("usage: server [WORK-TIME such as 1s]: %v", err)
		}
		work = d
	}

	socket, err := zmq.NewSocket(zmq.REP)
	if err != nil {
		log.Fatal(err)
	}
	defer socket.Close()

	if err := socket.Bind("tcp://*:5555"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("ready on tcp://*:5555")

	for {
		request, err := socket.RecvMessage(0) // [ping] [N] [ID]
		if err != nil {
			log.Fatal(err)
		}
		if len(request) != 3 {
			log.Printf("bad request %q", request)
			continue
		}
		fmt.Printf("received ping %s from client %s\n", request[1], request[2])
		time.Sleep(work) // the "work": zero unless asked for
		if _, err := socket.SendMessage("pong", request[1], request[2]); err != nil {
			log.Fatal(err)
		}
	}
}
