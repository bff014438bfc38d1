// The server lets in every public key it finds in the key directory instead of only the
// clients named on its command line: "keygen wrote the keys of the clients there". So
// mallory, whose pair keygen also made, is let in, and so is anyone holding server.key.
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	zmq "github.com/pebbe/zmq4"
)

const keyDir = "/tmp/zmq-workshop-12-keys"

// The server: chapter 02's ping-pong server on tcp://*:5720, not secured
// yet. Its arguments name the clients to let in (alice: the key pair in
// /tmp/zmq-workshop-12-keys/alice.pub and alice.key). Make it a CURVE server
// with the secret key in server.key that lets in only the clients named.
func main() {
	log.SetFlags(0)
	log.SetPrefix("server: ")
	if len(os.Args) < 2 {
		log.Fatal("usage: server CLIENT...")
	}
	socket, err := zmq.NewSocket(zmq.REP)
	if err != nil {
		log.Fatal(err)
	}
	defer socket.Close()
	if err := zmq.AuthStart(); err != nil {
		log.Fatal(err)
	}
	// Let in every client whose key keygen made.
	pubs, err := filepath.Glob(filepath.Join(keyDir, "*.pub"))
	if err != nil {
		log.Fatal(err)
	}
	for _, pub := range pubs {
		zmq.AuthCurveAdd("pingpong", readKey(filepath.Base(pub)))
	}
	if err := socket.ServerAuthCurve("pingpong", readKey("server.key")); err != nil {
		log.Fatal(err)
	}
	if err := socket.Bind("tcp://*:5720"); err != nil {
		log.Fatal(err)
	}

	fmt.Println("ready on tcp://*:5720")
	for {
		frames, err := socket.RecvMessage(0)
		if err != nil {
			log.Fatal(err)
		}
		if len(frames) != 1 || !strings.HasPrefix(frames[0], "ping") {
			log.Printf("bad request (frames: %d)", len(frames))
			if _, err := socket.Send("error: not a ping", 0); err != nil {
				log.Fatal(err)
			}
			continue
		}
		fmt.Println("received", frames[0])
		if _, err := socket.Send(strings.Replace(frames[0], "ping", "pong", 1), 0); err != nil {
			log.Fatal(err)
		}
	}
}

func readKey(name string) string {
	b, err := os.ReadFile(filepath.Join(keyDir, name))
	if err != nil {
		log.Fatalf("%v (run keygen first)", err)
	}
	return strings.TrimSpace(string(b))
}
