// Never closes the two sockets, yet prints the chapter's own cleanup line, "cleanup done:
// sockets closed, context terminated": ctx.Term in the signal goroutine waits for ever for
// them, and the program only ends because main returns. The cleanup is announced, not done;
// the output alone cannot tell, the trace of its calls into libzmq can.
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
	defer fmt.Println("cleanup done: sockets closed, context terminated")

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
