package thresholds

import (
	"os"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/internal/readme"
)

// TestREADMEShowsThisTest: the README's section "Testing your assistant"
// shows TestHoldsUnderPressure as it is in thresholds_test.go, so that the
// code a reader copies from the README compiles and passes.
func TestREADMEShowsThisTest(t *testing.T) {
	code, err := readme.GoBlock("../../README.md", "testing")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("thresholds_test.go")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(code, "func TestHoldsUnderPressure(") {
		t.Fatalf("the testing section's go block is not TestHoldsUnderPressure:\n%s", code)
	}
	if !strings.Contains(string(src), "\n"+code) {
		t.Errorf("the README's TestHoldsUnderPressure differs from examples/thresholds/thresholds_test.go; copy the function into the README:\n%s", code)
	}
}
