package render

import "github.com/zmq-workshop/workshop/chapters"

// ProcessColours is the number of process colours in the stylesheet
// (.c0 to .c7).
const ProcessColours = 8

// Colours gives each process of a scene its colour, 0 to ProcessColours-1:
// in the order the script starts them, then in the order the transcript
// names any others. The static transcript and the live one share it.
func Colours(sc *chapters.Scene) map[string]int {
	colour := map[string]int{}
	assign := func(name string) {
		if _, ok := colour[name]; !ok {
			colour[name] = len(colour) % ProcessColours
		}
	}
	for _, st := range sc.Steps {
		if st.Op == chapters.OpStart {
			for _, p := range st.Procs {
				assign(p)
			}
		}
	}
	if sc.Transcript != nil {
		for _, l := range sc.Transcript.Lines {
			assign(l.Proc)
		}
	}
	return colour
}
