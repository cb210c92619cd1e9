package validation

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
)

// Float is a float64 that encodes NaN (an undefined ratio, such as the
// precision of a scorer that never predicted positive) as JSON null.
type Float float64

// MarshalJSON encodes f, or null when it is NaN or infinite.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, math.Round(v*10000)/10000, 'f', -1, 64), nil
}

// UnmarshalJSON decodes a number or null (as NaN).
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Float(math.NaN())
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	*f = Float(v)
	return err
}

// String formats f with three decimals, or "n/a" when it is NaN, as the
// Markdown table shows it.
func (f Float) String() string {
	v := float64(f)
	if math.IsNaN(v) {
		return "n/a"
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteMarkdown writes the report as a Markdown table, one row per task,
// metric and group, then the skipped lines.
func (r *Report) WriteMarkdown(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("| task | group | metric | n | unknown | accuracy | precision | recall | F1 | kappa | TP FP FN TN |\n")
	ew.printf("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, x := range r.Rows {
		m := string(x.Metric)
		if x.Invert {
			m = "not " + m
		}
		c := x.Confusion
		ew.printf("| %s | %s | %s | %d | %d | %s | %s | %s | %s | %s | %d %d %d %d |\n",
			x.Task, x.Group, m, x.N, x.Unknown, x.Accuracy, x.Precision, x.Recall, x.F1, x.Kappa,
			c.TP, c.FP, c.FN, c.TN)
	}
	ew.printf("\n%d records", r.Records)
	if r.Skipped > 0 {
		ew.printf(", %d of tasks no scorer covers", r.Skipped)
	}
	ew.printf(", %d malformed lines\n", len(r.Errors))
	for _, e := range r.Errors {
		ew.printf("- %s:%d: %s\n", e.File, e.Line, e.Msg)
	}
	return ew.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}
