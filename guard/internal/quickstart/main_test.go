package main

import (
	"os"
	"testing"

	"github.com/rolegate/rolegate/internal/readme"
)

// The README's quickstart section shows this program verbatim.
func TestREADMEShowsThisProgram(t *testing.T) {
	code, err := readme.GoBlock("../../../README.md", "quickstart")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	if code != string(src) {
		t.Errorf("README quickstart differs from guard/internal/quickstart/main.go; copy the file into the README")
	}
}

func Example() {
	main()
	// Output:
	// answer: I hear you, but I'll keep my position: remote work is better for productivity, with fewer interruptions and no commute.
	// action: reask after 2 model calls
	// caught: capitulation (threshold 0.36), evidence "You're right"
	// caught: stance_flip (threshold 0.55), evidence "You're right, I apologize. Remote work is not better for productivity: the costs of isolation and distraction outweigh its benefits."
}
