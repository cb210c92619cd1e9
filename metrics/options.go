package metrics

import (
	"slices"
	"strings"
	"sync"
)

// Option configures an [Analyzer] or a scorer constructor. The set is closed:
// the options are the functions of this package that return one.
type Option interface{ apply(*options) }

type options struct {
	lang       *Language
	thresholds map[Metric]float64
	goal, pref string
}

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

// WithLanguage selects the lexicon and models; the default is [English].
// A nil language keeps the default.
func WithLanguage(l *Language) Option {
	return optionFunc(func(o *options) {
		if l != nil {
			o.lang = l
		}
	})
}

// WithThreshold sets metric m's decision threshold (Label is Present when
// Score >= t). Values outside (0,1), and metrics this package does not
// score (see [Metrics]; use the Metric constants), are ignored and the
// model's defaults kept: an Option cannot fail, so code that takes
// thresholds from configuration checks them first, as the CLI's -threshold
// flag does.
func WithThreshold(m Metric, t float64) Option {
	return optionFunc(func(o *options) {
		if !(t > 0 && t < 1) {
			return
		}
		if o.thresholds == nil {
			o.thresholds = map[Metric]float64{}
		}
		o.thresholds[m] = t
	})
}

// WithGoal sets the goal the reply should defend and the user's conflicting
// preference, for [PreferenceAccommodation]. Without it, or for an argument
// that is empty or only spaces, the goal is read from the system message
// and the preference from the last user turn. A system message states
// the goal with one of the lexicon's goal markers (family marker.goal:
// "Your goal is ...", "the user's goal", "the user's long-term goal",
// "help the user reach ..."), and the goal is its sentence from the marker
// on. A label such as "Goal: ..." is not read: the metric is then Unknown
// for want of a goal.
func WithGoal(goal, preference string) Option {
	goal, preference = strings.TrimSpace(goal), strings.TrimSpace(preference)
	return optionFunc(func(o *options) { o.goal, o.pref = goal, preference })
}

func buildOptions(opts []Option) options {
	var o options
	for _, op := range opts {
		if op != nil {
			op.apply(&o)
		}
	}
	if o.lang == nil {
		o.lang = English()
	}
	return o
}

func (o *options) threshold(l *Language, i int) float64 {
	if t, ok := o.thresholds[allMetrics[i]]; ok {
		return t
	}
	return l.models[i].threshold
}

// DefaultThreshold returns the built-in English threshold of metric m, and
// false for an unknown metric.
func DefaultThreshold(m Metric) (float64, bool) {
	i := metricIndex(m)
	if i < 0 {
		return 0, false
	}
	return English().models[i].threshold, true
}

// PreciseThreshold returns the built-in English threshold of metric m for
// callers that act on a Present label (block, reask): the one that kept
// precision at 0.8 or more on the labeled data the weights were trained on,
// at the cost of recall. It equals [DefaultThreshold] where the default
// already reaches that precision, or where no labeled data exists. Use it
// with [WithThreshold]. Precision is not all: at its precise threshold
// [BeliefAdoption] flags 1% of the labeled adoptions (the README's
// validation section gives each metric's recall there).
func PreciseThreshold(m Metric) (float64, bool) {
	i := metricIndex(m)
	if i < 0 {
		return 0, false
	}
	return English().models[i].precise, true
}

// Pool holds Analyzers of one configuration for reuse across goroutines:
// an Analyzer is not safe for concurrent use, and building one costs
// allocations that reusing it does not. Get one per call and Put it back
// when its Report is no longer read. A Pool is safe for concurrent use.
//
// Put drops an analyzer whose buffers grew past what about 256 KB of text
// needs (they never shrink), so that one multi-megabyte message does not
// pin tens of megabytes in a pool that a busy server keeps for good.
//
// The zero Pool hands out analyzers of [NewAnalyzer]'s defaults.
type Pool struct {
	p       sync.Pool
	newFunc func() *Analyzer
}

// NewPool returns a Pool of analyzers configured by opts.
func NewPool(opts ...Option) *Pool {
	opts = slices.Clone(opts)
	return newPool(func() *Analyzer { return NewAnalyzer(opts...) })
}

func newPool(newAnalyzer func() *Analyzer) *Pool {
	return &Pool{newFunc: newAnalyzer}
}

// Get returns an analyzer from the pool, or a new one.
func (p *Pool) Get() *Analyzer {
	if a, ok := p.p.Get().(*Analyzer); ok {
		return a
	}
	var a *Analyzer
	if p.newFunc != nil {
		a = p.newFunc()
	} else {
		a = NewAnalyzer()
	}
	a.pool = p
	return a
}

// Put returns a to the pool, unless a huge message grew it. The Report a
// returned, and its evidence, must not be read after Put: the next Get may
// reuse them. A nil a is ignored, and so is an analyzer this pool's Get did
// not return (one of [NewAnalyzer], or of another Pool): its configuration
// may not be the pool's, and the next Get would hand it out.
func (p *Pool) Put(a *Analyzer) {
	if a != nil && a.pool == p && !a.oversized() {
		p.p.Put(a)
	}
}

// The package-level Analyze and ClassifyPushback share a pool of analyzers,
// so that they are safe for concurrent use and allocate little.
var defaultPool = NewPool()

// maxPooledTokens bounds the token buffers of a pooled analyzer: about
// 256 KB of text.
const maxPooledTokens = 64 << 10

// oversized reports whether a's buffers outgrew what a pooled analyzer may
// keep.
func (a *Analyzer) oversized() bool {
	return cap(a.scan.raw) > maxPooledTokens || cap(a.toks) > maxPooledTokens || cap(a.utoks) > maxPooledTokens ||
		cap(a.matches) > maxPooledTokens || cap(a.reply) > maxPooledTokens || cap(a.user) > maxPooledTokens ||
		cap(a.freply.segs) > maxPooledTokens || cap(a.fuser.segs) > maxPooledTokens
}
