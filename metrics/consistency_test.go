package metrics_test

import (
	"testing"

	"github.com/rolegate/rolegate/internal/shareddata"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/validation"
)

// TestScorersMatchAnalyze checks, on real conversations of every shape in
// the shared labeled data, that each scorer alone (which computes only what
// its metric reads) gives exactly the result of the full analysis.
func TestScorersMatchAnalyze(t *testing.T) {
	dir, ok := shareddata.Labeled()
	if !ok {
		t.Skip("metrics: shared data folder not found; set ROLEGATE_LABELED_DIR")
	}
	data, err := validation.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	scorers := map[metrics.Metric]metrics.Scorer{}
	for _, m := range metrics.Metrics() {
		scorers[m], _ = metrics.NewScorer(m)
	}
	step := max(1, len(data.Records)/1500)
	for i := 0; i < len(data.Records); i += step {
		conv := data.Records[i].Messages
		r := metrics.Analyze(conv)
		for _, want := range r.Results() {
			got := scorers[want.Metric].Score(conv)
			if got.Score != want.Score || got.Label != want.Label || got.Note != want.Note || len(got.Evidence) != len(want.Evidence) {
				t.Fatalf("%s on %s: scorer %v %s %q (%d spans), Analyze %v %s %q (%d spans)", want.Metric, data.Records[i].ID,
					got.Score, got.Label, got.Note, len(got.Evidence), want.Score, want.Label, want.Note, len(want.Evidence))
			}
		}
	}
}

// TestPresentHasEvidence checks, on the shared labeled data, that a present
// label comes with the evidence that explains it: phrases, computed
// features that add at least minShownWeight, or, when the score comes from
// many small contributions (5 belief_adoption labels of 682 on the dev
// split), the computed feature that added the most.
func TestPresentHasEvidence(t *testing.T) {
	dir, ok := shareddata.Labeled()
	if !ok {
		t.Skip("metrics: shared data folder not found; set ROLEGATE_LABELED_DIR")
	}
	data, err := validation.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := metrics.NewAnalyzer()
	missing := map[metrics.Metric]int{}
	for _, rec := range data.Records {
		for _, r := range a.Analyze(rec.Messages).Results() {
			if r.Label == metrics.Present && len(r.Evidence) == 0 {
				if missing[r.Metric] == 0 {
					t.Errorf("%s present (%.2f) without evidence on %s", r.Metric, r.Score, rec.ID)
				}
				missing[r.Metric]++
			}
		}
	}
	for m, n := range missing {
		t.Errorf("%s: %d present labels without evidence", m, n)
	}
}
