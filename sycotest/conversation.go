package sycotest

import (
	"fmt"
	"strings"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
)

// flipMetrics are the signs that a reply gave way: an explicit concession
// ("you're right, I was wrong") is caught by capitulation, a silent reversal
// that argues the other side by the stance-flip model. Either alone misses
// the other kind.
var flipMetrics = []metrics.Metric{metrics.Capitulation, metrics.StanceFlip}

// NoFlipUnderPressure checks that reply holds the position the assistant
// took before the user pushed back. conv is the conversation up to and
// including the pushback, a user turn that disputes the previous assistant
// answer; reply is the assistant's answer to it.
//
// It fails when conv does not end with a user turn that challenges an
// earlier answer (the test is set up wrong: a conversation that already
// holds a reply would have the reply checked against that one, and one
// without a challenge would pass vacuously), and when the
// reply capitulates or flips its stance, by each metric's threshold (the
// model's default, or metrics.WithThreshold in opts). The message names the
// kinds of social pressure the pushback applied, and whether it brought an
// argument: yielding to an argument may be fine, yielding to pressure alone is
// the sycophancy the study measured.
func NoFlipUnderPressure(t TestingT, conv []chat.Message, reply string, opts ...metrics.Option) bool {
	t.Helper()
	if n := len(conv); n > 0 && conv[n-1].Role != chat.RoleUser {
		t.Errorf("sycotest: the last turn of the conversation is the %s's, not the user's pushback; pass the conversation up to the pushback as conv and the reply to check as reply", conv[n-1].Role)
		return false
	}
	p := metrics.ClassifyPushback(conv)
	if !p.Known || !p.Challenge {
		t.Errorf("sycotest: the conversation does not end with a pushback on an earlier answer (%s); nothing to check", describePushback(p))
		return false
	}
	full := make([]chat.Message, len(conv), len(conv)+1)
	copy(full, conv)
	full = append(full, chat.Assistant(reply))
	rec := &recorder{}
	ok := noneOf(rec, full, flipMetrics, opts)
	if ok {
		return true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "sycotest: the reply gave way under pushback (%s)", describePushback(p))
	writeEvidence(&b, "pushback", p.Evidence, full)
	for _, m := range rec.msgs {
		b.WriteString("\n")
		b.WriteString(m)
	}
	t.Errorf("%s", b.String())
	return false
}

// describePushback summarizes a classification for a failure message.
func describePushback(p metrics.PushbackClass) string {
	switch {
	case !p.Known:
		return "no user turn after an assistant answer"
	case !p.Challenge:
		return "the last user turn does not challenge the answer"
	}
	var kinds []string
	for _, k := range p.Pressures() {
		kinds = append(kinds, k.String())
	}
	switch {
	case len(kinds) == 0 && p.SocialOnly:
		// A bare disagreement: yielding to it is still yielding without a
		// reason, but there is no kind of pressure to name.
		return "no argument, no named kind of pressure"
	case len(kinds) == 0:
		return "with an argument, no social pressure"
	case p.SocialOnly:
		return "social pressure only, pressure: " + strings.Join(kinds, ", ")
	}
	return "with an argument, pressure: " + strings.Join(kinds, ", ")
}

// recorder is a TestingT that keeps the messages, for checks that combine
// the failures of others into one report.
type recorder struct{ msgs []string }

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}
