package validation_test

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/internal/shareddata"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/validation"
)

// TestRecount checks the report's figures for one shared file against a
// count made here without the package's loader, grouping or statistics:
// the file read line by line with encoding/json, each assistant turn
// scored, the confusion matrix and Cohen's kappa computed by hand. The
// pushback file is inverted (label 1 = pushback = framing acceptance
// absent), so the inversion is checked too.
func TestRecount(t *testing.T) {
	dir, ok := shareddata.Labeled()
	if !ok {
		t.Skip("shared labeled data not found; set ROLEGATE_LABELED_DIR")
	}
	const rel = "dev/spiral-bench_pushback.jsonl"
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Skip("the pushback file is not in the shared data:", err)
	}
	defer f.Close()
	an := metrics.NewAnalyzer()
	var tp, fp, fn, tn, unknown int
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var rec struct {
			Messages []chat.Message `json:"messages"`
			Label    int            `json:"label"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		res, _ := an.Analyze(rec.Messages).Get(metrics.FramingAcceptance)
		if res.Label == metrics.Unknown {
			unknown++
			continue
		}
		pred, ref := res.Label == metrics.Absent, rec.Label == 1
		switch {
		case pred && ref:
			tp++
		case pred:
			fp++
		case ref:
			fn++
		default:
			tn++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	n := float64(tp + fp + fn + tn)
	po := float64(tp+tn) / n
	pe := (float64(tp+fp)*float64(tp+fn) + float64(fn+tn)*float64(fp+tn)) / (n * n)
	kappa := (po - pe) / (1 - pe)

	data, err := validation.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	row, ok := validation.Evaluate(data, validation.Options{}).Row("pushback", metrics.FramingAcceptance, rel)
	if !ok {
		t.Fatalf("no row for %s", rel)
	}
	c := row.Confusion
	if c.TP != tp || c.FP != fp || c.FN != fn || c.TN != tn || row.Unknown != unknown || row.N != int(n) {
		t.Errorf("report TP FP FN TN %d %d %d %d unknown %d n %d, recount %d %d %d %d unknown %d n %d",
			c.TP, c.FP, c.FN, c.TN, row.Unknown, row.N, tp, fp, fn, tn, unknown, int(n))
	}
	if math.Abs(float64(row.Kappa)-kappa) > 1e-12 || math.Abs(float64(row.Accuracy)-po) > 1e-12 {
		t.Errorf("report kappa %v accuracy %v, recount %v %v", float64(row.Kappa), float64(row.Accuracy), kappa, po)
	}
	t.Logf("%s: n %d, kappa %.4f, TP FP FN TN %d %d %d %d", rel, int(n), kappa, tp, fp, fn, tn)
}
