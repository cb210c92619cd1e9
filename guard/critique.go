package guard

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/persona"
	"github.com/rolegate/rolegate/role"
)

// CritiqueHeader starts every critique the guard sends on a reask, so that
// the model, and anyone reading a transcript, can tell it from the user.
const CritiqueHeader = "[rolegate guard review, not from the user]"

// Limits on what a critique quotes: a few short pieces of evidence per
// check, enough to show the model what went wrong without repeating it.
const (
	maxQuotes     = 3
	maxQuoteBytes = 120
)

// advice says, per metric, what the violation means and what to do instead.
var advice = map[metrics.Metric]string{
	metrics.EmotionalValidation:     "the answer puts validating the user's feelings ahead of substance. Keep the empathy brief and give your honest assessment.",
	metrics.Hedging:                 "the answer hedges where a clear position is warranted. State your assessment and recommendation directly.",
	metrics.Openness:                "the answer's openness score is past the role's threshold. Commit to a clear position where the evidence supports one.",
	metrics.Capitulation:            "the answer concedes or apologizes without a reason to. Concede only a point that was actually shown to be wrong, and say which.",
	metrics.Flattery:                "the answer flatters the user. Drop the praise and address the substance.",
	metrics.FramingAcceptance:       "the answer works inside the question's assumptions. Examine whether the premise holds, say so if it does not, and offer another view.",
	metrics.BeliefAdoption:          "the answer adopts the claim the user stated without weighing it. Assess the claim on its merits and say where it is wrong.",
	metrics.Pushback:                "the conversation's last user turn is a challenge past the role's threshold. Answer it on the merits.",
	metrics.StanceFlip:              "the answer abandons the position you held before. Keep it, acknowledge the user's view kindly, and change it only for a new argument or evidence, saying which one.",
	metrics.PreferenceAccommodation: "the answer gives up the user's goal to accommodate the conflicting preference. Keep what the goal requires while being kind about the difficulty.",
}

// critique writes the follow-up instruction for a reask: for every violated
// check whose action is Reask, its name, what it means,
// and quotes of the evidence for the behaviour (metrics.Result.Supporting)
// from the answer, from the user's turns and from earlier answers (a
// judge's spans can point there); evidence in a system
// message is not quoted. Quoted
// text is neutralized (persona.Neutralize) and clipped, so neither the
// answer nor the user's text can act as instructions inside the critique.
func critique(checks []CheckResult, pb *metrics.PushbackClass, conv []chat.Message, reply string) string {
	var b strings.Builder
	b.WriteString(CritiqueHeader)
	b.WriteString(" Your previous answer was held back and not shown to the user because it failed the checks below. " +
		"Write a new answer to the user's last message that fixes them. Address the user directly and do not mention this review.\n")
	replyIdx := len(conv)
	n := 0
	for i := range checks {
		c := &checks[i]
		if c.Status != StatusViolation || c.Action != role.Reask {
			continue
		}
		n++
		src := ""
		if c.Source == FromJudge {
			src = " (judge)"
		}
		if c.Label == metrics.Unknown {
			// The note may hold a judge's error, which is for the
			// operator (the verdict keeps it whole): clipped like a quote.
			fmt.Fprintf(&b, "\n%d. %s%s could not be checked (%s). Give a complete, substantive answer.", n, c.Metric, src, clip(persona.Neutralize(c.Note), maxQuoteBytes))
			continue
		}
		// The scores stay in the verdict: to the model they are noise, the
		// check's name, meaning and evidence are what it can act on.
		fmt.Fprintf(&b, "\n%d. %s%s: ", n, c.Metric, src)
		if a, ok := advice[c.Metric]; ok {
			b.WriteString(a)
		} else {
			b.WriteString("the check's score is at or above the role's threshold.")
		}
		if role.Yielding(c.Metric) && pb.Known && pb.SocialOnly {
			b.WriteString(" The user's last message pushed back")
			writePressure(&b, pb, conv)
		}
		// Each quote is labelled by where it is; a judge may point
		// anywhere in the conversation, but the caller's system prompt is
		// not the user's and is not quoted back to the model.
		inReply := func(s metrics.Span) bool { return s.Msg == replyIdx }
		in := func(r chat.Role) func(metrics.Span) bool {
			return func(s metrics.Span) bool { return s.Msg < replyIdx && conv[s.Msg].Role == r }
		}
		// Only the evidence for the behaviour, strongest first: a phrase
		// that lowered the score ("I stand by ...") quoted here would ask
		// the model to drop it.
		ev := c.Supporting()
		writeQuotes(&b, " Evidence in your answer: ", ev, append(conv[:len(conv):len(conv)], chat.Assistant(reply)), inReply)
		writeQuotes(&b, " Evidence in the user's message: ", ev, conv, in(chat.RoleUser))
		writeQuotes(&b, " Evidence in your earlier answer: ", ev, conv, in(chat.RoleAssistant))
	}
	return b.String()
}

// writeQuotes appends up to maxQuotes distinct, neutralized, clipped quotes
// of the spans that keep selects, after label, and returns how many it
// wrote; nothing when there are none (a span whose text neutralizes to
// nothing is no quote).
func writeQuotes(b *strings.Builder, label string, spans []metrics.Span, conv []chat.Message, keep func(metrics.Span) bool) int {
	var seen [maxQuotes]string
	n := 0
	for _, s := range spans {
		if n == maxQuotes || !keep(s) {
			continue
		}
		q := clip(persona.Neutralize(s.Text(conv)), maxQuoteBytes)
		if q == "" || contains(seen[:n], q) {
			continue
		}
		if n == 0 {
			b.WriteString(label)
		} else {
			b.WriteString("; ")
		}
		fmt.Fprintf(b, "%q", q)
		seen[n] = q
		n++
	}
	if n > 0 {
		b.WriteString(".")
	}
	return n
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// clip shortens s to at most n bytes at a rune boundary, marking the cut
// with an ellipsis.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
