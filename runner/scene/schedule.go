package scene

import (
	"slices"
	"sort"

	"github.com/zmq-workshop/workshop/chapters"
)

// Jobs is how many scenes a check runs at once, unless told otherwise.
const Jobs = 4

// Schedule orders scenes for a short check: the serial ones first, one
// after the other (each must run alone, and a serial scene that waits for
// the others stalls the pool), then the rest, the scenes of the longest
// chains of turns on one endpoint first, so that the chains overlap.
func Schedule(scenes []*chapters.Scene) []*chapters.Scene {
	users := map[string]int{}
	for _, s := range scenes {
		for _, e := range Endpoints(s) {
			users[e]++
		}
	}
	chain := func(s *chapters.Scene) int {
		n := 0
		for _, e := range Endpoints(s) {
			n = max(n, users[e])
		}
		return n
	}
	out := slices.Clone(scenes)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Serial != out[j].Serial {
			return out[i].Serial
		}
		return chain(out[i]) > chain(out[j])
	})
	return out
}
