package guard

import (
	"time"

	"github.com/rolegate/rolegate/metrics"
)

// Option configures [New]. The set is closed: the options are the functions
// of this package that return one. Options apply in order; for the
// single-valued ones the last wins, observers and judges accumulate.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// StreamMode says how the guard treats a streamed request (one with
// chat.Request.Stream set). It does not affect non-streamed requests.
type StreamMode uint8

// Stream modes.
const (
	// BufferThenCheck holds each attempt's deltas until its checks pass,
	// then releases them to the caller in the chunks they arrived in. On a
	// reask only the accepted attempt is released; on a block the caller
	// receives nothing (or the fallback as one delta) and, without a
	// fallback, the call ends with a [*ViolationError]. The caller sees the
	// same verdict, text and error as without streaming. A role that cannot
	// withhold an answer (every check annotates only) streams live. The
	// default.
	BufferThenCheck StreamMode = iota
	// PassThrough forwards deltas as they arrive and puts the verdict on the
	// final response. Text the caller has seen cannot be taken back, so a
	// check whose action is Reask acts as the role's Exhausted action
	// instead (the verdict's Note says so), and a block ends the call with
	// a [*ViolationError] after the text was shown (its Fallback field
	// holds the role's fallback for the caller to display). An attempt
	// whose client streamed no text showed the caller nothing and is
	// treated as in BufferThenCheck: it can be reasked, a block returns the
	// fallback as one delta, and an accepted answer is released as one
	// delta. Use it where
	// latency matters more than withholding; prefer BufferThenCheck for
	// roles that reask or block.
	PassThrough
)

// String returns "buffer" or "pass-through".
func (m StreamMode) String() string {
	if m == PassThrough {
		return "pass-through"
	}
	return "buffer"
}

// DefaultMaxStreamBytes is the most streamed text the guard holds for one
// attempt (buffered by BufferThenCheck, or kept to check while forwarded
// live to a role with checks): 1 MiB, about 250,000 tokens, far above any reply a chat model
// returns in one call. Past it the call fails with [ErrStreamLimit].
const DefaultMaxStreamBytes = 1 << 20

type config struct {
	observers   []Observer
	judges      []judgeEntry
	judgeLimit  int
	mode        StreamMode
	now         func() time.Time
	metricsOpts []metrics.Option
	maxStream   int
}

type judgeEntry struct {
	metric metrics.Metric
	judge  Judge
}

func buildConfig(opts []Option) config {
	c := config{now: time.Now, maxStream: DefaultMaxStreamBytes, judgeLimit: DefaultJudgeConcurrency}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return c
}

// WithObserver adds observers; each is told the verdict of every request,
// in the order given. Nil observers are ignored.
func WithObserver(obs ...Observer) Option {
	return optionFunc(func(c *config) {
		for _, o := range obs {
			if o != nil {
				c.observers = append(c.observers, o)
			}
		}
	})
}

// WithJudge installs j as an additional check of metric m, beside the
// heuristic scorer. The judge runs only for roles that check m, with that
// check's threshold and action; a judge failure counts as a check that
// could not decide, so the role's OnUnknown (fail open or closed) decides
// what follows: it is never skipped silently. Several judges may be
// installed, also for one metric. They run after the heuristic checks, on
// every attempt; several run concurrently (see [WithJudgeConcurrency]) and
// appear in the verdict in the order they were installed. A nil judge is
// ignored; a nil [JudgeFunc], which is not a nil Judge, makes [New] fail
// every request with [ErrInvalidJudge].
func WithJudge(m metrics.Metric, j Judge) Option {
	return optionFunc(func(c *config) {
		if j != nil {
			c.judges = append(c.judges, judgeEntry{metric: m, judge: j})
		}
	})
}

// DefaultJudgeConcurrency is how many judges of one answer run at once
// unless [WithJudgeConcurrency] says otherwise. Judges usually wait on a
// model, so running them together makes the check take about as long as
// the slowest one instead of their sum.
const DefaultJudgeConcurrency = 4

// WithJudgeConcurrency bounds how many judges of one answer run at once:
// n = 1 runs them one after the other on the caller's goroutine; n <= 0
// keeps [DefaultJudgeConcurrency]. A single judge always runs on the
// caller's goroutine.
func WithJudgeConcurrency(n int) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.judgeLimit = n
		}
	})
}

// WithStreamMode chooses how streamed requests are checked; the default is
// [BufferThenCheck].
func WithStreamMode(m StreamMode) Option {
	return optionFunc(func(c *config) { c.mode = m })
}

// WithMaxStreamBytes sets the limit of streamed text per attempt, in
// either [StreamMode] (see [DefaultMaxStreamBytes]); n <= 0 keeps
// [DefaultMaxStreamBytes].
func WithMaxStreamBytes(n int) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.maxStream = n
		}
	})
}

// WithClock replaces time.Now for the verdict's timings, so that tests and
// examples get deterministic durations. A nil function keeps time.Now.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) {
		if now != nil {
			c.now = now
		}
	})
}

// WithAnalyzerOptions configures the heuristic scorers, for instance
// metrics.WithLanguage or metrics.WithGoal. Thresholds set with
// metrics.WithThreshold do not change the verdict: the guard decides each
// check against the role's threshold.
func WithAnalyzerOptions(opts ...metrics.Option) Option {
	return optionFunc(func(c *config) { c.metricsOpts = append(c.metricsOpts, opts...) })
}
