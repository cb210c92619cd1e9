package stats

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
)

// cellObs expands a table of (condition, round, yes, no) cells into
// observations, one item per row so that every row is its own cluster.
func cellObs(cells []cellCount) []Observation {
	var obs []Observation
	for _, c := range cells {
		for i := range c.yes + c.no {
			obs = append(obs, Observation{
				Item:      fmt.Sprintf("%s/%d/%d", c.cond, c.round, i),
				Condition: c.cond, Round: c.round, Outcome: i < c.yes,
			})
		}
	}
	return obs
}

type cellCount struct {
	cond    string
	round   int
	yes, no int
}

type wantCoef struct {
	name        string
	est, se, pv float64 // pv NaN: not checked
}

func checkFit(t *testing.T, fit *LogisticFit, want []wantCoef) {
	t.Helper()
	if len(fit.Coefficients) != len(want) {
		t.Fatalf("got %d coefficients %v, want %d", len(fit.Coefficients), fit.Coefficients, len(want))
	}
	for i, w := range want {
		c := fit.Coefficients[i]
		if c.Name != w.name {
			t.Errorf("coefficient %d is %q, want %q", i, c.Name, w.name)
		}
		if !close6(c.Estimate, w.est) || !close6(c.SE, w.se) {
			t.Errorf("%s: estimate %.12g se %.12g, want %.12g %.12g", w.name, c.Estimate, c.SE, w.est, w.se)
		}
		if !close6(c.Z, w.est/w.se) {
			t.Errorf("%s: z %.12g, want %.12g", w.name, c.Z, w.est/w.se)
		}
		if !math.IsNaN(w.pv) && !closeRel(c.PValue, w.pv, 1e-6) {
			t.Errorf("%s: p %.12g, want %.12g", w.name, c.PValue, w.pv)
		}
		h := 1.959963984540054 * w.se
		if !close6(c.CI.Lo, w.est-h) || !close6(c.CI.Hi, w.est+h) {
			t.Errorf("%s: CI %+v, want %v ± %v", w.name, c.CI, w.est, h)
		}
	}
}

// A single binary predictor: the MLE reproduces the 2x2 table, so
// β0 = log(a/b), β1 = log(c/d) - log(a/b) = log odds ratio, with
// SE(β0) = sqrt(1/a+1/b), SE(β1) = sqrt(1/a+1/b+1/c+1/d) (Woolf).
// Table: x=0: 10 yes, 30 no; x=1: 25 yes, 15 no.
//
//	β0 = log(1/3) = -1.0986122886681097, SE sqrt(2/15) = 0.36514837167011074, p 0.0026239079320912240
//	β1 = log(5)   =  1.6094379124341004, SE sqrt(0.24) = 0.48989794855663562, p 0.0010189142016100822
//
// (p-values: 2(1-Φ(|z|)), Φ by its Taylor series in bc -l, scale=40.)
func TestFitLogisticSinglePredictor(t *testing.T) {
	// Reuse the round coding: round 0/1 is the binary predictor.
	d, err := RoundConditionDesign(cellObs([]cellCount{{"g", 0, 10, 30}, {"g", 1, 25, 15}}), RoundConditionSpec{})
	if err != nil {
		t.Fatal(err)
	}
	fit, err := FitLogistic(d, LogisticOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkFit(t, fit, []wantCoef{
		{Intercept, -1.0986122886681097, 0.36514837167011074, 0.0026239079320912240},
		{"round", 1.6094379124341004, 0.48989794855663562, 0.0010189142016100822},
	})
	if fit.N != 80 || fit.Iterations < 2 {
		t.Errorf("N %d iterations %d", fit.N, fit.Iterations)
	}
	// Deviance of the saturated 2-cell fit: -2Σ n·[p log p + (1-p) log(1-p)]
	// = -2[10 log .25 + 30 log .75 + 25 log .625 + 15 log .375] = 95.770437...
	wantDev := -2 * (10*math.Log(0.25) + 30*math.Log(0.75) + 25*math.Log(0.625) + 15*math.Log(0.375))
	if !close6(fit.Deviance, wantDev) {
		t.Errorf("deviance %v, want %v", fit.Deviance, wantDev)
	}
}

// The study's model with two rounds and two conditions is saturated, so
// each coefficient is a difference of cell logits and its SE the root of
// the sum of reciprocal counts of the cells involved. Cells (yes/no):
// generic r0 5/45, r1 12/38; personalized r0 8/42, r1 20/30. By hand
// (bc -l, scale=40):
//
//	(Intercept)  log(5/45)                               -2.1972245773362194  SE sqrt(1/5+1/45)          0.47140452079103168
//	round        log(12/38)-log(5/45) = log(54/19)        1.0445450673978339  SE sqrt(+1/12+1/38)        0.57608275883699190
//	condition    log(8/42)-log(5/45)  = log(12/7)         0.53899650073268701 SE sqrt(1/5+1/45+1/8+1/42) 0.60912375264123959
//	interaction  log(20/30)-log(8/42)-log(12/38)+log(5/45) 0.20821790109753407 SE sqrt(all 8)          0.75100878967698967
//
// p-values 3.1465043161059e-6, 0.069803172049533, 0.37622571765807, 0.78158741920185.
func TestFitLogisticSaturatedRoundCondition(t *testing.T) {
	obs := cellObs([]cellCount{{"generic", 0, 5, 45}, {"generic", 1, 12, 38}, {"personalized", 0, 8, 42}, {"personalized", 1, 20, 30}})
	d, err := RoundConditionDesign(obs, RoundConditionSpec{})
	if err != nil {
		t.Fatal(err)
	}
	fit, err := FitLogistic(d, LogisticOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkFit(t, fit, []wantCoef{
		{Intercept, -2.1972245773362194, 0.47140452079103168, 3.1465043161059e-6},
		{"round", 1.0445450673978339, 0.57608275883699190, 0.069803172049533},
		{"condition[personalized]", 0.53899650073268701, 0.60912375264123959, 0.37622571765807},
		{"round:condition[personalized]", 0.20821790109753407, 0.75100878967698967, 0.78158741920185},
	})
}

// Round as a factor over three rounds: saturated 3x2. Cells: generic
// 5/45, 12/38, 20/30; personalized 8/42, 20/30, 30/20 (rounds 0, 1, 2).
//
//	round[2]                     log(20/30)-log(5/45)                    1.7917594692280550 SE sqrt(1/5+1/45+1/20+1/30) 0.55277079839256664
//	round[2]:condition[pers]     log(30/20)-log(8/42)-log(20/30)+log(5/45) 0.27193371548364176 SE 0.73327921878259491, p 0.71075218625396395
func TestFitLogisticRoundFactor(t *testing.T) {
	obs := cellObs([]cellCount{
		{"generic", 0, 5, 45}, {"generic", 1, 12, 38}, {"generic", 2, 20, 30},
		{"pers", 0, 8, 42}, {"pers", 1, 20, 30}, {"pers", 2, 30, 20},
	})
	d, err := RoundConditionDesign(obs, RoundConditionSpec{RoundFactor: true})
	if err != nil {
		t.Fatal(err)
	}
	fit, err := FitLogistic(d, LogisticOptions{})
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	checkFit(t, fit, []wantCoef{
		{Intercept, math.Log(5.0 / 45), math.Sqrt(1.0/5 + 1.0/45), nan},
		{"round[1]", math.Log(12.0/38) - math.Log(5.0/45), math.Sqrt(1.0/5 + 1.0/45 + 1.0/12 + 1.0/38), nan},
		{"round[2]", 1.7917594692280550, 0.55277079839256664, nan},
		{"condition[pers]", math.Log(8.0/42) - math.Log(5.0/45), math.Sqrt(1.0/5 + 1.0/45 + 1.0/8 + 1.0/42), nan},
		{"round[1]:condition[pers]", math.Log(20.0/30) - math.Log(8.0/42) - math.Log(12.0/38) + math.Log(5.0/45),
			math.Sqrt(1.0/5 + 1.0/45 + 1.0/8 + 1.0/42 + 1.0/12 + 1.0/38 + 1.0/20 + 1.0/30), nan},
		{"round[2]:condition[pers]", 0.27193371548364176, 0.73327921878259491, 0.71075218625396395},
	})
}

// A continuous predictor, where no closed form exists: R's
// glm(am ~ wt, family = binomial, data = mtcars) prints (R's datasets
// documentation; Motor Trend 1974 data)
//
//	(Intercept)   12.040   4.510   2.670  0.00759
//	wt            -4.024   1.436  -2.801  0.00509
//	Residual deviance: 19.176 on 30 degrees of freedom
//
// which the fit must match to the printed digits; the SE only to 1e-3,
// since glm.fit takes the QR (hence the SEs) from the weights of its last
// iteration, computed before that iteration's update of the estimate.
// Beyond the printed digits, two
// properties independent of the IRLS code fix the answer: at the maximum
// the score X'(y - μ) vanishes, and the SEs are the square roots of the
// diagonal of the inverse of X'WX, here a 2x2 inverted by hand.
func TestFitLogisticContinuousPredictor(t *testing.T) {
	wt := []float64{2.620, 2.875, 2.320, 3.215, 3.440, 3.460, 3.570, 3.190, 3.150, 3.440, 3.440,
		4.070, 3.730, 3.780, 5.250, 5.424, 5.345, 2.200, 1.615, 1.835, 2.465, 3.520, 3.435, 3.840,
		3.845, 1.935, 2.140, 1.513, 3.170, 2.770, 3.570, 2.780}
	am := []float64{1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0,
		1, 1, 1, 1, 1, 1, 1}
	d := Design{Names: []string{Intercept, "wt"}, Y: am}
	for _, w := range wt {
		d.X = append(d.X, []float64{1, w})
	}
	fit, err := FitLogistic(d, LogisticOptions{})
	if err != nil {
		t.Fatal(err)
	}
	printed := []struct{ est, se, z, p float64 }{{12.040, 4.510, 2.670, 0.00759}, {-4.024, 1.436, -2.801, 0.00509}}
	for j, w := range printed {
		c := fit.Coefficients[j]
		if !closeAbs(c.Estimate, w.est, 5e-4) || !closeAbs(c.SE, w.se, 1e-3) || !closeAbs(c.Z, w.z, 5e-4) || !closeAbs(c.PValue, w.p, 5e-6) {
			t.Errorf("%s = %+v, R prints %+v", c.Name, c, w)
		}
	}
	if !closeAbs(fit.Deviance, 19.176, 5e-4) {
		t.Errorf("deviance %v, R prints 19.176", fit.Deviance)
	}
	b0, b1 := fit.Coefficients[0].Estimate, fit.Coefficients[1].Estimate
	var g0, g1, a00, a01, a11 float64
	for i, w := range wt {
		mu := 1 / (1 + math.Exp(-(b0 + b1*w)))
		g0 += am[i] - mu
		g1 += (am[i] - mu) * w
		v := mu * (1 - mu)
		a00, a01, a11 = a00+v, a01+v*w, a11+v*w*w
	}
	if !closeAbs(g0, 0, 1e-9) || !closeAbs(g1, 0, 1e-9) {
		t.Errorf("score at the estimate = (%g, %g), want 0", g0, g1)
	}
	det := a00*a11 - a01*a01
	if se0, se1 := math.Sqrt(a11/det), math.Sqrt(a00/det); !closeRel(fit.Coefficients[0].SE, se0, 1e-9) || !closeRel(fit.Coefficients[1].SE, se1, 1e-9) {
		t.Errorf("SEs (%v, %v), want (%v, %v)", fit.Coefficients[0].SE, fit.Coefficients[1].SE, se0, se1)
	}
}

func TestFitLogisticFailures(t *testing.T) {
	t.Run("quasi-complete separation", func(t *testing.T) {
		// Round 0 never flips: the round-0 log-odds is -∞.
		d, _ := RoundConditionDesign(cellObs([]cellCount{{"g", 0, 0, 10}, {"g", 1, 5, 5}}), RoundConditionSpec{})
		_, err := FitLogistic(d, LogisticOptions{})
		var fe *FitError
		if !errors.Is(err, ErrSeparation) || !errors.As(err, &fe) {
			t.Fatalf("err = %v, want ErrSeparation", err)
		}
		if fe.Iterations > 100 || fe.Term == "" {
			t.Errorf("FitError %+v", fe)
		}
	})
	t.Run("complete separation", func(t *testing.T) {
		d, _ := RoundConditionDesign(cellObs([]cellCount{{"g", 0, 0, 10}, {"g", 1, 10, 0}}), RoundConditionSpec{})
		if _, err := FitLogistic(d, LogisticOptions{}); !errors.Is(err, ErrSeparation) {
			t.Fatalf("err = %v, want ErrSeparation", err)
		}
	})
	t.Run("all outcomes equal", func(t *testing.T) {
		d, _ := RoundConditionDesign(cellObs([]cellCount{{"g", 0, 0, 10}}), RoundConditionSpec{})
		if _, err := FitLogistic(d, LogisticOptions{}); !errors.Is(err, ErrSeparation) && !errors.Is(err, ErrSingular) {
			t.Fatalf("err = %v, want ErrSeparation or ErrSingular", err)
		}
	})
	t.Run("intercept only, every outcome 1", func(t *testing.T) {
		d := Design{Names: []string{Intercept}, X: [][]float64{{1}, {1}, {1}}, Y: []float64{1, 1, 1}}
		if _, err := FitLogistic(d, LogisticOptions{}); !errors.Is(err, ErrSeparation) {
			t.Fatalf("err = %v, want ErrSeparation", err)
		}
	})
	t.Run("listed condition without rows is singular", func(t *testing.T) {
		obs := cellObs([]cellCount{{"g", 0, 3, 7}, {"g", 1, 5, 5}})
		d, err := RoundConditionDesign(obs, RoundConditionSpec{Conditions: []string{"g", "never"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = FitLogistic(d, LogisticOptions{})
		var fe *FitError
		if !errors.Is(err, ErrSingular) || !errors.As(err, &fe) || fe.Term != "condition[never]" {
			t.Fatalf("err = %v, want ErrSingular naming condition[never]", err)
		}
	})
	t.Run("duplicate column", func(t *testing.T) {
		d := Design{Names: []string{"a", "b"}, X: [][]float64{{1, 1}, {1, 1}, {1, 1}}, Y: []float64{0, 1, 1}}
		if _, err := FitLogistic(d, LogisticOptions{}); !errors.Is(err, ErrSingular) {
			t.Fatalf("err = %v, want ErrSingular", err)
		}
	})
	t.Run("iteration limit", func(t *testing.T) {
		d, _ := RoundConditionDesign(cellObs([]cellCount{{"g", 0, 10, 30}, {"g", 1, 25, 15}}), RoundConditionSpec{})
		if _, err := FitLogistic(d, LogisticOptions{MaxIter: 1}); !errors.Is(err, ErrNotConverged) {
			t.Fatalf("err = %v, want ErrNotConverged", err)
		}
	})
}

func TestFitLogisticInvalidDesign(t *testing.T) {
	tests := []struct {
		name  string
		d     Design
		want  error
		field string
	}{
		{"empty", Design{Names: []string{"a"}}, ErrNoData, ""},
		{"no columns", Design{X: [][]float64{{}}, Y: []float64{1}}, ErrInvalidInput, "Names"},
		{"y length", Design{Names: []string{"a"}, X: [][]float64{{1}}, Y: nil}, ErrInvalidInput, "Y"},
		{"ragged", Design{Names: []string{"a", "b"}, X: [][]float64{{1, 0}, {1}}, Y: []float64{0, 1}}, ErrInvalidInput, "X"},
		{"y not binary", Design{Names: []string{"a"}, X: [][]float64{{1}}, Y: []float64{0.5}}, ErrInvalidInput, "Y"},
		{"NaN predictor", Design{Names: []string{"a"}, X: [][]float64{{math.NaN()}}, Y: []float64{1}}, ErrInvalidInput, "X"},
		{"Inf predictor", Design{Names: []string{"a"}, X: [][]float64{{math.Inf(1)}}, Y: []float64{1}}, ErrInvalidInput, "X"},
		{"cluster length", Design{Names: []string{"a"}, X: [][]float64{{1}}, Y: []float64{1}, Cluster: []string{}}, ErrInvalidInput, "Cluster"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FitLogistic(tt.d, LogisticOptions{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.field != "" && !contains(err.Error(), tt.field) {
				t.Errorf("error %q does not name %s", err, tt.field)
			}
		})
	}
}

func TestRoundConditionDesign(t *testing.T) {
	obs := []Observation{
		{Item: "t1", Condition: "generic", Round: 0},
		{Item: "t1", Condition: "personalized+", Round: 2, Outcome: true},
		{Item: "t2", Condition: "personalized", Round: 1},
	}
	d, err := RoundConditionDesign(obs, RoundConditionSpec{})
	if err != nil {
		t.Fatal(err)
	}
	wantNames := []string{Intercept, "round", "condition[personalized+]", "condition[personalized]",
		"round:condition[personalized+]", "round:condition[personalized]"}
	if fmt.Sprint(d.Names) != fmt.Sprint(wantNames) {
		t.Errorf("names %v, want %v", d.Names, wantNames)
	}
	wantX := [][]float64{{1, 0, 0, 0, 0, 0}, {1, 2, 1, 0, 2, 0}, {1, 1, 0, 1, 0, 1}}
	if fmt.Sprint(d.X) != fmt.Sprint(wantX) || fmt.Sprint(d.Y) != "[0 1 0]" || fmt.Sprint(d.Cluster) != "[t1 t1 t2]" {
		t.Errorf("X %v Y %v Cluster %v", d.X, d.Y, d.Cluster)
	}

	d, err = RoundConditionDesign(obs, RoundConditionSpec{Conditions: []string{"personalized", "generic", "personalized+"}, RoundFactor: true, NoInteraction: true})
	if err != nil {
		t.Fatal(err)
	}
	wantNames = []string{Intercept, "round[1]", "round[2]", "condition[generic]", "condition[personalized+]"}
	wantX = [][]float64{{1, 0, 0, 1, 0}, {1, 0, 1, 0, 1}, {1, 1, 0, 0, 0}}
	if fmt.Sprint(d.Names) != fmt.Sprint(wantNames) || fmt.Sprint(d.X) != fmt.Sprint(wantX) {
		t.Errorf("factor coding: names %v X %v", d.Names, d.X)
	}

	// Factor coding with interactions and three conditions: each
	// condition's interaction block holds one column per round dummy.
	obs3 := []Observation{
		{Item: "a", Condition: "g", Round: 0},
		{Item: "b", Condition: "p", Round: 1},
		{Item: "c", Condition: "q", Round: 2},
	}
	d, err = RoundConditionDesign(obs3, RoundConditionSpec{RoundFactor: true})
	if err != nil {
		t.Fatal(err)
	}
	wantNames = []string{Intercept, "round[1]", "round[2]", "condition[p]", "condition[q]",
		"round[1]:condition[p]", "round[2]:condition[p]", "round[1]:condition[q]", "round[2]:condition[q]"}
	wantX = [][]float64{{1, 0, 0, 0, 0, 0, 0, 0, 0}, {1, 1, 0, 1, 0, 1, 0, 0, 0}, {1, 0, 1, 0, 1, 0, 0, 0, 1}}
	if fmt.Sprint(d.Names) != fmt.Sprint(wantNames) || fmt.Sprint(d.X) != fmt.Sprint(wantX) {
		t.Errorf("factor coding with interactions: names %v X %v", d.Names, d.X)
	}

	if _, err := RoundConditionDesign(nil, RoundConditionSpec{}); !errors.Is(err, ErrNoData) {
		t.Errorf("nil obs: %v", err)
	}
	if _, err := RoundConditionDesign(obs, RoundConditionSpec{Conditions: []string{"generic"}}); !errors.Is(err, ErrInvalidInput) || !contains(err.Error(), "Condition") {
		t.Errorf("unlisted condition: %v", err)
	}
	// An empty, non-nil Conditions is "empty" as documented: first appearance.
	if d, err := RoundConditionDesign(obs, RoundConditionSpec{Conditions: []string{}}); err != nil {
		t.Errorf("empty Conditions: %v, want the order of first appearance", err)
	} else if d0, _ := RoundConditionDesign(obs, RoundConditionSpec{}); !slices.Equal(d.Names, d0.Names) {
		t.Errorf("empty Conditions: names %v, want %v", d.Names, d0.Names)
	}
	if _, err := RoundConditionDesign(obs, RoundConditionSpec{Conditions: []string{"generic", "generic"}}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("duplicate condition: %v", err)
	}
	if _, err := RoundConditionDesign([]Observation{{Round: -1}}, RoundConditionSpec{}); !errors.Is(err, ErrInvalidInput) || !contains(err.Error(), "Round") {
		t.Errorf("negative round: %v", err)
	}
}

// A FitError names the sentinel and the iterations, and the term and the
// detail only when it has them.
func TestFitErrorMessage(t *testing.T) {
	tests := []struct {
		e    FitError
		want string
	}{
		{FitError{Iterations: 3, Err: ErrNotConverged}, "stats: fit did not converge after 3 iterations"},
		{FitError{Iterations: 7, Term: "round", Err: ErrSeparation}, `stats: separation: maximum-likelihood estimate does not exist after 7 iterations, term "round"`},
		{FitError{Iterations: 1, Detail: "pivot 0", Err: ErrSingular}, "stats: singular design matrix after 1 iterations: pivot 0"},
		{FitError{Iterations: 2, Term: "x", Detail: "d", Err: ErrSingular}, `stats: singular design matrix after 2 iterations, term "x": d`},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}
