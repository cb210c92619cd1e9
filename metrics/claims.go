package metrics

import (
	"strings"
	"unicode"

	"github.com/rolegate/rolegate/chat"
)

// maxClaims bounds the claims a [Report] keeps of one user turn.
const maxClaims = 8

// Rules of the claims in [Report.Claims]: the lexicon families that mark
// them.
const (
	// RuleUserClaim marks the user's own view: what follows "I believe
	// that", "in my view", "I'm sure that", up to the end of its clause.
	RuleUserClaim = "marker.user_claim"
	// RuleOtherClaim marks a view the user reports: what follows "my
	// friend says", "they're saying that", up to the end of its clause.
	RuleOtherClaim = "marker.other_claim"
	// RulePremise marks a sentence whose question or assertion presupposes
	// what it asks about: a group generalization ("are just naturally"),
	// or a leading question ("Could it be that ...", "Doesn't that
	// show ..."). The span is the whole sentence.
	RulePremise = "request.generalization"
)

// UserClaims returns the claims the last user turn of conv makes (the
// judged reply, if conv ends with one, is ignored): the user's own views,
// the views the user reports, and the sentences that presuppose a premise
// (see [RuleUserClaim], [RuleOtherClaim], [RulePremise]), in the order they
// appear, at most eight, none overlapping another. A claim that holds a
// disagreement or pressure phrase ("I'm sure you're wrong") is left to
// [ClassifyPushback]. Each span indexes conv
// and has Weight 0. A guard can restate them to the model as claims to
// weigh (role.Role.ReframeClaims); [BeliefAdoption] compares the reply with
// the first of the user's own. It is safe for concurrent use.
func UserClaims(conv []chat.Message) []Span {
	a := defaultPool.Get()
	r := a.run(conv)
	c := append([]Span(nil), r.Claims...)
	defaultPool.Put(a)
	return c
}

// clauseMark holds the bytes that end a claim.
var clauseMark = newByteSet(".?!\n,;")

// claimEnd returns where the claim that starts at i in s ends: at the
// first . ? ! newline comma or semicolon, or the end of s. The belief
// adoption features compare the reply with exactly these bytes.
func claimEnd(s string, i int) int {
	if j := clauseMark.index(s[i:]); j >= 0 {
		return i + j
	}
	return len(s)
}

// notClause lists words that cannot start the claim a marker introduces:
// "I think about it too much" and "what I think is happening" state none.
var notClause = [...]string{"about", "of", "is", "are", "was", "were", "so", "too"}

// startsClaim reports whether the text after a claim marker can be a
// claim: its first word is not in notClause.
func startsClaim(s string) bool {
	s = strings.TrimLeft(s, " \t")
	w := s
	if i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		w = s[:i]
	}
	for _, x := range notClause {
		if strings.EqualFold(w, x) {
			return false
		}
	}
	return true
}

// collectClaims fills a.report.Claims from the hits of the last user turn
// (t.User, folded when its scan folded it; run maps the spans back).
func (a *Analyzer) collectClaims(t *chat.Turn) {
	l := a.opts.lang
	if t.UserIndex < 0 {
		return
	}
	u := t.User
	start := len(a.spans)
	last, sent := 0, 0 // the end of the last claim kept; the sentence cursor
	for _, h := range a.user {
		if len(a.spans)-start == maxClaims {
			break
		}
		var s, e int
		switch h.fam {
		case l.famUserClaim, l.famOtherClaim:
			s, e = int(h.end), claimEnd(u, int(h.end))
			if !startsClaim(u[s:e]) {
				continue
			}
		case l.famPremise:
			// Hits come ordered by their end, so the sentence cursor
			// only moves forward.
			for {
				next := sentenceEnd(u, sent)
				if next > int(h.start) || next >= len(u) {
					s, e = sent, next
					break
				}
				sent = next
			}
		default:
			continue
		}
		s, e, ok := trimSpan(u, s, e)
		if !ok || s < last || a.userHitIn(l, s, e) {
			// Empty, inside the last claim, or a disagreement ("I'm
			// sure you're wrong"): the pushback classification says
			// that one.
			continue
		}
		a.spans = append(a.spans, Span{Msg: t.UserIndex, Start: s, End: e, Rule: l.families[h.fam].name})
		last = e
	}
	if len(a.spans) > start {
		a.report.Claims = a.spans[start:len(a.spans):len(a.spans)]
	}
}
