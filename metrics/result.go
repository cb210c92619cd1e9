package metrics

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/rolegate/rolegate/chat"
)

// Metric names one of the study's measurements.
type Metric string

// The heuristic metrics. Directions: for every metric but [Openness] and
// [Pushback] a higher score means more of the named behaviour, and for all
// of them but [Openness] "more" is the sycophantic side; see each scorer's
// documentation for its definition and source.
const (
	EmotionalValidation     Metric = "emotional_validation"
	Hedging                 Metric = "hedging"
	Openness                Metric = "openness"
	Capitulation            Metric = "capitulation"
	Flattery                Metric = "flattery"
	FramingAcceptance       Metric = "framing_acceptance"
	BeliefAdoption          Metric = "belief_adoption"
	Pushback                Metric = "pushback"
	StanceFlip              Metric = "stance_flip"
	PreferenceAccommodation Metric = "preference_accommodation"
)

// Label is a scorer's decision against its threshold. The zero value is
// [Unknown]: a check that cannot decide says so instead of passing.
type Label int8

// Labels.
const (
	Unknown Label = iota // the scorer could not decide (no reply, nothing to compare, unreadable input)
	Absent               // the behaviour is not present
	Present              // the behaviour is present
)

var labelNames = [...]string{Unknown: "unknown", Absent: "absent", Present: "present"}

// String returns "unknown", "absent" or "present".
func (l Label) String() string {
	if l >= 0 && int(l) < len(labelNames) {
		return labelNames[l]
	}
	return fmt.Sprintf("Label(%d)", int8(l))
}

// MarshalText encodes the label as its name.
func (l Label) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText decodes a label name.
func (l *Label) UnmarshalText(b []byte) error {
	for i, n := range labelNames {
		if n == string(b) {
			*l = Label(i)
			return nil
		}
	}
	return fmt.Errorf("metrics: unknown label %q", b)
}

// Span is one piece of evidence: the bytes [Start, End) of message Msg of the
// scored conversation, the rule that fired there and the weight it added to
// the score (in log-odds). Spans always lie inside the message and on UTF-8
// boundaries.
//
// Rule is a phrase family of the lexicon ("concede.you_are_right") or,
// starting with "@", a computed feature that carried at least 0.25 of
// weight ("@challenge.first": no challenge early in the reply), whose span
// is what it read: the reply's opening (its first two sentences), its first
// question, or the opening of the user turn. A present label that no
// phrase and no such feature explains (its score comes from many small
// contributions) shows the computed feature that carried the most.
type Span struct {
	Msg    int     `json:"msg"`
	Start  int     `json:"start"`
	End    int     `json:"end"`
	Rule   string  `json:"rule"`
	Weight float64 `json:"weight"`
}

// Text returns the evidence text from conv, or "" when the span does not fit.
func (s Span) Text(conv []chat.Message) string {
	if s.Msg < 0 || s.Msg >= len(conv) {
		return ""
	}
	c := conv[s.Msg].Content
	if s.Start < 0 || s.End > len(c) || s.Start > s.End {
		return ""
	}
	return c[s.Start:s.End]
}

// Result is one scorer's verdict on one conversation.
type Result struct {
	Metric    Metric  `json:"metric"`
	Score     float64 `json:"score"`     // in [0,1]
	Label     Label   `json:"label"`     // Score against Threshold, or Unknown
	Threshold float64 `json:"threshold"` // the threshold Label was decided against
	Evidence  []Span  `json:"evidence,omitempty"`
	// Note explains an Unknown label or a notable decision, for people.
	Note string `json:"note,omitempty"`
}

// Supporting returns the evidence that speaks for the behaviour, strongest
// first: the spans of r.Evidence that added weight to the score, then those
// that carry none (a judge's quotes), in their order. The spans that lowered
// the score ("I stand by my answer" in a capitulation score) are left out:
// they explain why the score is not higher, and quoted as the reason for a
// present label they would say the opposite of what they mean. The result
// is a new slice, in the order of [SortBySupport]; r is not changed.
func (r Result) Supporting() []Span {
	out := slices.Clone(r.Evidence)
	SortBySupport(out)
	for i, s := range out {
		if s.Weight < 0 {
			return out[:i:i]
		}
	}
	return out
}

// SortBySupport sorts spans in place into the order that explains a score:
// first the spans that speak for the behaviour, the one that added the most
// weight first, those with no weight (a judge's quotes) after them and a
// NaN weight last of these; then the spans that lowered the score, the one
// that lowered it most first. Spans of equal weight keep their order.
func SortBySupport(spans []Span) {
	rank := func(s Span) (int, float64) {
		switch {
		case s.Weight < 0:
			return 2, s.Weight // most negative first
		case math.IsNaN(s.Weight):
			return 1, 0
		}
		return 0, -s.Weight // largest first
	}
	slices.SortStableFunc(spans, func(a, b Span) int {
		ga, wa := rank(a)
		gb, wb := rank(b)
		if ga != gb {
			return cmp.Compare(ga, gb)
		}
		return cmp.Compare(wa, wb)
	})
}

// Scorer scores one metric on a conversation whose last message is normally
// the assistant reply being judged. Implementations are deterministic, safe
// for concurrent use, and never panic, whatever the input.
type Scorer interface {
	Metric() Metric
	Score(conv []chat.Message) Result
}
