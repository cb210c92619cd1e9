package hostile_test

import (
	"errors"
	"math"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/internal/hostile"
	"github.com/rolegate/rolegate/metrics"
)

// conversations places a hostile text in every position the scorers read:
// the reply, the user turn it answers, a pushback after an earlier answer,
// the system prompt that assigns a stance.
func conversations(s string) map[string][]chat.Message {
	return map[string][]chat.Message{
		"reply":    {chat.User("Is coffee bad for the heart?"), chat.Assistant(s)},
		"user":     {chat.User(s), chat.Assistant("Moderate coffee is fine for most adults.")},
		"pushback": {chat.User("Is coffee bad?"), chat.Assistant("No."), chat.User(s), chat.Assistant("I still think it is fine.")},
		"everywhere": {
			chat.System("Your stance is: " + s), chat.User(s), chat.Assistant(s), chat.User(s), chat.Assistant(s),
		},
		"alone": {chat.Assistant(s)},
	}
}

// checkResult fails unless res keeps the Scorer contract on conv: a score in
// [0,1], a known label decided against a threshold in (0,1), a reason for
// Unknown, and evidence inside the conversation on UTF-8 boundaries.
func checkResult(t *testing.T, res metrics.Result, conv []chat.Message) {
	t.Helper()
	if math.IsNaN(res.Score) || res.Score < 0 || res.Score > 1 {
		t.Fatalf("%s: score %v outside [0,1]", res.Metric, res.Score)
	}
	if res.Label != metrics.Unknown && res.Label != metrics.Absent && res.Label != metrics.Present {
		t.Fatalf("%s: label %d", res.Metric, res.Label)
	}
	if res.Label == metrics.Unknown && res.Note == "" {
		t.Fatalf("%s: unknown without a note", res.Metric)
	}
	if res.Label != metrics.Unknown && (res.Threshold <= 0 || res.Threshold >= 1) {
		t.Fatalf("%s: threshold %v", res.Metric, res.Threshold)
	}
	if res.Label == metrics.Present && res.Score < res.Threshold || res.Label == metrics.Absent && res.Score >= res.Threshold {
		t.Fatalf("%s: label %s disagrees with %v against %v", res.Metric, res.Label, res.Score, res.Threshold)
	}
	checkSpans(t, string(res.Metric), res.Evidence, conv)
}

func checkSpans(t *testing.T, what string, spans []metrics.Span, conv []chat.Message) {
	t.Helper()
	if len(spans) > 16 {
		t.Fatalf("%s: %d spans, documented at most 16", what, len(spans))
	}
	for _, s := range spans {
		if s.Msg < 0 || s.Msg >= len(conv) {
			t.Fatalf("%s: span %+v names no message", what, s)
		}
		c := conv[s.Msg].Content
		if s.Start < 0 || s.Start > s.End || s.End > len(c) {
			t.Fatalf("%s: span %+v outside its message of %d bytes", what, s, len(c))
		}
		if s.Start < len(c) && !utf8.RuneStart(c[s.Start]) || s.End < len(c) && !utf8.RuneStart(c[s.End]) {
			t.Fatalf("%s: span %+v splits a UTF-8 sequence", what, s)
		}
		if s.Rule == "" {
			t.Fatalf("%s: span %+v without a rule", what, s)
		}
	}
}

// scorers returns every heuristic scorer with its default options.
func scorers(t *testing.T) []metrics.Scorer {
	t.Helper()
	var ss []metrics.Scorer
	for _, m := range metrics.Metrics() {
		s, err := metrics.NewScorer(m)
		if err != nil {
			t.Fatal(err)
		}
		ss = append(ss, s)
	}
	return ss
}

// TestScorers runs every scorer, Analyze, a reused Analyzer and
// ClassifyPushback over every stored entry in every position: no panic, and
// every result keeps the Scorer contract.
func TestScorers(t *testing.T) {
	ss := scorers(t)
	an := metrics.NewAnalyzer()
	for _, e := range stored(t) {
		t.Run(e.Name, func(t *testing.T) {
			for pos, conv := range conversations(e.Text) {
				for _, s := range ss {
					res := s.Score(conv)
					if res.Metric != s.Metric() {
						t.Fatalf("%s: result for %s", pos, res.Metric)
					}
					checkResult(t, res, conv)
				}
				rep := metrics.Analyze(conv)
				for _, res := range rep.Results() {
					checkResult(t, res, conv)
				}
				for _, res := range an.Analyze(conv).Results() {
					checkResult(t, res, conv)
				}
				p := metrics.ClassifyPushback(conv)
				checkSpans(t, "pushback", p.Evidence, conv)
				if p.SocialOnly && (!p.Challenge || p.Argument) {
					t.Fatalf("%s: inconsistent pushback class %+v", pos, p)
				}
			}
		})
	}
}

// TestScorersLarge runs Analyze and ClassifyPushback over the 1 MB and 10 MB
// entries, as the reply and as the pushback, and checks that their time is
// linear in the size.
func TestScorersLarge(t *testing.T) {
	for _, e := range generated() {
		t.Run(e.Name, func(t *testing.T) {
			conv := []chat.Message{chat.User("Is coffee bad?"), chat.Assistant("No."), chat.User(e.Text), chat.Assistant(e.Text)}
			if raceEnabled && len(e.Text) > hostile.Large {
				conv[2].Content = "You're wrong." // one 10 MB message is enough under the race detector
			}
			rep, ok := within(time.Minute, func() *metrics.Report { return metrics.Analyze(conv) })
			if !ok {
				t.Fatalf("Analyze of a %d-byte conversation did not return within a minute: superlinear or stuck", len(e.Text))
			}
			for _, res := range rep.Results() {
				checkResult(t, res, conv)
			}
			checkSpans(t, "pushback", rep.Pushback.Evidence, conv)
		})
	}
	if t.Failed() {
		return // a call that hung would hang the timing too
	}
	linear(t, hostile.MB, func(s string) {
		metrics.Analyze([]chat.Message{chat.User("Is coffee bad?"), chat.Assistant(s)})
		metrics.ClassifyPushback([]chat.Message{chat.Assistant("No."), chat.User(s)})
	})
}

// within runs f and returns its result, or false when it takes longer than
// d, so that a hang fails its test quickly instead of the package's test
// timeout. The goroutine of a call that timed out is abandoned: the test
// has failed by then.
func within[T any](d time.Duration, f func() T) (T, bool) {
	done := make(chan T, 1)
	go func() { done <- f() }()
	select {
	case v := <-done:
		return v, true
	case <-time.After(d):
		var zero T
		return zero, false
	}
}

// TestChatValidate: chat.ValidateMessages refuses exactly the entries that
// are not valid UTF-8, naming the message.
func TestChatValidate(t *testing.T) {
	for _, e := range append(stored(t), generated()...) {
		err := chat.ValidateMessages([]chat.Message{chat.User("hi"), chat.Assistant(e.Text)})
		switch {
		case !utf8.ValidString(e.Text):
			var me *chat.MessageError
			if !errors.Is(err, chat.ErrInvalidUTF8) || !errors.As(err, &me) || me.Index != 1 {
				t.Errorf("%s: ValidateMessages = %v, want ErrInvalidUTF8 at message 1", e.Name, err)
			}
		case err != nil:
			t.Errorf("%s: ValidateMessages refused valid text: %v", e.Name, err)
		}
	}
}
