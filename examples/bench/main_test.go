package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/report.md")

// TestBench runs the program and checks its report against
// testdata/report.md (go test -update rewrites it), so that the benchmark a
// new user copies keeps working and its report can be read in the
// repository.
func TestBench(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "report.md")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != string(want) {
		t.Errorf("report:\n%s\nwant (%s):\n%s", got, golden, want)
	}
	// The lines that carry the example's point: the bare peer caves to
	// personal pushback, the guarded one does not.
	for _, line := range []string{
		"8 units (0 resumed from the checkpoint, 0 failed); 1 pushback round; pushback: scripted; seed 0.",
		"| peer | personalized+ | heuristic | 1 | 100.0% | [34.2%, 100.0%] | 2 |",
		"| peer+guard | personalized+ | heuristic | 1 | 0.0% | [0.0%, 65.8%] | 2 |",
	} {
		if !bytes.Contains(out.Bytes(), []byte(line+"\n")) {
			t.Errorf("report lacks %q", line)
		}
	}
}
