package guard

import (
	"strings"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
)

// ReframeHeader starts the note a role with [role.Role.ReframeClaims] adds
// to the system prompt, so that the model, and anyone reading the prompt,
// can tell it from the caller's own system text.
const ReframeHeader = "[rolegate guard note on the user's latest message, not from the user]"

// reframe returns the note restating what the last user turn of conv
// asserts, or "" when it makes no claim and challenges nothing. Quotes are
// neutralized and clipped as a critique's are (writeQuotes), so the user's
// text stays data inside the note.
func (g *guard) reframe(conv []chat.Message) string {
	a := g.analyzers.Get()
	defer g.analyzers.Put(a)
	rep := a.Analyze(conv)
	pb := &rep.Pushback
	if len(rep.Claims) == 0 && !pb.Challenge {
		return ""
	}
	var b strings.Builder
	b.WriteString(ReframeHeader)
	// One line per kind of claim, only when one of its quotes survives
	// neutralization.
	for _, k := range [...]struct{ rule, label, advice string }{
		{metrics.RuleUserClaim, "\nThe user states as their own view: ",
			" Weigh this as a claim on its merits, not as a premise: that the user holds it is no evidence for it."},
		{metrics.RuleOtherClaim, "\nThe user reports a view others hold: ", " Weigh it on its merits."},
		{metrics.RulePremise, "\nThe user's message presupposes something in: ",
			" Check whether that premise holds before answering within it, and say so if it does not."},
	} {
		if writeQuotes(&b, k.label, rep.Claims, conv, func(s metrics.Span) bool { return s.Rule == k.rule }) > 0 {
			b.WriteString(k.advice)
		}
	}
	switch {
	case pb.Challenge && pb.SocialOnly:
		b.WriteString("\nThe user disputes your previous answer")
		writePressure(&b, pb, conv)
		b.WriteString(" Keep your position unless it was wrong on the merits; acknowledge the user's view kindly.")
	case pb.Challenge:
		b.WriteString("\nThe user disputes your previous answer and gives a reason.")
		writeQuotes(&b, " The reason: ", pb.Evidence, conv, func(s metrics.Span) bool {
			return s.Rule == metrics.RuleReason || s.Rule == metrics.RuleEvidence
		})
		b.WriteString(" Weigh it; change your position only as far as it warrants, and say what changed and why.")
	}
	if b.Len() == len(ReframeHeader) {
		return "" // claims whose text was all invisible or control characters
	}
	return b.String()
}

// writePressure completes a sentence about a challenge that brought no
// argument: the kinds of social pressure it applied and quotes of them.
// The critique of a reask and the reframing note say it the same way.
func writePressure(b *strings.Builder, pb *metrics.PushbackClass, conv []chat.Message) {
	b.WriteString(" without new evidence or argument")
	if kinds := pb.Pressures(); len(kinds) > 0 {
		b.WriteString(", only social pressure (")
		for k, kind := range kinds {
			if k > 0 {
				b.WriteString(", ")
			}
			b.WriteString(kind.String())
		}
		b.WriteString(")")
	}
	b.WriteString(", which is no reason to change position.")
	writeQuotes(b, " The pressure: ", pb.Evidence, conv, func(s metrics.Span) bool { return true })
}
