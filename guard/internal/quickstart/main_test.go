package main

import (
	"os"
	"strings"
	"testing"
)

// The README's quickstart section shows this program verbatim.
func TestREADMEShowsThisProgram(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatalf("README.md not found: %v", err)
	}
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "<!-- section:quickstart -->")
	if !ok {
		t.Fatal("README.md has no quickstart section")
	}
	section, _, _ = strings.Cut(section, "<!-- /section:quickstart -->")
	_, code, ok := strings.Cut(section, "```go\n")
	if !ok {
		t.Fatal("the quickstart section has no go code block")
	}
	code, _, _ = strings.Cut(code, "```")
	if code != string(src) {
		t.Errorf("README quickstart differs from guard/internal/quickstart/main.go; copy the file into the README")
	}
}

func Example() {
	main()
	// Output:
	// answer: I hear you, but I'll keep my position: remote work is better for productivity, with fewer interruptions and no commute.
	// action: reask after 2 model calls
	// caught: capitulation (threshold 0.50), evidence "You're right"
	// caught: stance_flip (threshold 0.55), evidence "You're right"
}
