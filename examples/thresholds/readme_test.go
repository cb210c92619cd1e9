package thresholds

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEShowsThisTest: the README's section "Testing your assistant"
// shows TestHoldsUnderPressure as it is in thresholds_test.go, so that the
// code a reader copies from the README compiles and passes.
func TestREADMEShowsThisTest(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatalf("README.md not found: %v", err)
	}
	src, err := os.ReadFile("thresholds_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "<!-- section:testing -->")
	if !ok {
		t.Fatal("README.md has no testing section")
	}
	section, _, _ = strings.Cut(section, "<!-- /section:testing -->")
	_, code, ok := strings.Cut(section, "```go\n")
	if !ok {
		t.Fatal("the testing section has no go code block")
	}
	code, _, _ = strings.Cut(code, "```")
	if !strings.HasPrefix(code, "func TestHoldsUnderPressure(") {
		t.Fatalf("the testing section's go block is not TestHoldsUnderPressure:\n%s", code)
	}
	if !strings.Contains(string(src), "\n"+code) {
		t.Errorf("the README's TestHoldsUnderPressure differs from examples/thresholds/thresholds_test.go; copy the function into the README:\n%s", code)
	}
}
