// Writes its own forwarding loop with non-blocking receives (DONTWAIT) on both sockets
// instead of zmq.Proxy: it forwards correctly and stops on ETERM, but spins a whole core
// while nothing happens.
package main

import (
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	zmq "github.com/pebbe/zmq4"
)

var errStop = errors.New("stop")

func main() {
	log.SetFlags(0)
	log.SetPrefix("proxy: ")
	if err := proxy(); err != nil && err != errStop {
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
	// Move messages both ways; check each socket without blocking so that
	// neither direction waits for the other.
	for {
		if err := shovel(frontend, backend); err != nil {
			return err
		}
		if err := shovel(backend, frontend); err != nil {
			return err
		}
	}
}

// shovel moves one message from one socket to the other, if there is one.
func shovel(from, to *zmq.Socket) error {
	msg, err := from.RecvMessageBytes(zmq.DONTWAIT)
	if zmq.AsErrno(err) == zmq.ETERM {
		fmt.Println("context terminated: the proxy returned")
		return errStop
	}
	if zmq.AsErrno(err) == zmq.Errno(syscall.EAGAIN) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = to.SendMessage(msg)
	return err
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
