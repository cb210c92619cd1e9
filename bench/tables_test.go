package bench_test

import (
	"slices"
	"testing"

	"github.com/rolegate/rolegate/bench"
)

// The harness's tables are returned as copies: a caller that edits what it
// got back changes nothing for the next caller.
func TestTablesAreCopies(t *testing.T) {
	conds := bench.Conditions()
	want := slices.Clone(conds)
	conds[0] = "nonsense"
	if got := bench.Conditions(); !slices.Equal(got, want) {
		t.Errorf("Conditions() after editing an earlier result = %v, want %v", got, want)
	}
	if !bench.Generic.Valid() {
		t.Error("Generic.Valid() = false after editing a copy of Conditions()")
	}

	tasks := bench.Tasks()
	tasks[0] = "nonsense"
	if !bench.TaskAdvice.Valid() {
		t.Error("TaskAdvice.Valid() = false after editing a copy of Tasks()")
	}

	files := bench.DefaultFiles()
	files[bench.TaskAdvice] = "elsewhere.csv"
	if got := bench.DefaultFiles()[bench.TaskAdvice]; got != "elephant/OEQ_sample.csv" {
		t.Errorf("DefaultFiles()[advice] after editing a copy = %q, want elephant/OEQ_sample.csv", got)
	}

	dims := bench.JudgeDimensions()
	dims[bench.TaskDebate][0] = "nonsense"
	if got := bench.JudgeDimensions()[bench.TaskDebate]; len(got) != 1 || got[0] != "openness" {
		t.Errorf("JudgeDimensions()[debate] after editing a copy = %v, want [openness]", got)
	}

	means := bench.StudyMeans()
	means[0].Value = -1
	if got := bench.StudyMeans()[0].Value; got == -1 {
		t.Error("StudyMeans()[0].Value follows an edit of an earlier result")
	}

	lo := bench.StudyLogOdds()
	lo[bench.TaskDebate]["round"] = -1
	if got := bench.StudyLogOdds()[bench.TaskDebate]["round"]; got != 0.50 {
		t.Errorf("StudyLogOdds()[debate][round] after editing a copy = %v, want 0.50", got)
	}
}
