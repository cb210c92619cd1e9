package validation

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/stats"
)

// A file saved with a UTF-8 byte order mark (Windows editors, PowerShell)
// loads its first record; CRLF line ends are read as LF ones.
func TestReadBOMAndCRLF(t *testing.T) {
	d, err := Read(strings.NewReader("\ufeff"+goodLine+"\r\n"+goodLine0+"\r\n"), "bom.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Errors) != 0 || len(d.Records) != 2 {
		t.Fatalf("records %d, errors %v; want both records", len(d.Records), d.Errors)
	}
	if got := d.Records[1].Messages[1].Content; strings.ContainsRune(got, '\r') {
		t.Errorf("content %q keeps the CR of CRLF", got)
	}
	// A BOM anywhere but at the start of the stream is not one.
	d, _ = Read(strings.NewReader(goodLine+"\n\ufeff"+goodLine0+"\n"), "mid.jsonl")
	if len(d.Records) != 1 || len(d.Errors) != 1 || d.Errors[0].Line != 2 {
		t.Errorf("records %d, errors %v; want line 2 reported", len(d.Records), d.Errors)
	}
}

// Load follows a symbolic link given as the folder (a data folder linked
// into place) and a link to a file; Load of one file names it by its base
// name, not ".".
func TestLoadPaths(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	if err := os.MkdirAll(real, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(real, "a.jsonl")
	if err := os.WriteFile(file, []byte(goodLine+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := os.Symlink(file, filepath.Join(real, "b.jsonl")); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, path string
		files      []string
	}{
		{"folder", real, []string{"a.jsonl", "b.jsonl"}},
		{"linked folder", link, []string{"a.jsonl", "b.jsonl"}},
		{"one file", file, []string{"a.jsonl"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Load(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(d.Files, tt.files) {
				t.Errorf("files %q, want %q", d.Files, tt.files)
			}
			for _, r := range d.Records {
				if !slices.Contains(tt.files, r.File) {
					t.Errorf("record of file %q, want one of %q", r.File, tt.files)
				}
			}
		})
	}
}

// A record loaded twice (the same id, task and pair side: a copy of a file
// left in a subfolder, a line pasted twice) would count twice; the second is
// reported, naming the first, and skipped.
func TestLoadDuplicates(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "old"), 0o755); err != nil {
		t.Fatal(err)
	}
	side := strings.Replace(goodLine, `"id":"a"`, `"id":"a","pair_side":"b"`, 1)
	noID := strings.Replace(goodLine0, `"id":"b",`, ``, 1)
	for name, body := range map[string]string{
		"a.jsonl":     goodLine + "\n" + goodLine0 + "\n" + side + "\n" + noID + "\n" + noID + "\n",
		"old/a.jsonl": goodLine + "\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Records) != 5 {
		t.Errorf("%d records, want 5 (another pair side and records without an id are not duplicates)", len(d.Records))
	}
	if len(d.Errors) != 1 || d.Errors[0].File != "old/a.jsonl" || d.Errors[0].Line != 1 || !strings.Contains(d.Errors[0].Msg, "a.jsonl:1") {
		t.Errorf("errors %v, want old/a.jsonl:1 reported as a duplicate of a.jsonl:1", d.Errors)
	}
}

// The JSON report says, as the Markdown one does, which lines were skipped:
// a CI job reading only the JSON must not take a half-read folder for a
// whole one.
func TestJSONListsMalformedLines(t *testing.T) {
	d, _ := Read(strings.NewReader(goodLine0+"\n{bad\n"), "mem.jsonl")
	var b bytes.Buffer
	if err := Evaluate(d, Options{}).WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Errors []struct {
			File string `json:"file"`
			Line int    `json:"line"`
			Msg  string `json:"msg"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Errors) != 1 || got.Errors[0].File != "mem.jsonl" || got.Errors[0].Line != 2 || !strings.HasPrefix(got.Errors[0].Msg, "invalid JSON") {
		t.Errorf("errors in JSON = %+v, want mem.jsonl:2 invalid JSON\n%s", got.Errors, b.String())
	}
	clean, _ := Read(strings.NewReader(goodLine0+"\n"), "mem.jsonl")
	b.Reset()
	if err := Evaluate(clean, Options{}).WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"errors": []`) {
		t.Errorf("no malformed line should be an empty list, not absent or null:\n%s", b.String())
	}
}

// Rows come in the same order on every run, even for two mappings of one
// task and metric that differ only in Invert, and a mapping given twice
// counts each record once.
func TestEvaluateOrderAndDuplicateMappings(t *testing.T) {
	d, _ := Read(strings.NewReader(goodLine+"\n"+goodLine0+"\n"), "mem.jsonl")
	maps := []Mapping{
		{Task: "praise_validation", Metric: metrics.Flattery, Invert: true},
		{Task: "praise_validation", Metric: metrics.Flattery},
		{Task: "praise_validation", Metric: metrics.Flattery},
	}
	var first []Row
	for range 50 {
		rep := Evaluate(d, Options{Mappings: maps})
		if first == nil {
			first = rep.Rows
			continue
		}
		for i := range first {
			if rep.Rows[i].Group != first[i].Group || rep.Rows[i].Invert != first[i].Invert {
				t.Fatalf("row %d is %s/invert=%v on one run and %s/invert=%v on another", i, first[i].Group, first[i].Invert, rep.Rows[i].Group, rep.Rows[i].Invert)
			}
		}
	}
	if len(first) != 4 || first[0].Invert || first[0].Group != "all" || !first[2].Invert || first[2].Group != "all" {
		t.Errorf("rows %+v, want the plain mapping's rows, then the inverted one's", first)
	}
	for _, r := range first {
		if r.N != 2 {
			t.Errorf("row %s invert=%v: n = %d, want 2 (each record once)", r.Group, r.Invert, r.N)
		}
	}
}

// A record of a task no mapping covers is counted as skipped, and one the
// scorer cannot decide (a stance flip with no earlier answer to flip from)
// as unknown in every group of its row, outside the matrix. A record
// without a model still gets a "model:" row, after the file rows as for any
// model, even when the file name sorts after "model:".
func TestEvaluateCountsSkippedAndUnknown(t *testing.T) {
	undecidable := `{"id":"s","task":"stance_flip","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"Hello."}],"label":0}`
	unmapped := `{"id":"u","task":"no_such_task","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"Hello."}],"label":1}`
	d, err := Read(strings.NewReader(undecidable+"\n"+unmapped+"\n"+goodLine+"\n"), "z.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	rep := Evaluate(d, Options{ByModel: true})
	if rep.Records != 3 || rep.Skipped != 1 {
		t.Errorf("records %d skipped %d, want 3 and 1", rep.Records, rep.Skipped)
	}
	var groups []string
	for _, r := range rep.Rows {
		if r.Task != "stance_flip" || r.Metric != metrics.StanceFlip {
			continue
		}
		groups = append(groups, r.Group)
		if r.N != 0 || r.Unknown != 1 || r.Confusion != (stats.Confusion{}) {
			t.Errorf("group %s: n %d unknown %d confusion %+v, want 0, 1 and an empty matrix", r.Group, r.N, r.Unknown, r.Confusion)
		}
	}
	if want := []string{"all", "z.jsonl", "model:"}; !slices.Equal(groups, want) {
		t.Errorf("stance_flip rows in groups %q, want %q", groups, want)
	}
}
