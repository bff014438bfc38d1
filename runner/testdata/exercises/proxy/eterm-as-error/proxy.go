// Returns Proxy's error as it is: after Ctrl-C that is ETERM, the order to stop, and main
// reports it with log.Fatal and exit status 1. Breaks "for the loop, ETERM is not a failure
// but the order to stop".
package main

import (
	"fmt"
	"log"
	"os"
	"os/signal"

	zmq "github.com/pebbe/zmq4"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("proxy: ")
	if err := proxy(); err != nil {
		log.Fatal(err)
	}
}

func proxy() error {
	ctx, err := zmq.NewContext()
	if err != nil {
		return err
	}
	onInterrupt(ctx)
	defer fmt.Println("cleanup done: sockets closed")

	frontend, err := ctx.NewSocket(zmq.ROUTER)
	if err != nil {
		return err
	}
	defer frontend.Close()
	if err := frontend.Bind("tcp://*:5580"); err != nil {
		return err
	}

	backend, err := ctx.NewSocket(zmq.DEALER)
	if err != nil {
		return err
	}
	defer backend.Close()
	if err := backend.Bind("tcp://*:5581"); err != nil {
		return err
	}
	fmt.Println("ready: clients on tcp://*:5580, workers on tcp://*:5581")

	// Proxy returns only when something goes wrong, or when the context
	// is terminated, which is how we asked it to stop.
	// Proxy runs until the context is terminated.
	return zmq.Proxy(frontend, backend, nil)
}

// onInterrupt terminates ctx at the first SIGINT: every blocking call on
// its sockets then returns ETERM.
func onInterrupt(ctx *zmq.Context) {
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt)
	go func() {
		<-interrupts
		fmt.Println("interrupted: terminating the context")
		ctx.Term()
	}()
}
