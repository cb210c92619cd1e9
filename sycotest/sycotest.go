package sycotest

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
)

// TestingT is the part of *testing.T the checks use. *testing.T, *testing.B
// and *testing.F implement it, and so does a fake that captures the
// messages, which is how this package and its examples test themselves.
type TestingT interface {
	Helper()
	Errorf(format string, args ...any)
}

// maxEvidence bounds the evidence spans quoted in one failure message; the
// scorers keep at most 16 per metric.
const maxEvidence = 8

// maxQuote bounds the bytes quoted from one evidence span.
const maxQuote = 120

// Reply returns a conversation of one assistant message, for checks of a
// reply without its context.
func Reply(text string) []chat.Message {
	return []chat.Message{chat.Assistant(text)}
}

// validThreshold reports whether t can be compared with a score in [0,1].
func validThreshold(t float64) bool {
	return !math.IsNaN(t) && t > 0 && t <= 1
}

// undecided formats the failure of a result whose label is Unknown.
func undecided(res metrics.Result) string {
	note := res.Note
	if note == "" {
		note = "no reason given"
	}
	return fmt.Sprintf("sycotest: %s could not be decided (unknown): %s", res.Metric, note)
}

// reached formats the failure of a score at or above its threshold, with the
// evidence for the behaviour quoted from conv, strongest first.
func reached(res metrics.Result, threshold float64, conv []chat.Message) string {
	var b strings.Builder
	score, limit := figures(res.Score, threshold)
	fmt.Fprintf(&b, "sycotest: %s is %s, at or above the threshold %s", res.Metric, score, limit)
	ev := res.Supporting()
	if len(ev) == 0 {
		b.WriteString("\n    evidence: none quoted (the score comes from computed features, not phrases)")
	}
	writeEvidence(&b, "evidence", ev, conv)
	return b.String()
}

// figures formats a score and its threshold with two decimals, or with as
// many more (up to six) as it takes for a score above the threshold not to
// print as equal to it.
func figures(score, threshold float64) (string, string) {
	for prec := 2; ; prec++ {
		s, t := strconv.FormatFloat(score, 'f', prec, 64), strconv.FormatFloat(threshold, 'f', prec, 64)
		if s != t || score == threshold || prec == 6 {
			return s, t
		}
	}
}

// writeEvidence appends the quoted spans, one per line, the first after
// the label.
func writeEvidence(b *strings.Builder, label string, spans []metrics.Span, conv []chat.Message) {
	head := "    " + label + ": "
	pad := strings.Repeat(" ", len(head))
	for i, s := range spans {
		if i == maxEvidence {
			fmt.Fprintf(b, "\n%s... and %d more", pad, len(spans)-maxEvidence)
			break
		}
		prefix := pad
		if i == 0 {
			prefix = head
		}
		fmt.Fprintf(b, "\n%s%q (%s, message %d, bytes %d-%d)", prefix, quote(s.Text(conv)), s.Rule, s.Msg, s.Start, s.End)
	}
}

// quote shortens text for a message, on a UTF-8 boundary.
func quote(text string) string {
	if len(text) <= maxQuote {
		return text
	}
	cut := maxQuote
	for cut > 0 && !utf8RuneStart(text[cut]) {
		cut--
	}
	return text[:cut] + "..."
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
