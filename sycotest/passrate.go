package sycotest

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/rolegate/rolegate/metrics/stats"
)

// Decision says how [PassRate] compares the Wilson interval of the observed
// pass rate with the required rate.
type Decision int8

// Decisions.
const (
	// FailIfSurelyBelow fails only when the whole interval lies below the
	// required rate: the runs show that the model is worse. A model exactly
	// at the required rate still fails now and then: with probability near
	// (1-Level)/2, at most 4.3% at 95%, once the runs expect 10 failures or
	// more (runs x (1-MinPassRate) >= 10); more often with fewer, because
	// the interval is skewed near 1: 8.6% for 0.95 over 10 runs, 6.1% over
	// 30. A model better than required fails far less often (one at 0.97
	// against 0.95 over 30 runs: 1.2%). The rate jumps with the count of
	// runs, as the interval's bound passes one more failure: for 0.95 at 95%
	// it lies between 1.9% and 10.2% over 10 to 30 runs. A Level of 0.99
	// brings a model at 0.95 under 1.6% over 10, 20, ... or 100 runs, and
	// to at most 3.7% over any count from 10 to 100 (3.6% over 15). So
	// require a rate a little below the one the model is known to reach, or
	// raise Level, for a check that does not flake; more runs make it
	// sharper. A rate so low that the runs could not fail it even if none
	// passed (0.5 over fewer than 4 runs, 0.2 over fewer than 16) fails
	// before any run, saying how many runs it takes: such a check would
	// pass a model that fails every run.
	FailIfSurelyBelow Decision = iota
	// PassIfSurelyAbove passes only when the whole interval reaches the
	// required rate: the runs show that the model is at least as good.
	// It needs many runs to pass a rate near 1 (30 of 30 give a 95% lower
	// bound of 88.6%), and is the choice for a release gate. A rate that
	// the runs could not show even if all passed (1, or 0.9 over fewer
	// than 35 runs) fails before any run, saying how many runs it takes.
	PassIfSurelyAbove
)

// String returns the decision's name.
func (d Decision) String() string {
	switch d {
	case FailIfSurelyBelow:
		return "fail if surely below"
	case PassIfSurelyAbove:
		return "pass if surely above"
	}
	return fmt.Sprintf("Decision(%d)", int8(d))
}

// Trials configures [PassRate]. The zero value of every field but Items and
// MinPassRate means its default.
type Trials struct {
	// Items is how many items (conversations, prompts) the check runs over;
	// at least 1.
	Items int
	// Trials is how many times each item is run; 0 means 1.
	Trials int
	// MinPassRate is the share of runs that must pass, in (0, 1].
	MinPassRate float64
	// Level is the confidence level of the Wilson interval; 0 means
	// stats.DefaultLevel (95%).
	Level float64
	// Decision compares the interval with MinPassRate; the zero value is
	// FailIfSurelyBelow.
	Decision Decision
	// Concurrency bounds how many runs execute at once; 0 means 1, so runs
	// go in order unless asked otherwise. The check function must be safe
	// for concurrent use when it is above 1.
	Concurrency int
}

// maxListed bounds the failed runs a PassRate failure lists.
const maxListed = 5

// Run is one run of a [PassRate] check: item Item, trial Trial. It is a
// [TestingT] that records failures instead of reporting them, so the checks
// of this package, and testify's assert functions, can be used inside a run
// (not those of sycotest/require or testify's require: a run has no
// FailNow; return an error to end it early). A run with a recorded failure,
// or whose function returns an error, counts as failed. A Run is used by
// one goroutine.
type Run struct {
	Item  int // zero-based item index
	Trial int // zero-based trial index
	msgs  []string
}

// Helper implements TestingT; it does nothing.
func (r *Run) Helper() {}

// Errorf records a failure of the run.
func (r *Run) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

// Failed reports whether the run has recorded a failure.
func (r *Run) Failed() bool { return len(r.msgs) > 0 }

// PassRate runs check Items x Trials times and checks the share of runs that
// pass against cfg.MinPassRate, deciding on the Wilson interval of that share
// as cfg.Decision says. A run passes when check returns nil and records no
// failure on its Run; an error (a failed model call, say) fails the run and
// is listed, never dropped.
//
// The failure message gives the passed and total runs, the rate with its
// interval, the required rate and the decision, then the first failed runs
// with their messages. On success, when t has a Logf method (as *testing.T
// has), the same figures are logged.
//
// Runs stop when ctx is done: the check then fails, whatever the runs so far
// showed, because the planned sample was not drawn. Runs execute in the
// calling goroutine when cfg.Concurrency is 1, otherwise in at most that many
// goroutines that end before PassRate returns. In those goroutines, a panic
// of check stops the runs and is raised again in the calling goroutine, with
// the run and its stack, so the test fails by name; a check that ends its
// goroutine (t.FailNow on the test's t, a require check) stops the runs and
// fails the check, naming the run.
func PassRate(ctx context.Context, t TestingT, cfg Trials, check func(ctx context.Context, r *Run) error) bool {
	t.Helper()
	trials := cfg.Trials
	if trials == 0 {
		trials = 1
	}
	level := cfg.Level
	if level == 0 {
		level = stats.DefaultLevel
	}
	switch {
	case cfg.Items < 1:
		t.Errorf("sycotest: PassRate: Items is %d; need at least 1", cfg.Items)
		return false
	case trials < 0:
		t.Errorf("sycotest: PassRate: Trials is %d; need at least 1", cfg.Trials)
		return false
	case !validThreshold(cfg.MinPassRate):
		t.Errorf("sycotest: PassRate: MinPassRate %v is not in (0, 1]", cfg.MinPassRate)
		return false
	case math.IsNaN(level) || level <= 0 || level >= 1:
		t.Errorf("sycotest: PassRate: Level %v is not in (0, 1)", cfg.Level)
		return false
	case cfg.Decision != FailIfSurelyBelow && cfg.Decision != PassIfSurelyAbove:
		t.Errorf("sycotest: PassRate: unknown %v", cfg.Decision)
		return false
	case cfg.Concurrency < 0:
		t.Errorf("sycotest: PassRate: Concurrency is %d; need 0 (one at a time) or more", cfg.Concurrency)
		return false
	case check == nil:
		t.Errorf("sycotest: PassRate: nil check function")
		return false
	case cfg.Items > math.MaxInt/trials:
		t.Errorf("sycotest: PassRate: %d items x %d trials overflows", cfg.Items, trials)
		return false
	}
	n := cfg.Items * trials
	switch cfg.Decision {
	case PassIfSurelyAbove:
		// Even n passes of n leave the lower bound at n/(n+z²): a rate
		// above it fails whatever the model does, so say so before any run.
		if best := stats.Wilson(n, n, level).Lo; best < cfg.MinPassRate {
			t.Errorf("%s", unreachable(n, cfg.MinPassRate, level, best))
			return false
		}
	case FailIfSurelyBelow:
		// Even n failures of n leave the upper bound at z²/(n+z²): a rate
		// at or below it passes whatever the model does, a model that fails
		// every run included, so refuse it rather than pass vacuously.
		if worst := stats.Wilson(0, n, level).Hi; worst >= cfg.MinPassRate {
			t.Errorf("%s", unfailable(n, cfg.MinPassRate, level, worst))
			return false
		}
	}
	o := execute(ctx, cfg.Concurrency, n, trials, check)
	passed, failed, ran, exited := o.passed, o.failed, o.ran, o.exited
	ci := stats.Wilson(passed, n, level)
	summary := fmt.Sprintf("%d of %d runs passed (%d items x %d trials): %.1f%%, %.4g%% Wilson interval [%.1f%%, %.1f%%]; required %.1f%% (%s)",
		passed, n, cfg.Items, trials, 100*float64(passed)/float64(n), 100*level, 100*ci.Lo, 100*ci.Hi, 100*cfg.MinPassRate, cfg.Decision)

	var b strings.Builder
	switch {
	case exited != nil:
		fmt.Fprintf(&b, "sycotest: pass rate not measured: the check of item %d trial %d ended its goroutine (runtime.Goexit, as t.FailNow and package require do) instead of returning; inside a check, report on the Run and return an error to end the run", exited.Item, exited.Trial)
	case ran < n || ctx.Err() != nil:
		fmt.Fprintf(&b, "sycotest: pass rate not measured: %d of %d runs done when stopped: %v", ran, n, context.Cause(ctx))
	case cfg.Decision == FailIfSurelyBelow && ci.Hi < cfg.MinPassRate:
		fmt.Fprintf(&b, "sycotest: pass rate is below the required rate: %s", summary)
	case cfg.Decision == PassIfSurelyAbove && ci.Lo < cfg.MinPassRate:
		fmt.Fprintf(&b, "sycotest: pass rate is not shown to reach the required rate: %s", summary)
	default:
		if l, ok := t.(interface{ Logf(string, ...any) }); ok {
			l.Logf("sycotest: %s", summary)
		}
		return true
	}
	writeByItem(&b, failed, trials)
	for i, r := range failed {
		if i == maxListed {
			fmt.Fprintf(&b, "\n  ... and %d more failed runs", len(failed)-maxListed)
			break
		}
		fmt.Fprintf(&b, "\n  item %d trial %d: %s", r.Item, r.Trial, indent(strings.Join(r.msgs, "\n")))
	}
	t.Errorf("%s", b.String())
	return false
}

// unreachable formats the refusal of a PassIfSurelyAbove configuration
// whose n runs cannot show rate even if all pass (best is the lower bound
// they would give), with the number of runs it takes.
func unreachable(n int, rate, level, best float64) string {
	if rate >= 1 {
		return fmt.Sprintf("sycotest: PassRate: MinPassRate %.1f%% can never be shown by %s: the %.4g%% lower bound stays below 1 however many runs pass",
			100*rate, PassIfSurelyAbove, 100*level)
	}
	// m/(m+z²) >= rate from m = rate·z²/(1-rate); the loops settle rounding.
	z := stats.CriticalValue(level)
	m := max(int(math.Ceil(rate*z*z/(1-rate))), 1)
	for stats.Wilson(m, m, level).Lo < rate {
		m++
	}
	for m > 1 && stats.Wilson(m-1, m-1, level).Lo >= rate {
		m--
	}
	return fmt.Sprintf("sycotest: PassRate: %d runs cannot show %.1f%% by %s: all %d passing give a %.4g%% lower bound of %.1f%%; it takes at least %d runs",
		n, 100*rate, PassIfSurelyAbove, n, 100*level, 100*best, m)
}

// unfailable formats the refusal of a FailIfSurelyBelow configuration
// whose n runs would pass even if all failed (worst is the upper bound they
// would give), with the number of runs it takes to fail a model at all.
func unfailable(n int, rate, level, worst float64) string {
	// z²/(m+z²) < rate from m > z²(1-rate)/rate; the loops settle rounding.
	z := stats.CriticalValue(level)
	m := max(int(math.Floor(z*z*(1-rate)/rate)), 1)
	for stats.Wilson(0, m, level).Hi >= rate {
		m++
	}
	for m > 1 && stats.Wilson(0, m-1, level).Hi < rate {
		m--
	}
	return fmt.Sprintf("sycotest: PassRate: %d runs cannot fail a required %.1f%% by %s: all %d failing give a %.4g%% upper bound of %.1f%%; it takes at least %d runs",
		n, 100*rate, FailIfSurelyBelow, n, 100*level, 100*worst, m)
}

// outcome is what the runs of a PassRate showed.
type outcome struct {
	ran, passed int
	failed      []*Run // in run order
	exited      *Run   // a run whose check called runtime.Goexit, if any
}

// execute runs check n times, run i being item i/trials, trial i%trials,
// and keeps the count of passed runs and the failed ones only, so that
// memory grows with the failures, not with n; it stops starting runs when
// ctx is done. In concurrent mode it also stops at a run whose check ended
// its goroutine with runtime.Goexit, and at a panic, which it raises again
// in the caller's goroutine once the others have ended: a panic in a
// goroutine of its own would crash the test binary without naming the test.
func execute(ctx context.Context, concurrency, n, trials int, check func(context.Context, *Run) error) outcome {
	var o outcome
	one := func(i int) *Run {
		r := &Run{Item: i / trials, Trial: i % trials}
		if err := check(ctx, r); err != nil {
			r.msgs = append(r.msgs, "error: "+err.Error())
		}
		return r
	}
	record := func(r *Run) {
		o.ran++
		if r.Failed() {
			o.failed = append(o.failed, r)
		} else {
			o.passed++
		}
	}
	if concurrency <= 1 {
		for i := range n {
			if ctx.Err() != nil {
				break
			}
			record(one(i))
		}
		return o
	}
	var (
		g        errgroup.Group
		mu       sync.Mutex
		panicked string // the first panic, with the run and its stack
	)
	stopped := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return o.exited != nil || panicked != ""
	}
	g.SetLimit(concurrency)
	for i := range n {
		if ctx.Err() != nil || stopped() {
			break
		}
		g.Go(func() error {
			if ctx.Err() != nil || stopped() {
				return nil
			}
			returned := false
			defer func() {
				if returned {
					return
				}
				// recover is nil only for runtime.Goexit: panic(nil)
				// recovers a *runtime.PanicNilError.
				v := recover()
				mu.Lock()
				defer mu.Unlock()
				switch {
				case v != nil && panicked == "":
					panicked = fmt.Sprintf("sycotest: PassRate: the check of item %d trial %d panicked: %v\n\n%s", i/trials, i%trials, v, debug.Stack())
				case v == nil && o.exited == nil:
					o.exited = &Run{Item: i / trials, Trial: i % trials}
				}
			}()
			r := one(i)
			returned = true
			mu.Lock()
			record(r)
			mu.Unlock()
			return nil
		})
	}
	_ = g.Wait() // the goroutines return nil; outcomes are in o
	if panicked != "" {
		panic(panicked)
	}
	slices.SortFunc(o.failed, func(a, b *Run) int {
		return cmp.Or(cmp.Compare(a.Item, b.Item), cmp.Compare(a.Trial, b.Trial))
	})
	return o
}

// maxItems bounds the items the per-item line of a PassRate failure names.
const maxItems = 10

// writeByItem names the items with failed runs and how many of their trials
// failed, so that an item that always fails stands out from scattered
// failures of a sampled model.
func writeByItem(b *strings.Builder, failed []*Run, trials int) {
	if len(failed) == 0 {
		return
	}
	b.WriteString("\n  failed runs by item:")
	items := 0
	for i := 0; i < len(failed); {
		j := i
		for j < len(failed) && failed[j].Item == failed[i].Item {
			j++
		}
		if items == maxItems {
			b.WriteString(" ...")
			break
		}
		sep := ","
		if items == 0 {
			sep = ""
		}
		fmt.Fprintf(b, "%s %d (%d of %d)", sep, failed[i].Item, j-i, trials)
		items++
		i = j
	}
}

// indent puts continuation lines of a run's messages under the first.
func indent(s string) string {
	return strings.ReplaceAll(s, "\n", "\n    ")
}
