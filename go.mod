module github.com/zmq-workshop/workshop

go 1.26.8

require github.com/pebbe/zmq4 v1.4.0

require (
	github.com/traefik/yaegi v0.16.1 // indirect
	github.com/yuin/goldmark v1.8.7 // indirect
)

tool github.com/traefik/yaegi/cmd/yaegi
