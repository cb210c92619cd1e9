package stats

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Type-7 quantiles by hand (R: quantile(1:10, c(0, .25, .5, .975, 1))):
// h = 9q; q=.25: h=2.25 → 3 + .25 = 3.25; q=.5: h=4.5 → 5.5;
// q=.975: h=8.775 → 9.775; q=0 → 1; q=1 → 10.
func TestQuantile(t *testing.T) {
	x := []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1} // unsorted on purpose
	orig := slices.Clone(x)
	for _, tt := range []struct{ q, want float64 }{{0, 1}, {0.25, 3.25}, {0.5, 5.5}, {0.975, 9.775}, {1, 10}} {
		if got := Quantile(x, tt.q); !close6(got, tt.want) {
			t.Errorf("Quantile(1..10, %v) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if !slices.Equal(x, orig) {
		t.Error("Quantile modified its input")
	}
	if got := Quantile([]float64{4}, 0.3); got != 4 {
		t.Errorf("single value: %v", got)
	}
	for _, c := range []struct {
		x []float64
		q float64
	}{{nil, 0.5}, {[]float64{1}, -0.1}, {[]float64{1}, 1.1}, {[]float64{1, math.NaN()}, 0.5}, {[]float64{1}, math.NaN()}} {
		if got := Quantile(c.x, c.q); !math.IsNaN(got) {
			t.Errorf("Quantile(%v, %v) = %v, want NaN", c.x, c.q, got)
		}
	}
}

// Infinite values (a log odds ratio with an empty cell, say) follow R's
// quantile(type = 7), which returns x₍⌊h⌋₎ when h is whole or the two order
// statistics are equal and otherwise (1-f)·x₍⌊h⌋₎ + f·x₍⌊h⌋+1₎:
// quantile(c(1, Inf), 0) = 1, quantile(c(-Inf, 1), .5) = -Inf,
// quantile(c(Inf, Inf), .5) = Inf, quantile(c(-1e308, 1e308), .5) = 0,
// quantile(c(-Inf, Inf), .5) = NaN (0.5·-Inf + 0.5·Inf).
func TestQuantileInfinite(t *testing.T) {
	inf := math.Inf(1)
	for _, tt := range []struct {
		x    []float64
		q    float64
		want float64
	}{
		{[]float64{1, inf}, 0, 1},
		{[]float64{1, inf}, 0.5, inf},
		{[]float64{1, inf}, 1, inf},
		{[]float64{-inf, 1}, 0.5, -inf},
		{[]float64{-inf, 1}, 1, 1},
		{[]float64{inf, inf}, 0.5, inf},
		{[]float64{-inf, -inf, 2}, 0.25, -inf},
		{[]float64{-1e308, 1e308}, 0.5, 0},
		{[]float64{-inf, inf}, 0, -inf},
		{[]float64{-inf, inf}, 1, inf},
		{[]float64{-inf, inf}, 0.5, math.NaN()},
	} {
		if got := Quantile(tt.x, tt.q); got != tt.want && !(math.IsNaN(got) && math.IsNaN(tt.want)) {
			t.Errorf("Quantile(%v, %v) = %v, want %v", tt.x, tt.q, got, tt.want)
		}
	}
	r := &BootstrapResult{Replicates: [][]float64{{1}, {2}, {inf}}}
	if got := r.Percentile(0.5)[0]; got != (Interval{1.5, inf}) {
		t.Errorf("Percentile with an infinite replicate = %v, want [1.5, +Inf]", got)
	}
}

func seeded() *rand.Rand { return rand.New(rand.NewPCG(20260227, 4)) }

func meanStat(values []float64) func([]int) ([]float64, error) {
	return func(s []int) ([]float64, error) {
		sum := 0.0
		for _, i := range s {
			sum += values[i]
		}
		return []float64{sum / float64(len(s))}, nil
	}
}

func TestBootstrapDeterministicAndValid(t *testing.T) {
	values := []float64{3, 1, 4, 1, 5, 9, 2, 6}
	a, err := Bootstrap(context.Background(), len(values), 200, seeded(), meanStat(values))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Bootstrap(context.Background(), len(values), 200, seeded(), meanStat(values))
	if fmt.Sprint(a.Replicates) != fmt.Sprint(b.Replicates) {
		t.Error("same seed gave different replicates")
	}
	c, _ := Bootstrap(context.Background(), len(values), 200, rand.New(rand.NewPCG(1, 1)), meanStat(values))
	if fmt.Sprint(a.Replicates) == fmt.Sprint(c.Replicates) {
		t.Error("different seeds gave identical replicates")
	}
	if len(a.Replicates) != 200 || a.Failed != 0 {
		t.Errorf("replicates %d failed %d", len(a.Replicates), a.Failed)
	}
	// Every replicate mean lies between the smallest and largest value.
	for _, r := range a.Replicates {
		if r[0] < 1 || r[0] > 9 {
			t.Fatalf("replicate mean %v outside [1, 9]", r[0])
		}
	}
}

// One unit: every resample is the unit itself, so the interval is the
// point. Two units {0, 1}: a resampled mean is 0, 1/2 or 1 with
// probabilities 1/4, 1/2, 1/4, so with 4000 replicates the 2.5% and
// 97.5% percentiles are 0 and 1 (each extreme holds about 25% of the mass).
func TestBootstrapExactDistributions(t *testing.T) {
	r, err := Bootstrap(context.Background(), 1, 50, seeded(), meanStat([]float64{7}))
	if err != nil {
		t.Fatal(err)
	}
	if ci := r.Percentile(0.95)[0]; ci != (Interval{7, 7}) {
		t.Errorf("single unit: %+v", ci)
	}
	r, _ = Bootstrap(context.Background(), 2, 4000, seeded(), meanStat([]float64{0, 1}))
	if ci := r.Percentile(0.95)[0]; ci != (Interval{0, 1}) {
		t.Errorf("two units: %+v", ci)
	}
	if ci := r.Percentile(0.3)[0]; ci != (Interval{0.5, 0.5}) {
		t.Errorf("two units, 30%% interval: %+v, want the middle atom", ci)
	}
	for _, level := range []float64{0, 1, -0.5, 1.5, math.NaN()} {
		if ci := r.Percentile(level)[0]; !math.IsNaN(ci.Lo) || !math.IsNaN(ci.Hi) {
			t.Errorf("level %v: %+v, want a NaN interval", level, ci)
		}
	}
}

// Two clusters are enough for a cluster bootstrap. Each holds one success
// and one failure, so every resample has the rate 1/2: log-odds 0, every
// refit succeeds and the interval is the point 0.
func TestClusterBootstrapTwoClusters(t *testing.T) {
	d := Design{Names: []string{Intercept}, X: [][]float64{{1}, {1}, {1}, {1}}, Y: []float64{1, 0, 1, 0}, Cluster: []string{"a", "a", "b", "b"}}
	res, err := ClusterBootstrap(context.Background(), d, 20, DefaultLevel, seeded())
	if err != nil {
		t.Fatal(err)
	}
	if res.Clusters != 2 || res.Failed != 0 || len(res.CI) != 1 || !closeAbs(res.CI[0].Lo, 0, 1e-9) || !closeAbs(res.CI[0].Hi, 0, 1e-9) {
		t.Errorf("clusters %d failed %d CI %v, want 2, 0 and [0, 0]", res.Clusters, res.Failed, res.CI)
	}
}

// Documented tolerance: for the mean of 300 Bernoulli values with 90 ones,
// the percentile bootstrap interval approximates the Wald interval
// 0.3 ± 1.959964·sqrt(0.3·0.7/300) = [0.24814, 0.35186]. With 2000
// replicates the Monte Carlo SE of a 2.5% quantile is about 0.002 and the
// sample mean moves in steps of 1/300, so each bound must be within 0.01.
func TestBootstrapPercentileTolerance(t *testing.T) {
	values := make([]float64, 300)
	for i := range 90 {
		values[i] = 1
	}
	r, err := Bootstrap(context.Background(), len(values), 2000, seeded(), meanStat(values))
	if err != nil {
		t.Fatal(err)
	}
	ci := r.Percentile(0.95)[0]
	h := 1.959963984540054 * math.Sqrt(0.3*0.7/300)
	if !closeAbs(ci.Lo, 0.3-h, 0.01) || !closeAbs(ci.Hi, 0.3+h, 0.01) {
		t.Errorf("bootstrap %+v, Wald [%v, %v]", ci, 0.3-h, 0.3+h)
	}
}

func TestBootstrapErrors(t *testing.T) {
	ctx := context.Background()
	ok := meanStat([]float64{1, 2})
	tests := []struct {
		name  string
		n     int
		reps  int
		rng   *rand.Rand
		stat  func([]int) ([]float64, error)
		field string
	}{
		{"no units", 0, 10, seeded(), ok, "n"},
		{"no reps", 2, 0, seeded(), ok, "reps"},
		{"nil rng", 2, 10, nil, ok, "rng"},
		{"nil stat", 2, 10, seeded(), nil, "stat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Bootstrap(ctx, tt.n, tt.reps, tt.rng, tt.stat)
			if !errors.Is(err, ErrInvalidInput) || !contains(err.Error(), tt.field) {
				t.Errorf("err = %v, want ErrInvalidInput naming %s", err, tt.field)
			}
		})
	}
	t.Run("ragged replicates", func(t *testing.T) {
		calls := 0
		_, err := Bootstrap(ctx, 2, 5, seeded(), func([]int) ([]float64, error) {
			calls++
			return make([]float64, calls), nil
		})
		if !errors.Is(err, ErrInvalidInput) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("all fail", func(t *testing.T) {
		boom := errors.New("boom")
		_, err := Bootstrap(ctx, 2, 5, seeded(), func([]int) ([]float64, error) { return nil, boom })
		if !errors.Is(err, boom) {
			t.Errorf("err = %v, want to wrap boom", err)
		}
	})
	t.Run("some fail", func(t *testing.T) {
		i := 0
		r, err := Bootstrap(ctx, 2, 10, seeded(), func([]int) ([]float64, error) {
			i++
			if i%2 == 0 {
				return nil, ErrSeparation
			}
			return []float64{1}, nil
		})
		if err != nil || r.Failed != 5 || len(r.Replicates) != 5 {
			t.Errorf("r = %+v, err = %v", r, err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := Bootstrap(cctx, 2, 10, seeded(), ok); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
	})
}

// A design of one row without clusters has one cluster: an error, not a
// panic on the missing Cluster slice.
func TestClusterBootstrapOneUnclusteredRow(t *testing.T) {
	d := Design{Names: []string{Intercept}, X: [][]float64{{1}}, Y: []float64{1}}
	_, err := ClusterBootstrap(context.Background(), d, 10, DefaultLevel, seeded())
	if !errors.Is(err, ErrInvalidInput) || !contains(err.Error(), "Cluster") {
		t.Errorf("err = %v, want ErrInvalidInput naming Cluster", err)
	}
}

// With every row its own cluster the cluster bootstrap is the ordinary
// case bootstrap, whose percentile intervals approximate the Wald
// intervals when the rates are not extreme (at a rate of 10% the sampling
// distribution of a log-odds is visibly skewed and the two intervals
// rightly differ). Data: a saturated 2x2, 800 rows, cell rates 0.4 to 0.6.
// Documented tolerance: each bound within 0.3 SE of the Wald bound (1500
// replicates; the Monte Carlo error of a 2.5% quantile is about
// sqrt(.025·.975/1500)/φ(1.96) = 0.07 SE, so 0.3 SE is above 4 Monte Carlo
// SDs, and the remaining small skew of the log-odds adds to it).
func TestClusterBootstrapMatchesWaldForIndependentRows(t *testing.T) {
	obs := cellObs([]cellCount{{"generic", 0, 80, 120}, {"generic", 1, 100, 100}, {"personalized", 0, 90, 110}, {"personalized", 1, 120, 80}})
	d, err := RoundConditionDesign(obs, RoundConditionSpec{})
	if err != nil {
		t.Fatal(err)
	}
	fit, err := FitLogistic(d, LogisticOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ClusterBootstrap(context.Background(), d, 1500, 0.95, seeded())
	if err != nil {
		t.Fatal(err)
	}
	if res.Clusters != 800 || len(res.CI) != 4 || res.Failed != 0 {
		t.Fatalf("clusters %d CIs %d failed %d", res.Clusters, len(res.CI), res.Failed)
	}
	for j, c := range fit.Coefficients {
		ci := res.CI[j]
		if !closeAbs(ci.Lo, c.CI.Lo, 0.3*c.SE) || !closeAbs(ci.Hi, c.CI.Hi, 0.3*c.SE) {
			t.Errorf("%s: bootstrap %+v, Wald %+v (SE %v)", c.Name, ci, c.CI, c.SE)
		}
	}
}

// Clustering matters: if every item contributes four identical rows, the
// information is that of the items, not the rows. The cluster bootstrap
// interval is then about twice (sqrt 4) as wide as the naive Wald interval
// on the replicated rows, i.e. as wide as the Wald interval on one row per
// item. Documented tolerance: width within 15% of the per-item Wald width.
func TestClusterBootstrapWidensForCorrelatedRows(t *testing.T) {
	base := cellObs([]cellCount{{"g", 0, 30, 70}, {"g", 1, 55, 45}})
	var rep []Observation
	for _, o := range base {
		for range 4 {
			rep = append(rep, o) // same Item: one cluster of four copies
		}
	}
	dBase, _ := RoundConditionDesign(base, RoundConditionSpec{})
	dRep, _ := RoundConditionDesign(rep, RoundConditionSpec{})
	fitBase, err := FitLogistic(dBase, LogisticOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fitRep, err := FitLogistic(dRep, LogisticOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ClusterBootstrap(context.Background(), dRep, 1000, 0.95, seeded())
	if err != nil {
		t.Fatal(err)
	}
	for j := range fitRep.Coefficients {
		naive, perItem, boot := fitRep.Coefficients[j].CI.Width(), fitBase.Coefficients[j].CI.Width(), res.CI[j].Width()
		if !close6(naive*2, perItem) {
			t.Errorf("naive width %v is not half the per-item width %v", naive, perItem)
		}
		if !closeAbs(boot, perItem, 0.15*perItem) {
			t.Errorf("%s: cluster bootstrap width %v, per-item Wald width %v", fitRep.Coefficients[j].Name, boot, perItem)
		}
	}
}

// Resamples that separate are counted and left out, not fatal.
func TestClusterBootstrapCountsFailedFits(t *testing.T) {
	// Round 1 has a single success: resamples without it separate.
	d, _ := RoundConditionDesign(cellObs([]cellCount{{"g", 0, 5, 5}, {"g", 1, 1, 9}}), RoundConditionSpec{})
	res, err := ClusterBootstrap(context.Background(), d, 300, 0.95, seeded())
	if err != nil {
		t.Fatal(err)
	}
	// P(the one success is not drawn in 20 draws) = (19/20)^20 = 0.358.
	if res.Failed < 60 || res.Failed > 160 || res.Failed+len(res.Replicates) != 300 {
		t.Errorf("failed %d of 300, expected about 107", res.Failed)
	}
	for _, level := range []float64{0, 1, 1.5, -0.5, math.NaN()} {
		if _, err := ClusterBootstrap(context.Background(), d, 10, level, seeded()); !errors.Is(err, ErrInvalidInput) || !contains(err.Error(), "level") {
			t.Errorf("level %v: err = %v, want ErrInvalidInput naming level", level, err)
		}
	}
	one := cellObs([]cellCount{{"g", 0, 5, 5}, {"g", 1, 3, 7}})
	for i := range one {
		one[i].Item = ""
	}
	d1, _ := RoundConditionDesign(one, RoundConditionSpec{})
	if _, err := ClusterBootstrap(context.Background(), d1, 10, 0.95, seeded()); !errors.Is(err, ErrInvalidInput) || !contains(err.Error(), "Cluster") {
		t.Errorf("single cluster: %v", err)
	}
	if _, err := ClusterBootstrap(context.Background(), Design{}, 10, 0.95, seeded()); !errors.Is(err, ErrNoData) {
		t.Errorf("empty design: %v", err)
	}
}

// TestClusterBootstrapFailuresWiden checks that the cluster bootstrap's
// intervals count a failed refit as lying beyond both ends: a few failures
// widen the interval by as many order statistics, and more than
// (1-level)/2 of the replicates leave it unbounded, while Percentile stays
// the interval conditional on the fit existing.
func TestClusterBootstrapFailuresWiden(t *testing.T) {
	// Round 1 has a single success: resamples without it separate (about
	// 36% of them), so the data cannot bound the round's coefficient.
	d, _ := RoundConditionDesign(cellObs([]cellCount{{"g", 0, 5, 5}, {"g", 1, 1, 9}}), RoundConditionSpec{})
	res, err := ClusterBootstrap(context.Background(), d, 300, 0.95, seeded())
	if err != nil {
		t.Fatal(err)
	}
	for i, ci := range res.CI {
		if !math.IsInf(ci.Lo, -1) || !math.IsInf(ci.Hi, 1) {
			t.Errorf("%s: %v with %d of 300 refits failed, want unbounded", res.Names[i], ci, res.Failed)
		}
	}
	for i, ci := range res.Percentile(0.95) {
		if math.IsInf(ci.Lo, 0) || math.IsInf(ci.Hi, 0) || !ci.Valid() {
			t.Errorf("%s: conditional interval %v, want finite", res.Names[i], ci)
		}
	}

	// By hand: 37 values 1..37 and 2 failures at level 0.9. Lower bound:
	// type-7 quantile 0.05 of [-Inf, -Inf, 1, ..., 37] (39 values):
	// h = 38 x 0.05 = 1.9, between -Inf and 1: -Inf. Upper: quantile 0.95
	// of [1, ..., 37, +Inf, +Inf]: h = 36.1, between 37 and +Inf: +Inf.
	// With 1 failure: lower h = 37 x 0.05 = 1.85 in [-Inf, 1, 2, ...]:
	// between 1 and 2, 1.85; upper h = 35.15 in [1, ..., 37, +Inf]:
	// between 36 and 37, 36.15. Without: h = 1.8 and 34.2: 2.8 and 35.2.
	var r BootstrapResult
	for v := 1; v <= 37; v++ {
		r.Replicates = append(r.Replicates, []float64{float64(v)})
	}
	for _, c := range []struct {
		outside int
		want    Interval
	}{
		{0, Interval{2.8, 35.2}},
		{1, Interval{1.85, 36.15}},
		{2, Interval{math.Inf(-1), math.Inf(1)}},
	} {
		got := r.percentile(0.9, c.outside)[0]
		if !closeAbs(got.Lo, c.want.Lo, 1e-9) && got.Lo != c.want.Lo || !closeAbs(got.Hi, c.want.Hi, 1e-9) && got.Hi != c.want.Hi {
			t.Errorf("%d outside: %v, want %v", c.outside, got, c.want)
		}
	}
}

// When every refit fails (here the data itself separates, so every
// resample of it does), every interval is unbounded, as the rule for some
// failures gives at its limit, rather than an error that left a report
// with no interval and no count of the failures.
func TestClusterBootstrapAllFail(t *testing.T) {
	// No success in round 1 at all: the round's coefficient runs off.
	d, err := RoundConditionDesign(cellObs([]cellCount{{"g", 0, 5, 5}, {"g", 1, 0, 10}}), RoundConditionSpec{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ClusterBootstrap(context.Background(), d, 50, 0.95, seeded())
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 50 || len(res.Replicates) != 0 || len(res.CI) != len(d.Names) {
		t.Fatalf("failed %d, replicates %d, CIs %d of %d names", res.Failed, len(res.Replicates), len(res.CI), len(d.Names))
	}
	for i, ci := range res.CI {
		if !math.IsInf(ci.Lo, -1) || !math.IsInf(ci.Hi, 1) {
			t.Errorf("%s: %v, want unbounded", res.Names[i], ci)
		}
	}
}
