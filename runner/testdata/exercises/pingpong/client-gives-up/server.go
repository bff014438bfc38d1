package main

import (
	"fmt"
	"log"
	"os"
	"strings"
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
		request, err := socket.Recv(0)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("received", request)
		time.Sleep(work) // the "work": zero unless asked for
		reply := strings.Replace(request, "ping", "pong", 1)
		if _, err := socket.Send(reply, 0); err != nil {
			log.Fatal(err)
		}
	}
}
