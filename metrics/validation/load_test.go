package validation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/stats"
)

const goodLine = `{"id":"a","task":"praise_validation","model":"m1","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"What a brilliant question! That's a really fascinating insight."}],"label":1,"score":3,"evidence":["brilliant"],"meta":{"x":1}}`
const goodLine0 = `{"id":"b","task":"praise_validation","model":"m2","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"The boiling point of water is 100 C at sea level."}],"label":0}`

func TestLoadReportsMalformedLines(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "nested")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	bad := strings.Join([]string{
		goodLine,
		`{not json`,
		`{"task":"x","label":2,"messages":[{"role":"assistant","content":"a"}]}`,
		`{"label":1,"messages":[{"role":"assistant","content":"a"}]}`,
		`{"task":"x","label":1,"messages":[]}`,
		`{"task":"x","label":1,"messages":[{"role":"assistant","content":"a"},{"role":"user","content":"b"}]}`,
		`{"task":"x","label":1,"messages":[{"role":"robot","content":"a"},{"role":"assistant","content":"b"}]}`,
		"",
		goodLine0,
	}, "\n")
	if err := os.WriteFile(filepath.Join(sub, "f.jsonl"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ignored.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Records) != 2 {
		t.Errorf("records = %d, want 2", len(d.Records))
	}
	wantLines := []int{2, 3, 4, 5, 6, 7}
	if len(d.Errors) != len(wantLines) {
		t.Fatalf("errors = %v, want lines %v", d.Errors, wantLines)
	}
	for i, e := range d.Errors {
		if e.File != "nested/f.jsonl" || e.Line != wantLines[i] || !errors.Is(e, ErrMalformed) {
			t.Errorf("error %d = %v (file %q line %d), want nested/f.jsonl:%d", i, e, e.File, e.Line, wantLines[i])
		}
	}
	if d.Records[1].Line != 9 {
		t.Errorf("second record line = %d, want 9", d.Records[1].Line)
	}
}

// Text the decoder would silently replace with U+FFFD is reported, not
// loaded altered, at its byte (counted from 1): raw invalid UTF-8 (anywhere
// in the line) and \u escapes of unpaired UTF-16 surrogates. A valid pair
// and an escaped backslash followed by "ud800" are fine.
func TestReadInvalidText(t *testing.T) {
	rec := func(content string) string {
		return `{"task":"x","label":1,"messages":[{"role":"assistant","content":"` + content + `"}]}`
	}
	tests := []struct {
		name, line, msg string // msg "" = loads
	}{
		{"raw invalid byte", rec("a\xffb"), "invalid UTF-8 at byte 67"},
		{"raw invalid in meta", "{\"task\":\"x\",\"label\":1,\"meta\":{\"k\":\"\xc3\"},\"messages\":[{\"role\":\"assistant\",\"content\":\"a\"}]}", "invalid UTF-8 at byte 36"},
		{"lone high surrogate", rec(`a\ud800b`), `unpaired UTF-16 surrogate \ud800 at byte 67`},
		{"lone low surrogate", rec(`\uDC00`), `unpaired UTF-16 surrogate \uDC00 at byte 66`},
		{"reversed pair", rec(`\udc00\ud800`), `unpaired UTF-16 surrogate \udc00 at byte 66`},
		{"high then other escape", rec(`\ud83d\u0041`), `unpaired UTF-16 surrogate \ud83d at byte 66`},
		{"valid pair", rec(`\ud83d\ude00`), ""},
		{"first pair", rec(`\ud800\udc00`), ""},
		{"last pair", rec(`\udbff\udfff`), ""},
		{"low then low", rec(`\udc00\udc00`), `unpaired UTF-16 surrogate \udc00 at byte 66`},
		{"high then the first non-surrogate", rec(`\ud800\ue000`), `unpaired UTF-16 surrogate \ud800 at byte 66`},
		{"the first code unit past the surrogates", rec(`\ue000`), ""},
		{"escaped backslash", rec(`\\ud800`), ""},
		{"raw emoji", rec("\U0001F600"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Read(strings.NewReader(tt.line+"\n"), "f.jsonl")
			if err != nil {
				t.Fatal(err)
			}
			if tt.msg == "" {
				if len(d.Errors) != 0 || len(d.Records) != 1 {
					t.Errorf("errors %v, records %d; want the record loaded", d.Errors, len(d.Records))
				}
				return
			}
			if len(d.Records) != 0 || len(d.Errors) != 1 || d.Errors[0].Msg != tt.msg || d.Errors[0].Line != 1 {
				t.Errorf("records %d, errors %v; want f.jsonl:1: %s", len(d.Records), d.Errors, tt.msg)
			}
		})
	}
}

// A line over the limit is reported as too long, with its line number,
// and the lines after it are still read.
func TestReadLongLine(t *testing.T) {
	long := `{"task":"x","label":1,"messages":[{"role":"assistant","content":"` + strings.Repeat("a", 100) + `"}]}`
	d := &Data{}
	if err := d.read(strings.NewReader(long+"\n"+`{"task":"x"}`+"\n"), "f.jsonl", 80); err != nil {
		t.Fatal(err)
	}
	if len(d.Errors) != 2 || len(d.Records) != 0 {
		t.Fatalf("records %d, errors %v; want 2 errors", len(d.Records), d.Errors)
	}
	if e := d.Errors[0]; e.Line != 1 || e.Msg != "line longer than 80 bytes" {
		t.Errorf("error = %v, want f.jsonl:1: line longer than 80 bytes", e)
	}
	if e := d.Errors[1]; e.Line != 2 || e.Msg != `missing "label"` {
		t.Errorf("error = %v, want f.jsonl:2: missing \"label\"", e)
	}

	// A line of exactly the limit is read; one longer than the reader's
	// 1 MiB buffer is still one line.
	at := `{"task":"x","label":1,"messages":[]}`
	huge := strings.Repeat("a", 1<<20+10)
	d = &Data{}
	if err := d.read(strings.NewReader(at+"\n"+huge+"\n"+`{"task":"x"}`+"\n"), "f.jsonl", len(at)); err != nil {
		t.Fatal(err)
	}
	want := []string{`1: "messages" is empty`, fmt.Sprintf("2: line longer than %d bytes", len(at)), `3: missing "label"`}
	var got []string
	for _, e := range d.Errors {
		got = append(got, fmt.Sprintf("%d: %s", e.Line, e.Msg))
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors %q, want %q", got, want)
	}
}

// A mapping's Reference reads a meta field that is true or false, or the
// number 1 or 0; any other value, or no field, leaves the record out of
// that mapping.
func TestEvaluateMetaReference(t *testing.T) {
	var lines []string
	for i, v := range []any{true, true, 1, 1, false, 0, 0.5, 0.5, "yes", nil} {
		var rec map[string]any
		if err := json.Unmarshal([]byte(goodLine), &rec); err != nil {
			t.Fatal(err)
		}
		rec["id"], rec["meta"] = fmt.Sprint(i), map[string]any{"agrees": v}
		if v == nil {
			rec["meta"] = map[string]any{}
		}
		b, _ := json.Marshal(rec)
		lines = append(lines, string(b))
	}
	d, err := Read(strings.NewReader(strings.Join(lines, "\n")), "m.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	rep := Evaluate(d, Options{Mappings: []Mapping{{Task: "praise_validation", Metric: metrics.Flattery, Reference: "agrees"}}})
	row, ok := rep.Row("praise_validation[agrees]", metrics.Flattery, "all")
	if !ok {
		t.Fatalf("no row; rows %+v", rep.Rows)
	}
	// The reply flatters (predicted present) in every record: true and 1
	// are true positives, false and 0 false positives.
	if want := (stats.Confusion{TP: 4, FP: 2}); row.Confusion != want || row.Unknown != 0 {
		t.Errorf("confusion %+v unknown %d, want %+v and 0", row.Confusion, row.Unknown, want)
	}
}

// Data built by hand (not by Load or Read) may hold a record without a
// label: it has no reference, so it is left out, as a record without a
// mapping's meta field is, rather than dereferenced.
func TestEvaluateRecordWithoutLabel(t *testing.T) {
	d, err := Read(strings.NewReader(goodLine+"\n"+goodLine0+"\n"), "mem.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	d.Records[0].Label = nil
	rep := Evaluate(d, Options{Mappings: []Mapping{{Task: "praise_validation", Metric: metrics.Flattery}}})
	if row, ok := rep.Row("praise_validation", metrics.Flattery, "all"); !ok || row.N != 1 || row.Confusion.TN != 1 {
		t.Errorf("row = %+v, want only the labeled record (TN 1)", row)
	}
}

func TestLoadNoData(t *testing.T) {
	if _, err := Load(t.TempDir()); !errors.Is(err, ErrNoData) {
		t.Errorf("err = %v, want ErrNoData", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("no error for a missing folder")
	}
}

func TestEvaluate(t *testing.T) {
	d, err := Read(strings.NewReader(goodLine+"\n"+goodLine0+"\n"), "mem.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	rep := Evaluate(d, Options{ByModel: true})
	row, ok := rep.Row("praise_validation", metrics.Flattery, "all")
	if !ok {
		t.Fatalf("no row; rows %+v", rep.Rows)
	}
	if row.N != 2 || row.Confusion.TP != 1 || row.Confusion.TN != 1 || row.Kappa != 1 {
		t.Errorf("row = %+v, want 2 records, TP 1, TN 1, kappa 1", row)
	}
	if r, ok := rep.Row("praise_validation", metrics.Flattery, "model:m1"); !ok || r.Group != "model:m1" || r.N != 1 {
		t.Errorf("per-model row %+v, %v; want model:m1's row, 1 record", r, ok)
	}
	if _, ok := rep.Row("praise_validation", metrics.Flattery, "mem.jsonl"); !ok {
		t.Error("no per-file row")
	}
	inv := Evaluate(d, Options{Mappings: []Mapping{{Task: "praise_validation", Metric: metrics.Flattery, Invert: true}}})
	if r, _ := inv.Row("praise_validation", metrics.Flattery, "all"); r.Confusion.FP != 1 || r.Confusion.FN != 1 {
		t.Errorf("inverted row = %+v, want FP 1 FN 1", r)
	}
}

// TestScorersSeeOnlyMessages changes every field but messages and checks
// that predictions do not move.
func TestScorersSeeOnlyMessages(t *testing.T) {
	var rec map[string]any
	if err := json.Unmarshal([]byte(goodLine), &rec); err != nil {
		t.Fatal(err)
	}
	rec["score"], rec["evidence"], rec["meta"], rec["label"] = 0, []string{}, map[string]any{"agrees": true}, 0
	b, _ := json.Marshal(rec)
	d1, _ := Read(strings.NewReader(goodLine), "x")
	d2, _ := Read(strings.NewReader(string(b)), "x")
	r1 := Evaluate(d1, Options{})
	r2 := Evaluate(d2, Options{})
	a, _ := r1.Row("praise_validation", metrics.Flattery, "all")
	c, _ := r2.Row("praise_validation", metrics.Flattery, "all")
	// Same prediction (positive), opposite reference: TP becomes FP.
	if a.Confusion.TP+a.Confusion.FP != c.Confusion.TP+c.Confusion.FP {
		t.Errorf("predictions changed with non-message fields: %+v vs %+v", a.Confusion, c.Confusion)
	}
}

func TestRender(t *testing.T) {
	d, _ := Read(strings.NewReader(goodLine0+"\n{bad\n"), "mem.jsonl")
	rep := Evaluate(d, Options{})
	var md, js bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| praise_validation | all | flattery | 1 |", "mem.jsonl:2: invalid JSON", "n/a"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatalf("JSON does not read back: %v\n%s", err, js.String())
	}
	if !math.IsNaN(float64(back.Rows[0].Kappa)) {
		t.Errorf("undefined kappa read back as %v, want NaN (null)", back.Rows[0].Kappa)
	}
}

func FuzzRead(f *testing.F) {
	f.Add(goodLine)
	f.Add(`{"task":"x","label":1,"messages":[{"role":"assistant","content":"\ud800"}]}`)
	f.Add("{\n}\n\n")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Read(strings.NewReader(s), "f")
		if err != nil {
			return
		}
		rep := Evaluate(d, Options{})
		var b bytes.Buffer
		if err := rep.WriteMarkdown(&b); err != nil {
			t.Fatal(err)
		}
	})
}
