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
	terminated := onInterrupt(ctx)
	if err := forward(ctx); err != nil {
		return err
	}
	// Term returns once every socket is closed: not before.
	if err := <-terminated; err != nil {
		return err
	}
	fmt.Println("cleanup done: sockets closed, context terminated")
	return nil
}

// forward runs the proxy on two sockets of ctx until ctx is terminated.
func forward(ctx *zmq.Context) error {
	frontend, err := ctx.NewSocket(zmq.ROUTER)
	if err != nil {
		return err
	}
	if err := frontend.Bind("tcp://*:5580"); err != nil {
		return err
	}

	backend, err := ctx.NewSocket(zmq.DEALER)
	if err != nil {
		return err
	}
	if err := backend.Bind("tcp://*:5581"); err != nil {
		return err
	}
	fmt.Println("ready: clients on tcp://*:5580, workers on tcp://*:5581")

	// Proxy returns only when something goes wrong, or when the context
	// is terminated, which is how we asked it to stop.
	err = zmq.Proxy(frontend, backend, nil)
	if zmq.AsErrno(err) == zmq.ETERM {
		fmt.Println("context terminated: the proxy returned")
		return nil
	}
	return err
}

// onInterrupt terminates ctx at the first SIGINT: every blocking call on
// its sockets then returns ETERM. Term itself returns, on the channel, only
// once every socket of ctx is closed.
func onInterrupt(ctx *zmq.Context) <-chan error {
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt)
	terminated := make(chan error, 1)
	go func() {
		<-interrupts
		fmt.Println("interrupted: terminating the context")
		terminated <- ctx.Term()
	}()
	return terminated
}
