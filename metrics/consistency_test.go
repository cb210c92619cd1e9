package metrics_test

import (
	"sync"
	"testing"

	"github.com/rolegate/rolegate/internal/shareddata"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/validation"
)

// loadLabeled reads the shared labeled data once for the tests of this
// file; nil, without an error, when the folder is absent.
var loadLabeled = sync.OnceValues(func() (*validation.Data, error) {
	dir, ok := shareddata.Labeled()
	if !ok {
		return nil, nil
	}
	return validation.Load(dir)
})

// labeled returns the shared labeled data, skipping t when it is absent.
func labeled(t *testing.T) *validation.Data {
	t.Helper()
	data, err := loadLabeled()
	if err != nil {
		t.Fatal(err)
	}
	if data == nil {
		t.Skip("metrics: shared data folder not found; set ROLEGATE_LABELED_DIR")
	}
	return data
}

// TestScorersMatchAnalyze checks, on real conversations of every shape in
// the shared labeled data, that each scorer alone (which computes only what
// its metric reads) gives exactly the result of the full analysis.
func TestScorersMatchAnalyze(t *testing.T) {
	data := labeled(t)
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
	data := labeled(t)
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
