// Steps 3 and 2 wait for their signal by calling Recv with DONTWAIT in a loop: the relay works and prints
// the right lines, but each waiting step spins a core. The point of the inproc signal is that the receiver
// sleeps until the sender wakes it.
package main

import (
	"fmt"
	"log"
	"syscall"

	zmq "github.com/pebbe/zmq4"
)

func main() {
	log.SetFlags(0)
	ctx, err := zmq.NewContext()
	if err != nil {
		log.Fatal(err)
	}
	step3(ctx)
	if err := ctx.Term(); err != nil {
		log.Fatal(err)
	}
	fmt.Println("relay done: the signal went 1 -> 2 -> 3")
}

// step3 binds the socket it receives on, starts step 2 and waits for its
// signal.
func step3(ctx *zmq.Context) {
	receiver, err := ctx.NewSocket(zmq.PAIR)
	if err != nil {
		log.Fatal(err)
	}
	defer receiver.Close()
	if err := receiver.Bind("inproc://step3"); err != nil {
		log.Fatal(err)
	}
	go step2(ctx)

	signal := poll(receiver)
	fmt.Printf("step 3: got %q from step 2\n", signal)
}

// step2 waits for step 1's signal and passes it on to step 3.
func step2(ctx *zmq.Context) {
	receiver, err := ctx.NewSocket(zmq.PAIR)
	if err != nil {
		log.Fatal(err)
	}
	defer receiver.Close()
	if err := receiver.Bind("inproc://step2"); err != nil {
		log.Fatal(err)
	}
	go step1(ctx)

	signal := poll(receiver)
	fmt.Printf("step 2: got %q from step 1, signalling step 3\n", signal)

	sender, err := ctx.NewSocket(zmq.PAIR)
	if err != nil {
		log.Fatal(err)
	}
	defer sender.Close()
	if err := sender.Connect("inproc://step3"); err != nil {
		log.Fatal(err)
	}
	if _, err := sender.Send(signal+" 2", 0); err != nil {
		log.Fatal(err)
	}
}

// poll checks the socket until a message is there, without blocking.
func poll(s *zmq.Socket) string {
	for {
		msg, err := s.Recv(zmq.DONTWAIT)
		if zmq.AsErrno(err) == zmq.Errno(syscall.EAGAIN) {
			continue
		}
		if err != nil {
			log.Fatal(err)
		}
		return msg
	}
}

// step1 signals step 2.
func step1(ctx *zmq.Context) {
	sender, err := ctx.NewSocket(zmq.PAIR)
	if err != nil {
		log.Fatal(err)
	}
	defer sender.Close()
	if err := sender.Connect("inproc://step2"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("step 1: ready, signalling step 2")
	if _, err := sender.Send("1", 0); err != nil {
		log.Fatal(err)
	}
}
