package main

import (
	"bytes"
	"fmt"
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
	got, err := run(io.Discard, dir, path, options{})
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

func TestWordGrams(t *testing.T) {
	got := wordGrams("It's a STEREOTYPE, it's-not")
	for _, g := range []string{"it's", "a", "stereotype", "it's a", "a stereotype", "stereotype it's", "it's not", "not"} {
		if !got[g] {
			t.Errorf("wordGrams lacks %q: %v", g, got)
		}
	}
	if len(got) != 8 {
		t.Errorf("wordGrams = %v, want 8 n-grams", got)
	}
	if len(wordGrams("")) != 0 || len(wordGrams(" ,. ")) != 0 {
		t.Error("wordGrams of no words is not empty")
	}
}

func TestSeparatingGrams(t *testing.T) {
	// "tell" separates and is used by every model; "rare" separates
	// better but only one model says it; "the" does not separate.
	var grams []map[string]bool
	var ys []bool
	var models []string
	for i := 0; i < 200; i++ {
		y := i%2 == 0
		m := map[string]bool{"the": true}
		if y {
			m["tell"] = true
		}
		model := fmt.Sprintf("m%d", i%5)
		if y && model == "m0" {
			m["rare"] = true
		}
		grams, ys, models = append(grams, m), append(ys, y), append(models, model)
	}
	all := make([]int, len(ys))
	for i := range all {
		all[i] = i
	}
	got := separatingGrams(grams, ys, models, all, 2)
	if len(got) != 2 || got[0] != "tell" || got[1] != "the" {
		t.Errorf("separatingGrams = %q, want [tell the]", got)
	}
	if got := separatingGrams(grams, ys, models, all, 0); got != nil {
		t.Errorf("k=0: %q, want none", got)
	}
	// Only the records given count: from the first 60, no n-gram is in 40
	// replies of 4 models but "the" (60 replies, 5 models).
	if got := separatingGrams(grams, ys, models, all[:60], 5); len(got) != 1 || got[0] != "the" {
		t.Errorf("first 60 records: %q, want [the]", got)
	}
}

func TestRows(t *testing.T) {
	xs := [][]float64{{1, 2}, {3, 4}}
	ys := []bool{true, false}
	grams := []map[string]bool{{"a": true}, {"b": true}}
	x, y := rows(xs, ys, grams, []string{"b", "a"}, []int{1, 0})
	if fmt.Sprint(x, y) != "[[3 4 1 0] [1 2 0 1]] [false true]" {
		t.Errorf("rows = %v %v", x, y)
	}
	if xs[0][1] != 2 || len(xs[0]) != 2 {
		t.Errorf("rows changed its input: %v", xs)
	}
}
