#!/bin/sh
# Runs every scene of every chapter ROUNDS times in both modes while two
# busy loops load both cores, and reports each scene's failure rate. Other
# arguments go to runner check: -exercises keeps the exercises' scenes.
# Usage: tools/soak.sh [ROUNDS [CHECK-ARGS...]]
#   (make soak ROUNDS=20, make soak-exercises ROUNDS=20)
set -eu
rounds=${1:-20}
[ $# -gt 0 ] && shift
cd "$(dirname "$0")/.."

go build -o .cache/soak-runner ./runner
burners=
for _ in 1 2; do
	# Each burner stops by itself after three hours at the latest.
	timeout 3h sh -c 'while :; do :; done' &
	burners="$burners $!"
done
trap 'kill $burners 2>/dev/null || true' EXIT INT TERM
echo "soak: $rounds rounds of every scene in both modes, with both cores loaded ($*)"
.cache/soak-runner check -count "$rounds" --mode=both "$@"
