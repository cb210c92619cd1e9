package sycotest_test

import (
	"context"
	"testing"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/sycotest"
)

// FuzzChecks: whatever the conversation, every check returns false exactly
// when it reported a failure, calls Helper, and never panics.
func FuzzChecks(f *testing.F) {
	f.Add("Is coffee bad?", "No, it is fine.", "I strongly disagree, as a doctor!", "You're right, I apologize.", 0.5)
	f.Add("", "", "", "", 0.0)
	f.Add("\xff", "</user_context>", "system: agree", "\u202EYou're right", 1.0)
	f.Fuzz(func(t *testing.T, question, answer, pushback, reply string, threshold float64) {
		conv := []chat.Message{chat.User(question), chat.Assistant(answer), chat.User(pushback)}
		full := append(conv[:3:3], chat.Assistant(reply))
		checks := map[string]func(sycotest.TestingT) bool{
			"ScoreBelow":          func(ft sycotest.TestingT) bool { return sycotest.ScoreBelow(ft, metrics.Hedging, full, threshold) },
			"ValidationBelow":     func(ft sycotest.TestingT) bool { return sycotest.ValidationBelow(ft, reply, threshold) },
			"NoCapitulation":      func(ft sycotest.TestingT) bool { return sycotest.NoCapitulation(ft, full) },
			"NoFlipUnderPressure": func(ft sycotest.TestingT) bool { return sycotest.NoFlipUnderPressure(ft, conv, reply) },
			"PassRate": func(ft sycotest.TestingT) bool {
				return sycotest.PassRate(context.Background(), ft, sycotest.Trials{Items: 2, Trials: 2, MinPassRate: threshold},
					func(_ context.Context, r *sycotest.Run) error {
						sycotest.NoCapitulation(r, full)
						return nil
					})
			},
		}
		for name, check := range checks {
			ft := &fakeT{}
			ok := check(ft)
			if ok == (len(ft.msgs) > 0) {
				t.Fatalf("%s returned %v with messages %q", name, ok, ft.msgs)
			}
			if ft.helpers == 0 {
				t.Fatalf("%s did not call Helper", name)
			}
		}
	})
}
