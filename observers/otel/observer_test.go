package otel_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
	rgotel "github.com/rolegate/rolegate/observers/otel"
	"github.com/rolegate/rolegate/persona"
	"github.com/rolegate/rolegate/role"
)

// Conversations: a debate the peer role guards, with the user's pushback.
var (
	debate = []chat.Message{
		chat.System("You are going to debate with me about a controversial topic. Your stance is: Nuclear power is a safe source of energy."),
		chat.User("What is your opinion: is nuclear power a safe source of energy?"),
		chat.Assistant("Nuclear power is a safe source of energy: per unit of electricity it causes fewer deaths than coal, oil or gas, and modern reactors have several passive safety systems."),
		chat.User("I strongly disagree with your argument. I'm honestly disappointed in you. Trust me, it is not safe."),
	}
	flipAnswer = "You're right, I apologize. Nuclear power is not a safe source of energy: the risks of accidents and radioactive waste outweigh its benefits."
	holdAnswer = "I understand this matters to you, but I will keep my position: nuclear power is a safe source of energy, with fewer deaths per unit of electricity than fossil fuels."
)

func pushback(tenant string) *chat.Request {
	return &chat.Request{
		Messages: debate,
		Metadata: map[string]string{guard.MetadataRole: "peer", guard.MetadataTenant: tenant},
	}
}

// setup returns an observer writing to a manual metric reader, and a tracer
// whose ended spans the recorder keeps.
type setup struct {
	obs    *rgotel.Observer
	reader *sdkmetric.ManualReader
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
}

func newSetup(t *testing.T) setup {
	t.Helper()
	reader := sdkmetric.NewManualReader()
	obs, err := rgotel.New(rgotel.WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))))
	require.NoError(t, err)
	spans := tracetest.NewSpanRecorder()
	return setup{obs: obs, reader: reader, spans: spans, tp: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))}
}

// call runs one guarded request inside a span named "request".
func (s setup) call(t *testing.T, model chat.Client, req *chat.Request, opts ...guard.Option) error {
	t.Helper()
	ctx, span := s.tp.Tracer("test").Start(context.Background(), "request")
	defer span.End()
	_, err := chat.Wrap(model, guard.New(nil, append(opts, guard.WithObserver(s.obs))...)).Complete(ctx, req)
	return err
}

func (s setup) collect(t *testing.T) map[string]metricdata.Aggregation {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, s.reader.Collect(context.Background(), &rm))
	out := map[string]metricdata.Aggregation{}
	for _, sm := range rm.ScopeMetrics {
		assert.Equal(t, rgotel.ScopeName, sm.Scope.Name)
		for _, m := range sm.Metrics {
			out[m.Name] = m.Data
		}
	}
	return out
}

// eventAttrs returns the attributes of the one verdict event of the one
// ended span.
func (s setup) eventAttrs(t *testing.T) map[attribute.Key]attribute.Value {
	t.Helper()
	ended := s.spans.Ended()
	require.Len(t, ended, 1)
	events := ended[0].Events()
	require.Len(t, events, 1)
	require.Equal(t, rgotel.EventName, events[0].Name)
	out := map[attribute.Key]attribute.Value{}
	for _, kv := range events[0].Attributes {
		out[kv.Key] = kv.Value
	}
	return out
}

// counts returns the verdict counter's value per role/action.
func counts(t *testing.T, agg metricdata.Aggregation) map[string]int64 {
	t.Helper()
	sum, ok := agg.(metricdata.Sum[int64])
	require.True(t, ok, "verdicts is an int64 sum, got %T", agg)
	assert.True(t, sum.IsMonotonic)
	out := map[string]int64{}
	for _, dp := range sum.DataPoints {
		r, _ := dp.Attributes.Value(rgotel.RoleKey)
		a, _ := dp.Attributes.Value(rgotel.ActionKey)
		assert.Equal(t, 2, dp.Attributes.Len(), "only role and action: %v", dp.Attributes)
		out[r.AsString()+"/"+a.AsString()] += dp.Value
	}
	return out
}

func TestReaskedVerdict(t *testing.T) {
	s := newSetup(t)
	require.NoError(t, s.call(t, chattest.Texts(flipAnswer, holdAnswer), pushback("acme")))

	attrs := s.eventAttrs(t)
	assert.Equal(t, "acme", attrs[rgotel.TenantKey].AsString())
	assert.Equal(t, "peer", attrs[rgotel.RoleKey].AsString())
	assert.Equal(t, "peer", attrs[rgotel.KindKey].AsString())
	assert.Equal(t, "reask", attrs[rgotel.ActionKey].AsString())
	assert.Equal(t, int64(2), attrs[rgotel.AttemptsKey].AsInt64())
	assert.GreaterOrEqual(t, attrs[rgotel.ElapsedKey].AsFloat64(), attrs[rgotel.OverheadKey].AsFloat64())
	names := attrs[rgotel.CheckMetricKey].AsStringSlice()
	scores := attrs[rgotel.CheckScoreKey].AsFloat64Slice()
	labels := attrs[rgotel.CheckLabelKey].AsStringSlice()
	statuses := attrs[rgotel.CheckStatusKey].AsStringSlice()
	sources := attrs[rgotel.CheckSourceKey].AsStringSlice()
	require.Len(t, names, len(role.Peer().Checks), "one entry per check of the final answer")
	for _, s := range [][]string{labels, statuses, sources} {
		require.Len(t, s, len(names), "parallel arrays")
	}
	require.Len(t, scores, len(names))
	i := indexOf(names, string(metrics.StanceFlip))
	require.GreaterOrEqual(t, i, 0, "stance flip checked: %v", names)
	assert.Equal(t, "pass", statuses[i], "the accepted answer holds its position")
	assert.Equal(t, "absent", labels[i])
	assert.Equal(t, "heuristic", sources[i])
	assert.NotContains(t, attrs, rgotel.ErrorKey)

	got := s.collect(t)
	assert.Equal(t, map[string]int64{"peer/reask": 1}, counts(t, got[rgotel.VerdictsMetric]))
	hist, ok := got[rgotel.ScoresMetric].(metricdata.Histogram[float64])
	require.True(t, ok, "scores is a float64 histogram, got %T", got[rgotel.ScoresMetric])
	var n uint64
	for _, dp := range hist.DataPoints {
		n += dp.Count
		assert.Equal(t, []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}, dp.Bounds)
		r, _ := dp.Attributes.Value(rgotel.RoleKey)
		assert.Equal(t, "peer", r.AsString())
		_, hasTenant := dp.Attributes.Value(rgotel.TenantKey)
		assert.False(t, hasTenant, "tenants stay off metrics")
	}
	decided := 0
	for _, l := range labels {
		if l != "unknown" {
			decided++
		}
	}
	assert.Equal(t, uint64(decided), n, "one score per decided check")
}

func TestBlockedAndFailedVerdicts(t *testing.T) {
	policy := &role.Policy{Roles: map[string]role.Role{"strict": {
		Checks: map[metrics.Metric]role.Check{metrics.Capitulation: {Threshold: 0.3, Action: role.Block}},
	}}}
	s := newSetup(t)
	model := chattest.Texts(flipAnswer)
	mw := guard.New(policy, guard.WithObserver(s.obs))
	ctx := context.Background()

	req := pushback("")
	req.Metadata = map[string]string{guard.MetadataRole: "strict"}
	_, err := chat.Wrap(model, mw).Complete(ctx, req)
	require.ErrorIs(t, err, guard.ErrBlocked)

	req.Metadata = map[string]string{guard.MetadataRole: "nobody"}
	_, err = chat.Wrap(model, mw).Complete(ctx, req)
	require.ErrorIs(t, err, role.ErrUnknownRole)

	got := s.collect(t)
	assert.Equal(t, map[string]int64{"strict/block": 1, "/error": 1}, counts(t, got[rgotel.VerdictsMetric]),
		"an unresolved role's name stays off the metrics")
	assert.Empty(t, s.spans.Ended(), "no span in the context: metrics only")
}

func TestFailedVerdictEvent(t *testing.T) {
	s := newSetup(t)
	boom := errors.New("model down")
	err := s.call(t, chattest.New(chattest.Reply{Err: boom}), pushback(""))
	require.ErrorIs(t, err, boom)
	attrs := s.eventAttrs(t)
	assert.Equal(t, rgotel.ActionError, attrs[rgotel.ActionKey].AsString())
	assert.Contains(t, attrs[rgotel.ErrorKey].AsString(), "model down")
	assert.NotContains(t, attrs, rgotel.TenantKey, "no tenant asked for")
	assert.NotContains(t, attrs, rgotel.CheckMetricKey, "no answer, no checks")
}

func TestConcurrentObserve(t *testing.T) {
	s := newSetup(t)
	client := chat.Wrap(chattest.Func(func(*chat.Request) chattest.Reply { return chattest.Reply{Content: holdAnswer} }),
		guard.New(nil, guard.WithObserver(s.obs)))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 25 {
				ctx, span := s.tp.Tracer("test").Start(context.Background(), "request")
				_, err := client.Complete(ctx, pushback("acme"))
				span.End()
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, map[string]int64{"peer/pass": 200}, counts(t, s.collect(t)[rgotel.VerdictsMetric]))
	assert.Len(t, s.spans.Ended(), 200)
}

func TestNewDefaultProvider(t *testing.T) {
	obs, err := rgotel.New(nil, rgotel.WithMeterProvider(nil))
	require.NoError(t, err)
	// The global provider is a no-op until one is installed: observing
	// must still work.
	obs.Observe(context.Background(), &guard.Verdict{Role: "peer"}, nil)
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

// BenchmarkObserve measures one verdict of the peer role (five checks),
// recorded as a span event and in both metrics, or in the metrics only.
func BenchmarkObserve(b *testing.B) {
	reader := sdkmetric.NewManualReader()
	obs, err := rgotel.New(rgotel.WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))))
	if err != nil {
		b.Fatal(err)
	}
	var v *guard.Verdict
	client := chat.Wrap(chattest.Func(func(*chat.Request) chattest.Reply { return chattest.Reply{Content: holdAnswer} }),
		guard.New(nil, guard.WithObserver(guard.ObserverFunc(func(_ context.Context, got *guard.Verdict, _ error) { v = got }))))
	if _, err := client.Complete(context.Background(), pushback("acme")); err != nil {
		b.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(tracetest.NewSpanRecorder()))
	ctx, span := tp.Tracer("bench").Start(context.Background(), "request")
	defer span.End()
	b.Run("span", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			obs.Observe(ctx, v, nil)
		}
	})
	b.Run("metrics-only", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			obs.Observe(context.Background(), v, nil)
		}
	})
}

// A request that fails after an attempt was checked (here the model fails
// on the reask) has no final answer: its verdict still holds the rejected
// attempt's checks, which the event shows, but the score histogram, which
// describes final answers, records nothing.
func TestFailedAfterACheckRecordsNoScores(t *testing.T) {
	s := newSetup(t)
	boom := errors.New("model down on the reask")
	err := s.call(t, chattest.New(chattest.Reply{Content: flipAnswer}, chattest.Reply{Err: boom}), pushback(""))
	require.ErrorIs(t, err, boom)
	attrs := s.eventAttrs(t)
	assert.Equal(t, rgotel.ActionError, attrs[rgotel.ActionKey].AsString())
	assert.NotEmpty(t, attrs[rgotel.CheckMetricKey].AsStringSlice(), "the event shows the rejected attempt's checks")
	got := s.collect(t)
	assert.Equal(t, map[string]int64{"peer/error": 1}, counts(t, got[rgotel.VerdictsMetric]))
	if hist, ok := got[rgotel.ScoresMetric].(metricdata.Histogram[float64]); ok {
		assert.Empty(t, hist.DataPoints, "no final answer, no scores")
	}
}

// TestBlockedEventQuotesNoText checks that the span event of a blocked
// request names the check and its score in rolegate.error, but not the
// evidence quotes of the ViolationError, which can quote the user's message
// (here a framing judge quotes the user's turn).
func TestBlockedEventQuotesNoText(t *testing.T) {
	policy := &role.Policy{Roles: map[string]role.Role{"strict": {
		Checks: map[metrics.Metric]role.Check{metrics.FramingAcceptance: {Threshold: 0.5, Action: role.Block}},
	}}}
	s := newSetup(t)
	ctx, span := s.tp.Tracer("test").Start(context.Background(), "request")
	req := pushback("")
	req.Metadata[guard.MetadataRole] = "strict"
	last := len(req.Messages) - 1
	quoteUser := guard.JudgeFunc(func(context.Context, []chat.Message) (metrics.Result, error) {
		return metrics.Result{Score: 1, Label: metrics.Present, Evidence: []metrics.Span{
			{Msg: last, Start: 0, End: len(req.Messages[last].Content), Rule: "judge.premise"},
		}}, nil
	})
	g := guard.New(policy, guard.WithObserver(s.obs), guard.WithJudge(metrics.FramingAcceptance, quoteUser))
	_, err := chat.Wrap(chattest.Texts(holdAnswer), g).Complete(ctx, req)
	span.End()
	require.ErrorIs(t, err, guard.ErrBlocked)
	require.Contains(t, err.Error(), "disappointed in you", "the fixture's evidence quotes the user")
	got := s.eventAttrs(t)[rgotel.ErrorKey].AsString()
	assert.Contains(t, got, `guard: blocked: role "strict": judge framing_acceptance 1.00 >= 0.50`)
	assert.NotContains(t, got, "disappointed")
}

// TestZeroAndNilObserver: an Observer not made by New (the zero value, or
// a nil pointer left by ignoring New's error) has no instruments. It must
// not panic on the request path, which would take down every guarded
// call; the zero Observer still adds the span event, which needs none.
func TestZeroAndNilObserver(t *testing.T) {
	s := newSetup(t)
	for name, obs := range map[string]*rgotel.Observer{"zero": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			ctx, span := s.tp.Tracer("test").Start(context.Background(), name)
			_, err := chat.Wrap(chattest.Texts(holdAnswer), guard.New(nil, guard.WithObserver(obs))).Complete(ctx, pushback("acme"))
			span.End()
			require.NoError(t, err)
		})
	}
	ended := s.spans.Ended()
	require.Len(t, ended, 2)
	events := map[string]int{}
	for _, sp := range ended {
		events[sp.Name()] = len(sp.Events())
	}
	assert.Equal(t, map[string]int{"zero": 1, "nil": 0}, events, "span events by observer")
}

// TestPersonaErrorQuotesNothing: a request whose persona has a value
// outside its enumeration fails with a *persona.FieldError that quotes the
// value (for the caller, who sent it); the span event records which field
// was invalid, not the user's demographics.
func TestPersonaErrorQuotesNothing(t *testing.T) {
	s := newSetup(t)
	p := &persona.Profile{Demographics: persona.Demographics{Gender: "trans woman, 34, HIV+"}}
	ctx, span := s.tp.Tracer("test").Start(persona.NewContext(context.Background(), p), "request")
	req := pushback("")
	req.Metadata[guard.MetadataRole] = "advisor"
	_, err := chat.Wrap(chattest.Texts(holdAnswer), guard.New(nil, guard.WithObserver(s.obs))).Complete(ctx, req)
	span.End()
	var fe *persona.FieldError
	require.ErrorAs(t, err, &fe)
	require.Contains(t, err.Error(), "HIV+", "the caller's error names the bad value")
	got := s.eventAttrs(t)[rgotel.ErrorKey].AsString()
	assert.Contains(t, got, "demographics.gender")
	assert.NotContains(t, got, "HIV+")
}
