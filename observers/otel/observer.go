package otel

import (
	"context"
	"errors"
	"fmt"
	"sync"

	gootel "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
)

// ScopeName is the instrumentation scope of the observer's meter.
const ScopeName = "github.com/rolegate/rolegate/observers/otel"

// Names of the span event and the metrics.
const (
	EventName      = "rolegate.guard.verdict"
	VerdictsMetric = "rolegate.guard.verdicts"
	ScoresMetric   = "rolegate.guard.check.score"
)

// Attribute keys. Role and action are on the event and both metrics;
// metric, source and status of a check are on the score histogram.
const (
	TenantKey   = attribute.Key("rolegate.tenant")
	RoleKey     = attribute.Key("rolegate.role")
	KindKey     = attribute.Key("rolegate.kind")
	ActionKey   = attribute.Key("rolegate.action")
	AttemptsKey = attribute.Key("rolegate.attempts")
	ElapsedKey  = attribute.Key("rolegate.elapsed_ms")
	OverheadKey = attribute.Key("rolegate.overhead_ms")
	NoteKey     = attribute.Key("rolegate.note")
	ErrorKey    = attribute.Key("rolegate.error")

	CheckMetricKey = attribute.Key("rolegate.check.metric")
	CheckSourceKey = attribute.Key("rolegate.check.source")
	CheckScoreKey  = attribute.Key("rolegate.check.score")
	CheckLabelKey  = attribute.Key("rolegate.check.label")
	CheckStatusKey = attribute.Key("rolegate.check.status")
)

// ActionError is the action attribute of a request that failed before the
// guard could act (an unknown role, a model error, a cancelled context).
// A blocked request that failed with a guard.ViolationError is "block".
const ActionError = "error"

// scoreBuckets are the histogram's bucket bounds: scores are in [0, 1] and
// thresholds are set in tenths.
var scoreBuckets = []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}

// Option configures [New].
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	mp metric.MeterProvider
}

// WithMeterProvider sets the meter provider; the default is the global one
// (otel.GetMeterProvider). A nil provider keeps the default.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) {
		if mp != nil {
			c.mp = mp
		}
	})
}

// Observer is a guard.Observer that records each verdict as a span event
// and in two metrics; see the package documentation. Make one with [New]:
// the zero Observer has no instruments and adds the span event only, and a
// nil *Observer (left by ignoring New's error) records nothing. Neither
// panics on the request path.
type Observer struct {
	verdicts    metric.Int64Counter
	scores      metric.Float64Histogram
	verdictOpts optCache[verdictKey]
	scoreOpts   optCache[scoreKey]
}

// optCache keeps the metric attribute options already built (an attribute
// set in an option), so that a verdict does not sort and allocate them
// again. Its keys are bounded (the policy's roles, actions, metrics,
// sources and statuses), and it stops growing at maxCachedSets all the
// same.
type optCache[K comparable] struct {
	mu sync.RWMutex
	m  map[K]metric.MeasurementOption
}

const maxCachedSets = 4096

type verdictKey struct{ role, action string }

type scoreKey struct {
	role   string
	metric metrics.Metric
	source guard.Source
	status guard.Status
}

func (c *optCache[K]) get(key K, build func() attribute.Set) metric.MeasurementOption {
	c.mu.RLock()
	s, ok := c.m[key]
	c.mu.RUnlock()
	if ok {
		return s
	}
	s = metric.WithAttributeSet(build())
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[K]metric.MeasurementOption)
	}
	if len(c.m) < maxCachedSets {
		c.m[key] = s
	}
	c.mu.Unlock()
	return s
}

// New returns an Observer writing to the meter of [WithMeterProvider] (by
// default the global provider). The span event goes to whatever span the
// request's context carries, so there is no tracer provider to configure.
// An error means an instrument could not be created.
func New(opts ...Option) (*Observer, error) {
	c := config{}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if c.mp == nil {
		c.mp = gootel.GetMeterProvider()
	}
	m := c.mp.Meter(ScopeName)
	verdicts, err1 := m.Int64Counter(VerdictsMetric,
		metric.WithDescription("Requests the rolegate guard handled, by role and action."),
		metric.WithUnit("{verdict}"))
	scores, err2 := m.Float64Histogram(ScoresMetric,
		metric.WithDescription("Scores of the final answer's checks, by role, metric, source and status."),
		metric.WithUnit("1"),
		metric.WithExplicitBucketBoundaries(scoreBuckets...))
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("otel: creating instruments: %w", err)
	}
	return &Observer{verdicts: verdicts, scores: scores}, nil
}

// Observe implements guard.Observer.
func (o *Observer) Observe(ctx context.Context, v *guard.Verdict, err error) {
	if o == nil || v == nil {
		return
	}
	action := action(v, err)
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		span.AddEvent(EventName, trace.WithAttributes(eventAttributes(v, action, err)...))
	}
	if o.verdicts == nil || o.scores == nil {
		return // the zero Observer: no instruments
	}
	role := v.Role
	if unresolved(err) {
		// The name came from the request: keep it off the metrics, whose
		// attributes must stay few.
		role = ""
	}
	opt := o.verdictOpts.get(verdictKey{role, action}, func() attribute.Set {
		return attribute.NewSet(RoleKey.String(role), ActionKey.String(action))
	})
	o.verdicts.Add(ctx, 1, opt)
	for _, c := range v.Checks {
		if action == ActionError {
			// No final answer: the checks, if any, are of an attempt the
			// guard rejected before the request failed (a failed reask).
			break
		}
		if c.Label == metrics.Unknown {
			continue // no score to record
		}
		key := scoreKey{role, c.Metric, c.Source, c.Status}
		opt := o.scoreOpts.get(key, func() attribute.Set {
			return attribute.NewSet(RoleKey.String(role),
				CheckMetricKey.String(string(c.Metric)),
				CheckSourceKey.String(c.Source.String()),
				CheckStatusKey.String(c.Status.String()))
		})
		o.scores.Record(ctx, c.Score, opt)
	}
}

// unresolved reports whether the request failed before the guard resolved
// its role, so that the verdict's role is the name the request asked for.
func unresolved(err error) bool {
	var re *guard.ResolveError
	return errors.As(err, &re) || errors.Is(err, guard.ErrInvalidPolicy) || errors.Is(err, guard.ErrNoClient)
}

// action names what the guard did, or ActionError.
func action(v *guard.Verdict, err error) string {
	if err != nil && v.Action != guard.Blocked {
		return ActionError
	}
	return v.Action.String()
}

func eventAttributes(v *guard.Verdict, action string, err error) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 15)
	if v.Tenant != "" {
		attrs = append(attrs, TenantKey.String(v.Tenant))
	}
	attrs = append(attrs, RoleKey.String(v.Role))
	if v.Kind != "" {
		attrs = append(attrs, KindKey.String(string(v.Kind)))
	}
	attrs = append(attrs,
		ActionKey.String(action),
		AttemptsKey.Int(len(v.Attempts)),
		ElapsedKey.Float64(milliseconds(v.Elapsed.Nanoseconds())),
		OverheadKey.Float64(milliseconds(v.Overhead().Nanoseconds())),
	)
	if n := len(v.Checks); n > 0 {
		names, sources, labels, statuses := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		scores := make([]float64, n)
		for i, c := range v.Checks {
			names[i], sources[i], labels[i], statuses[i] = string(c.Metric), c.Source.String(), c.Label.String(), c.Status.String()
			scores[i] = c.Score
		}
		attrs = append(attrs,
			CheckMetricKey.StringSlice(names),
			CheckSourceKey.StringSlice(sources),
			CheckScoreKey.Float64Slice(scores),
			CheckLabelKey.StringSlice(labels),
			CheckStatusKey.StringSlice(statuses),
		)
	}
	if v.Note != "" {
		attrs = append(attrs, NoteKey.String(v.Note))
	}
	if err != nil {
		attrs = append(attrs, ErrorKey.String(guard.ErrorText(err)))
	}
	return attrs
}

func milliseconds(ns int64) float64 { return float64(ns) / 1e6 }
