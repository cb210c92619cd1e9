package validation

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// TestGoldenReport renders the report of a small fixture (written for this
// test, not third-party data) and compares it with testdata/*.golden; run
// with -update after an intended change of the scorers or the format.
func TestGoldenReport(t *testing.T) {
	d, err := Load("testdata")
	if err != nil {
		t.Fatal(err)
	}
	rep := Evaluate(d, Options{ByModel: true})
	for _, g := range []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"report.golden.md", func(b *bytes.Buffer) error { return rep.WriteMarkdown(b) }},
		{"report.golden.json", func(b *bytes.Buffer) error { return rep.WriteJSON(b) }},
	} {
		t.Run(g.file, func(t *testing.T) {
			var got bytes.Buffer
			if err := g.write(&got); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", g.file)
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s differs from the golden file (run with -update if intended)\n--- got\n%s\n--- want\n%s", g.file, got.String(), want)
			}
		})
	}
}
