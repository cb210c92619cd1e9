package main

import (
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/rolegate/rolegate/internal/shareddata"
)

// synthetic returns a deterministic data set where feature 0 raises the odds
// of the positive class and feature 1 lowers them.
func synthetic() ([][]float64, []bool) {
	var xs [][]float64
	var ys []bool
	for i := 0; i < 400; i++ {
		a, b := float64(i%4), float64((i/4)%4)
		z := 1.5*a - 1.2*b - 0.5
		xs = append(xs, []float64{a, b})
		ys = append(ys, float64((i*7919)%100)/100 < 1/(1+math.Exp(-z)))
	}
	return xs, ys
}

func TestFitRecoversSignsAndIsDeterministic(t *testing.T) {
	xs, ys := synthetic()
	w1, b1 := fit(xs, ys, 1)
	w2, b2 := fit(xs, ys, 1)
	if w1[0] != w2[0] || w1[1] != w2[1] || b1 != b2 {
		t.Fatalf("fit is not deterministic: %v %v vs %v %v", w1, b1, w2, b2)
	}
	if !(w1[0] > 0.5 && w1[1] < -0.5) {
		t.Errorf("weights %v, want feature 0 positive and feature 1 negative", w1)
	}
	th := bestThreshold(xs, ys, w1, b1, 0)
	if c := confusion(xs, ys, w1, b1, th); c.Kappa() < 0.3 {
		t.Errorf("in-sample kappa %.3f at threshold %.2f, want >= 0.3", c.Kappa(), th)
	}
	if a := auc(xs, ys, w1, b1); !(a > 0.7 && a <= 1) {
		t.Errorf("AUC %.3f, want > 0.7", a)
	}
}

func TestSolve(t *testing.T) {
	h := [][]float64{{4, 1}, {1, 3}}
	x := solve(h, []float64{1, 2})
	if math.Abs(4*x[0]+x[1]-1) > 1e-9 || math.Abs(x[0]+3*x[1]-2) > 1e-9 {
		t.Errorf("solve = %v", x)
	}
}

func TestSelectFeatures(t *testing.T) {
	names := []string{"agree.explicit", "agree.balance", "certainty", "user:agree.explicit", "@stance.restated"}
	got := selectFeatures(names, []string{"agree.*", "@stance.*"})
	if len(got) != 3 || got[0] != 0 || got[1] != 1 || got[2] != 4 {
		t.Errorf("selectFeatures = %v, want [0 1 4]", got)
	}
}

// TestCommittedWeightsReproduce refits every trained metric on the shared
// labeled data and checks that the result is byte for byte the committed
// model file: the weights are reproducible from the repository.
func TestCommittedWeightsReproduce(t *testing.T) {
	if testing.Short() {
		t.Skip("refits every model")
	}
	dir, ok := shareddata.Labeled()
	if !ok {
		t.Skip("train: shared data folder not found; set ROLEGATE_LABELED_DIR")
	}
	path := filepath.Join("..", "..", "lexicon", "en_model.json")
	got, err := run(io.Discard, dir, path, "", false)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("refitted weights differ from %s; run go run ./metrics/internal/train -write and commit", path)
	}
}
