package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	zmq "github.com/pebbe/zmq4"
)

const keyDir = "/tmp/zmq-workshop-12-keys"

// The client: chapter 02's ping-pong client, not secured yet. Its first
// argument is its name, which is also the name of its key pair in
// /tmp/zmq-workshop-12-keys; the second, if given, the endpoint to connect
// to. Make it a CURVE client that knows the server's public key, server.pub.
func main() {
	log.SetFlags(0)
	if len(os.Args) < 2 || len(os.Args) > 3 {
		log.Fatal("usage: client NAME [ENDPOINT]")
	}
	name := os.Args[1]
	log.SetPrefix("client " + name + ": ")
	endpoint := "tcp://localhost:5720"
	if len(os.Args) == 3 {
		endpoint = os.Args[2]
	}
	socket, err := zmq.NewSocket(zmq.REQ)
	if err != nil {
		log.Fatal(err)
	}
	defer socket.Close()
	if err := socket.ClientAuthCurve(readKey("server.pub"), readKey(name+".pub"), readKey(name+".key")); err != nil {
		log.Fatal(err)
	}
	if err := socket.SetRcvtimeo(5 * time.Second); err != nil {
		log.Fatal(err)
	}
	if err := socket.SetLinger(0); err != nil {
		log.Fatal(err)
	}
	if err := socket.Connect(endpoint); err != nil {
		log.Fatal(err)
	}

	for i := 1; i <= 3; i++ {
		request := fmt.Sprintf("ping %d from client %s", i, name)
		fmt.Println("sending", request)
		if _, err := socket.Send(request, 0); err != nil {
			log.Fatal(err)
		}
		reply, err := socket.RecvMessage(0)
		if err != nil {
			log.Fatalf("no reply in 5s (%v)", err)
		}
		want := strings.Replace(request, "ping", "pong", 1)
		if len(reply) != 1 || reply[0] != want {
			log.Printf("bad reply (frames: %d)", len(reply))
			continue
		}
		fmt.Println("got", want)
	}
}

func readKey(name string) string {
	b, err := os.ReadFile(filepath.Join(keyDir, name))
	if err != nil {
		log.Fatalf("%v (run keygen first)", err)
	}
	return strings.TrimSpace(string(b))
}
