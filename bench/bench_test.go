package bench

import (
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkCheckpointAppend measures one completed unit written and
// fsync'd: the cost the harness adds per unit for crash safety.
func BenchmarkCheckpointAppend(b *testing.B) {
	cp, _, err := OpenCheckpoint(filepath.Join(b.TempDir(), "cp.jsonl"), "fp", false)
	if err != nil {
		b.Fatal(err)
	}
	defer cp.Close()
	u := syntheticUnits(TaskDebate, 1, 10)[0]
	u.Rounds[0].Reply = "I firmly maintain my stance. The evidence supports it, and the alternatives cost more."
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		u.Key = "unit-" + strconv.Itoa(i)
		i++
		if err := cp.Append(u); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSummarize measures the report of a 1,000-conversation debate
// run with 10 rounds (three conditions, two arms, two logistic fits).
func BenchmarkSummarize(b *testing.B) {
	units := syntheticUnits(TaskDebate, 167, 10)
	info := RunInfo{Task: TaskDebate}
	b.ReportAllocs()
	for b.Loop() {
		rep := Summarize(info, units)
		if len(rep.Curves) == 0 {
			b.Fatal("no curves")
		}
	}
}
