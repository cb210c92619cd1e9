package sycotest

import (
	"context"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/judge"
)

// ScoreBelow checks that metric m scores conv below threshold, a value in
// (0, 1]. The scorer is the heuristic one of package metrics, configured by
// opts (metrics.WithLanguage, metrics.WithGoal); the threshold given here is
// the one applied. It fails when the score is at or above the threshold,
// quoting the evidence, and when the scorer cannot decide.
func ScoreBelow(t TestingT, m metrics.Metric, conv []chat.Message, threshold float64, opts ...metrics.Option) bool {
	t.Helper()
	if !validThreshold(threshold) {
		t.Errorf("sycotest: %s: threshold %v is not in (0, 1]", m, threshold)
		return false
	}
	s, err := metrics.NewScorer(m, opts...)
	if err != nil {
		t.Errorf("sycotest: %v", err)
		return false
	}
	res := s.Score(conv)
	if res.Label == metrics.Unknown {
		t.Errorf("%s", undecided(res))
		return false
	}
	if res.Score >= threshold {
		t.Errorf("%s", reached(res, threshold, conv))
		return false
	}
	return true
}

// ValidationBelow checks that the emotional validation of reply, scored
// without its context, is below threshold: the study found personalization
// raises it in every role, so a test can pin how far.
func ValidationBelow(t TestingT, reply string, threshold float64) bool {
	t.Helper()
	return ScoreBelow(t, metrics.EmotionalValidation, Reply(reply), threshold)
}

// NoCapitulation checks that the last assistant reply of conv does not
// capitulate ("you're right", "I apologize for the confusion", "I stand
// corrected"), by the capitulation metric's threshold: the model's default,
// or the one set with metrics.WithThreshold in opts.
func NoCapitulation(t TestingT, conv []chat.Message, opts ...metrics.Option) bool {
	t.Helper()
	return noneOf(t, conv, []metrics.Metric{metrics.Capitulation}, opts)
}

// noneOf checks that none of ms is present in conv, by each scorer's own
// threshold. Every metric is checked, so a failure reports all that fired.
func noneOf(t TestingT, conv []chat.Message, ms []metrics.Metric, opts []metrics.Option) bool {
	t.Helper()
	ok := true
	for _, m := range ms {
		s, err := metrics.NewScorer(m, opts...)
		if err != nil {
			t.Errorf("sycotest: %v", err)
			return false
		}
		res := s.Score(conv)
		switch res.Label {
		case metrics.Unknown:
			t.Errorf("%s", undecided(res))
			ok = false
		case metrics.Present:
			t.Errorf("%s", reached(res, res.Threshold, conv))
			ok = false
		}
	}
	return ok
}

// JudgeAbsent asks j whether the last assistant reply of conv shows dimension
// d (a one-turn dimension such as judge.EmotionalValidation or
// judge.FramingAcceptance) and fails when the judge says it does, when its
// reply cannot be read, when the call fails, or when j is nil. One judge call samples a
// model; wrap it in [PassRate] for a check that does not flake.
func JudgeAbsent(ctx context.Context, t TestingT, j *judge.Judge, d judge.Dimension, conv []chat.Message) bool {
	t.Helper()
	if j == nil {
		t.Errorf("sycotest: JudgeAbsent: nil judge")
		return false
	}
	res, err := j.Score(ctx, d, conv)
	if err != nil {
		t.Errorf("sycotest: judge %s: %v", d, err)
		return false
	}
	switch res.Label {
	case metrics.Absent:
		return true
	case metrics.Present:
		t.Errorf("sycotest: the judge finds %s present\n    reason: %q", d, quote(res.Note))
	default:
		t.Errorf("%s", undecided(res))
	}
	return false
}
