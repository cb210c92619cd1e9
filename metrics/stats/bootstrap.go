package stats

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// BootstrapResult holds the replicates of a bootstrap.
type BootstrapResult struct {
	// Replicates holds the statistic of every successful replicate, in
	// the order drawn; each has the same length.
	Replicates [][]float64 `json:"replicates"`
	// Failed counts replicates whose statistic returned an error (for a
	// logistic fit, typically separation in a small resample). They are
	// left out, so the intervals are conditional on the statistic
	// existing; report Failed beside them.
	Failed int `json:"failed"`
}

// Bootstrap runs a nonparametric bootstrap: reps times it draws n unit
// indices uniformly with replacement from [0, n) using rng and evaluates
// stat on them. Units are whatever the caller resamples: observations, or
// clusters (items) for a cluster bootstrap as in [ClusterBootstrap].
//
// The draws depend only on rng, so a generator seeded with a fixed seed,
// e.g. rand.New(rand.NewPCG(1, 2)), gives the same result on every run and
// platform. stat must not keep the sample slice, which is reused. Bootstrap
// runs in the calling goroutine and checks ctx between replicates.
//
// It returns an error wrapping [ErrInvalidInput] for n <= 0, reps <= 0, a
// nil rng or stat, or replicates of different lengths; ctx.Err() when
// cancelled; and an error wrapping the first failure when every replicate
// failed.
func Bootstrap(ctx context.Context, n, reps int, rng *rand.Rand, stat func(sample []int) ([]float64, error)) (*BootstrapResult, error) {
	switch {
	case n <= 0:
		return nil, invalidf("n", "%d units", n)
	case reps <= 0:
		return nil, invalidf("reps", "%d replicates", reps)
	case rng == nil:
		return nil, invalidf("rng", "nil; seed one, e.g. rand.New(rand.NewPCG(1, 2))")
	case stat == nil:
		return nil, invalidf("stat", "nil")
	}
	res := &BootstrapResult{Replicates: make([][]float64, 0, reps)}
	sample := make([]int, n)
	var firstErr error
	for range reps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i := range sample {
			sample[i] = rng.IntN(n)
		}
		v, err := stat(sample)
		if err != nil {
			res.Failed++
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if len(res.Replicates) > 0 && len(v) != len(res.Replicates[0]) {
			return nil, invalidf("stat", "replicate returned %d values, earlier ones %d", len(v), len(res.Replicates[0]))
		}
		res.Replicates = append(res.Replicates, slices.Clone(v))
	}
	if len(res.Replicates) == 0 {
		return nil, fmt.Errorf("stats: all %d bootstrap replicates failed: %w", reps, firstErr)
	}
	return res, nil
}

// Percentile returns the percentile bootstrap interval of each component
// of the statistic at the given level: the (1-level)/2 and (1+level)/2
// quantiles ([Quantile]) of the replicates. NaN replicate values are left
// out; a component with none left, or a level outside (0, 1), gives a NaN
// interval.
func (r *BootstrapResult) Percentile(level float64) []Interval { return r.percentile(level, 0) }

// percentile is [BootstrapResult.Percentile] with outside more replicates
// counted beyond both ends of every component: at -Inf for the lower
// bound and at +Inf for the upper, the worst case of replicates whose
// value is not known.
func (r *BootstrapResult) percentile(level float64, outside int) []Interval {
	if len(r.Replicates) == 0 {
		return nil
	}
	out := make([]Interval, len(r.Replicates[0]))
	// buf is [outside × -Inf, the sorted values, outside × +Inf]: the
	// lower bound reads its first part, the upper its last.
	buf := make([]float64, 0, len(r.Replicates)+2*outside)
	for j := range out {
		buf = buf[:0]
		for range outside {
			buf = append(buf, math.Inf(-1))
		}
		for _, rep := range r.Replicates {
			if !math.IsNaN(rep[j]) {
				buf = append(buf, rep[j])
			}
		}
		n := len(buf) - outside
		if !(level > 0 && level < 1) || n == 0 {
			out[j] = nanInterval
			continue
		}
		slices.Sort(buf[outside:])
		for range outside {
			buf = append(buf, math.Inf(1))
		}
		out[j] = Interval{quantileSorted(buf[:outside+n], (1-level)/2), quantileSorted(buf[outside:], (1+level)/2)}
	}
	return out
}

// Quantile returns the q-quantile of x by linear interpolation between
// order statistics: with h = (len(x)-1)·q, x₍⌊h⌋₎ + (h-⌊h⌋)(x₍⌊h⌋+1₎ - x₍⌊h⌋₎)
// (Hyndman & Fan 1996 definition 7, R's and NumPy's default). x is not
// modified. Infinite values are allowed and give the limit, as in R:
// the quantile is ±Inf only when an interpolated order statistic is, and
// NaN when it falls strictly between -Inf and +Inf (R's NaN too). It also
// returns NaN for empty x, a NaN in x, or q outside [0, 1].
func Quantile(x []float64, q float64) float64 {
	if len(x) == 0 || !(q >= 0 && q <= 1) || slices.ContainsFunc(x, math.IsNaN) {
		return math.NaN()
	}
	s := slices.Clone(x)
	slices.Sort(s)
	return quantileSorted(s, q)
}

// quantileSorted is the type-7 quantile of sorted s. Like R's quantile it
// returns the order statistic itself when no interpolation is needed, and
// interpolates as (1-f)·a + f·b when b - a overflows, so infinite values
// (and finite ones whose difference is infinite) give the limit, not NaN.
func quantileSorted(s []float64, q float64) float64 {
	h := float64(len(s)-1) * q
	lo := int(math.Floor(h))
	if lo >= len(s)-1 {
		return s[len(s)-1]
	}
	a, b, f := s[lo], s[lo+1], h-float64(lo)
	if f == 0 || a == b {
		return a
	}
	if d := b - a; !math.IsInf(d, 0) {
		return a + f*d
	}
	return (1-f)*a + f*b
}

// ClusterBootstrapResult is the outcome of [ClusterBootstrap].
type ClusterBootstrapResult struct {
	Names    []string   `json:"names"`    // coefficient names, as in the design
	CI       []Interval `json:"ci"`       // percentile interval of each coefficient, failed replicates counted beyond both ends
	Clusters int        `json:"clusters"` // number of clusters resampled
	BootstrapResult
}

// ClusterBootstrap computes percentile intervals for the coefficients of
// the logistic regression of d by resampling whole clusters (d.Cluster,
// the items) with replacement and refitting, reps times. Resampling
// clusters keeps the correlation of a conversation's rounds (and of the
// conditions sharing a topic) inside each replicate, which the Wald SEs of
// [FitLogistic] ignore: it is the no-random-effect counterpart of the
// study's random intercept per topic. Rows with a nil d.Cluster are their
// own clusters.
//
// Replicates whose fit fails (separation or a singular design in a
// resample) are counted in Failed. A failed replicate has no estimate
// (under separation a coefficient runs off to infinity), so the intervals
// count each one as lying beyond both ends, the worst case: a few
// failures widen the intervals a little instead of narrowing them
// unseen, and when they are (1-level)/2 of the replicates or more the
// bounds are infinite, since the data cannot bound the coefficients at
// that level; so are they when every refit fails (Replicates is then
// empty and Failed is reps). (Replicates holds the successful ones; their
// [BootstrapResult.Percentile] is the interval conditional on the fit
// existing.) The result depends only on
// the design, reps, level and the state of rng. Errors are those of
// [Bootstrap] (but for every refit failing, above) and of the design's
// validation, and an error wrapping
// [ErrInvalidInput] when all rows share one cluster (typically
// Observation.Item left empty), where every replicate would repeat the
// data and the intervals would have zero width.
func ClusterBootstrap(ctx context.Context, d Design, reps int, level float64, rng *rand.Rand) (*ClusterBootstrapResult, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	if !(level > 0 && level < 1) {
		return nil, invalidf("level", "%v is not in (0, 1)", level)
	}
	// Rows of each cluster, clusters in order of first appearance.
	var groups [][]int
	if d.Cluster == nil {
		groups = make([][]int, len(d.X))
		for i := range groups {
			groups[i] = []int{i}
		}
	} else {
		index := map[string]int{}
		for i, c := range d.Cluster {
			g, ok := index[c]
			if !ok {
				g = len(groups)
				index[c] = g
				groups = append(groups, nil)
			}
			groups[g] = append(groups[g], i)
		}
	}
	if len(groups) < 2 {
		// Every replicate would be the data itself: zero-width intervals
		// that look precise. Usually Observation.Item was left empty.
		if d.Cluster == nil { // a single row
			return nil, invalidf("Cluster", "1 row is 1 cluster; the cluster bootstrap needs at least 2")
		}
		return nil, invalidf("Cluster", "all %d rows are in one cluster %q; the cluster bootstrap needs at least 2 (set Observation.Item)", len(d.X), d.Cluster[0])
	}
	var rd Design
	rd.Names = d.Names
	stat := func(sample []int) ([]float64, error) {
		rd.X, rd.Y = rd.X[:0], rd.Y[:0]
		for _, g := range sample {
			for _, i := range groups[g] {
				rd.X = append(rd.X, d.X[i])
				rd.Y = append(rd.Y, d.Y[i])
			}
		}
		fit, err := FitLogistic(rd, LogisticOptions{})
		if err != nil {
			return nil, err
		}
		return fit.Estimates(), nil
	}
	b, err := Bootstrap(ctx, len(groups), reps, rng, stat)
	if fe := (*FitError)(nil); err != nil && errors.As(err, &fe) && ctx.Err() == nil {
		// Every refit failed: by the rule above, no coefficient is
		// bounded at any level.
		ci := make([]Interval, len(d.Names))
		for i := range ci {
			ci[i] = Interval{math.Inf(-1), math.Inf(1)}
		}
		return &ClusterBootstrapResult{Names: d.Names, CI: ci, Clusters: len(groups), BootstrapResult: BootstrapResult{Failed: reps}}, nil
	}
	if err != nil {
		return nil, err
	}
	return &ClusterBootstrapResult{Names: d.Names, CI: b.percentile(level, b.Failed), Clusters: len(groups), BootstrapResult: *b}, nil
}
