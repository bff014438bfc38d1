package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	zmq "github.com/pebbe/zmq4"
)

const keyDir = "/tmp/zmq-workshop-12-keys"

const noCurve = "this libzmq has no CURVE: install one built with libsodium (Debian and Ubuntu: apt-get install libzmq3-dev; macOS: brew install zeromq), then check with make chapter-0"

// domain names this server to the ZAP handler; one handler may serve
// several servers, each with its own rules.
const domain = "pingpong"

// password is PLAIN's, for the scene that shows why PLAIN is not security.
const password = "open sesame"

func main() {
	log.SetFlags(0)
	log.SetPrefix("server: ")
	flags := flag.NewFlagSet("server", flag.ExitOnError)
	security := flags.String("security", "curve", "the mechanism: curve, plain or null")
	deny := flags.String("deny", "", "an IP address whose connections are refused")
	flags.Parse(os.Args[1:])
	clients := flags.Args()
	if len(clients) == 0 && *security != "null" {
		log.Fatal("usage: server [-security curve|plain|null] [-deny ADDRESS] CLIENT... (the names of the clients let in)")
	}

	socket, err := zmq.NewSocket(zmq.REP)
	if err != nil {
		log.Fatal(err)
	}
	defer socket.Close()

	if err := zmq.AuthStart(); err != nil {
		log.Fatal(err)
	}
	if *deny != "" {
		zmq.AuthDeny(domain, *deny)
	}
	switch *security {
	case "curve":
		if !zmq.HasCurve() {
			log.Fatal(noCurve)
		}
		// Let every client in: no allow-list.
		zmq.AuthCurveAdd(domain, zmq.CURVE_ALLOW_ANY)
		err = socket.ServerAuthCurve(domain, readKey("server.key"))
	case "plain":
		for _, name := range clients {
			zmq.AuthPlainAdd(domain, name, password)
		}
		err = socket.ServerAuthPlain(domain)
	case "null":
		err = socket.ServerAuthNull(domain)
	default:
		log.Fatalf("unknown -security %q: want curve, plain or null", *security)
	}
	if err != nil {
		log.Fatal(err)
	}
	if *security != "curve" {
		fmt.Printf("security: %s, nothing is encrypted\n", *security)
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
		if !isPing(frames) {
			log.Printf("bad request (frames: %d): %.40q", len(frames), frames[0])
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

func isPing(frames []string) bool {
	if len(frames) != 1 || len(frames[0]) > 100 || !strings.HasPrefix(frames[0], "ping") {
		return false
	}
	for _, c := range []byte(frames[0]) {
		if c < ' ' || c > '~' {
			return false
		}
	}
	return true
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
