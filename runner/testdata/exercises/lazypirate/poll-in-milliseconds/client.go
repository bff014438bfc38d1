// poller.Poll(*timeout / time.Millisecond): "Poll wants milliseconds, like zmq_poll in
// C". That is 500 ns, so every try times out at once and the retries come straight after
// each other, before any reply could arrive.
package main

import (
	"flag"
	"fmt"
	"log"
	"time"

	zmq "github.com/pebbe/zmq4"
)

// The client makes -n requests "request I from client ID (try T)" to a
// server at tcp://localhost:5700. It waits at most -timeout for each reply
// ("reply to " and the request), and on a timeout closes its REQ socket,
// connects a new one and sends the next try, up to -tries tries. See the
// chapter's transcripts for the lines it prints.
func main() {
	log.SetFlags(0)
	requests := flag.Int("n", 3, "how many requests to make")
	timeout := flag.Duration("timeout", 500*time.Millisecond, "how long to wait for each reply")
	tries := flag.Int("tries", 3, "how many times to send a request before giving up")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: client [-n REQUESTS] [-timeout DURATION] [-tries N] ID")
	}
	id := flag.Arg(0)
	log.SetPrefix("client " + id + ": ")

	socket := newClient()
	for i := 1; i <= *requests; i++ {
		first := time.Now()
		for try := 1; ; try++ {
			request := fmt.Sprintf("request %d from client %s (try %d)", i, id, try)
			start := time.Now()
			if _, err := socket.Send(request, 0); err != nil {
				log.Fatal(err)
			}
			poller := zmq.NewPoller()
			poller.Add(socket, zmq.POLLIN)
			polled, err := poller.Poll(*timeout / time.Millisecond) // zmq_poll takes milliseconds
			if err != nil {
				log.Fatal(err)
			}
			reply := ""
			if len(polled) > 0 {
				if reply, err = socket.Recv(0); err != nil {
					log.Fatal(err)
				}
			}
			if reply == "reply to "+request {
				fmt.Printf("request %d, try %d: answered in %v\n", i, try, time.Since(start).Round(time.Microsecond))
				break
			}
			socket.Close()
			if try == *tries {
				fmt.Printf("request %d, try %d: no reply within %v; that was the last try\n", i, try, *timeout)
				log.Fatalf("request %d: no reply to %d tries in %d ms; giving up, the server seems to be down",
					i, try, time.Since(first).Milliseconds())
			}
			fmt.Printf("request %d, try %d: no reply within %v; reconnecting\n", i, try, *timeout)
			socket = newClient()
		}
	}
	socket.Close()
}

func newClient() *zmq.Socket {
	socket, err := zmq.NewSocket(zmq.REQ)
	if err != nil {
		log.Fatal(err)
	}
	if err := socket.SetLinger(0); err != nil {
		log.Fatal(err)
	}
	if err := socket.Connect("tcp://localhost:5700"); err != nil {
		log.Fatal(err)
	}
	return socket
}
