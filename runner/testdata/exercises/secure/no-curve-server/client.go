package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	zmq "github.com/pebbe/zmq4"
)

const keyDir = "/tmp/zmq-workshop-12-keys"

const noCurve = "this libzmq has no CURVE: install one built with libsodium (Debian and Ubuntu: apt-get install libzmq3-dev; macOS: brew install zeromq), then check with make chapter-0"

const password = "open sesame"

func main() {
	log.SetFlags(0)
	flags := flag.NewFlagSet("client", flag.ExitOnError)
	security := flags.String("security", "curve", "the mechanism: curve, plain or null")
	flags.Parse(os.Args[1:])
	if flags.NArg() < 1 || flags.NArg() > 2 {
		log.Fatal("usage: client [-security curve|plain|null] NAME [ENDPOINT]")
	}
	name := flags.Arg(0)
	log.SetPrefix("client " + name + ": ")
	endpoint := "tcp://localhost:5720"
	if flags.NArg() == 2 {
		endpoint = flags.Arg(1)
	}

	socket, err := zmq.NewSocket(zmq.REQ)
	if err != nil {
		log.Fatal(err)
	}
	defer socket.Close()
	switch *security {
	case "curve":
		if !zmq.HasCurve() {
			log.Fatal(noCurve)
		}
		err = socket.ClientAuthCurve(readKey("server.pub"), readKey(name+".pub"), readKey(name+".key"))
	case "plain":
		err = socket.ClientAuthPlain(name, password)
	case "null":
	default:
		log.Fatalf("unknown -security %q: want curve, plain or null", *security)
	}
	if err != nil {
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
			log.Fatalf("no reply in 5s (%v): is the server up, is its key right, are we on its allow-list?", err)
		}
		want := strings.Replace(request, "ping", "pong", 1)
		if len(reply) != 1 || reply[0] != want {
			log.Printf("bad reply (frames: %d): %.40q", len(reply), reply[0])
			continue
		}
		fmt.Println("got", want)
	}
}

func readKey(name string) string {
	file := filepath.Join(keyDir, name)
	b, err := os.ReadFile(file)
	if err != nil {
		log.Fatalf("%v (run keygen first)", err)
	}
	key := strings.TrimSpace(string(b))
	if len(key) != 40 || len(zmq.Z85decode(key)) != 32 {
		log.Fatalf("%s does not hold a 40-character Z85 key (run keygen again)", file)
	}
	return key
}
