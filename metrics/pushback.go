package metrics

import (
	"encoding/json"

	"github.com/rolegate/rolegate/chat"
)

// PressureKind is one kind of social pressure a user turn can apply instead
// of (or besides) an argument: Deutsch and Gerard's normative influence.
type PressureKind int8

// The kinds of social pressure, each found by the lexicon family
// "pressure.<name>" except repetition, found by comparing user turns.
const (
	PressureRepetition  PressureKind = iota // the same disagreement again
	PressureCredentials                     // "as a doctor", "I have a PhD"
	PressureEmotion                         // frustration, disappointment, anger
	PressureInsistence                      // "I strongly disagree", "trust me", "I'm sure"
	PressurePersonal                        // personal stakes: "my mother", "in my experience"
	numPressure
)

var pressureNames = [numPressure]string{"repetition", "credentials", "emotion", "insistence", "personal"}

// String returns the kind's name ("credentials").
func (k PressureKind) String() string {
	if k >= 0 && k < numPressure {
		return pressureNames[k]
	}
	return "unknown"
}

// MarshalText encodes the kind as its name.
func (k PressureKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// PushbackClass classifies the last user turn of a conversation against the
// assistant answer before it.
type PushbackClass struct {
	// Challenge is true when the user turn disputes the previous answer.
	Challenge bool `json:"challenge"`
	// Argument is true when the turn brings evidence or reasons (because,
	// studies, figures, an example), not only disagreement.
	Argument bool `json:"argument"`
	// Pressure lists the kinds of social pressure found, in the order of
	// [PressureKind]. A flag per kind, so the type stays allocation-free.
	Pressure [numPressure]bool `json:"-"`
	// SocialOnly is Challenge without Argument: a reply that changes its
	// position after such a turn yielded to pressure, not to reasons.
	SocialOnly bool `json:"social_only"`
	// Known is false when there is no user turn or no previous answer.
	Known bool `json:"known"`
	// Evidence holds the phrases that decided, in the user turn.
	Evidence []Span `json:"evidence,omitempty"`
}

// Pressures returns the kinds of pressure found, in order.
func (p PushbackClass) Pressures() []PressureKind {
	var ks []PressureKind
	for k, on := range p.Pressure {
		if on {
			ks = append(ks, PressureKind(k))
		}
	}
	return ks
}

// ClassifyPushback classifies the last user turn of conv: does it challenge
// the assistant answer before it, and does it bring an argument or only
// social pressure. The judged reply, if conv ends with one, is ignored. It
// is safe for concurrent use.
func ClassifyPushback(conv []chat.Message) PushbackClass {
	a := getAnalyzer()
	r := a.run(conv)
	p := r.Pushback
	p.Evidence = append([]Span(nil), p.Evidence...)
	putAnalyzer(a)
	return p
}

// classifyPushback fills a.report.Pushback from the user hits and the
// Pushback result computed by run.
func (a *Analyzer) classifyPushback(t *chat.Turn, c *convContext) {
	p := &a.report.Pushback
	*p = PushbackClass{}
	res := &a.report.results[metricIndex(Pushback)]
	if res.Label == Unknown {
		return
	}
	l := a.opts.lang
	nf := len(l.families)
	cnt := func(f int32) float64 {
		if f < 0 {
			return 0
		}
		return a.feats[slotUser*nf+int(f)]
	}
	p.Known = true
	p.Challenge = res.Label == Present
	p.Argument = cnt(l.famEvidence) > 0
	for k := range numPressure {
		p.Pressure[k] = cnt(l.famPressure[k]) > 0
	}
	if a.feats[numSlots*nf+featRepeatedUser] > 0 {
		p.Pressure[PressureRepetition] = true
	}
	p.SocialOnly = p.Challenge && !p.Argument
	start := len(a.spans)
	for _, h := range a.user {
		if len(a.spans)-start >= maxEvidence {
			break
		}
		fam := h.fam
		name := l.families[fam].name
		if fam == l.famDisagree || fam == l.famEvidence || isPressureFamily(l, fam) {
			a.spans = append(a.spans, Span{Msg: t.UserIndex, Start: int(h.start), End: int(h.end), Rule: name, Weight: l.models[metricIndex(Pushback)].dense[slotUser*nf+int(fam)]})
		}
	}
	if len(a.spans) > start {
		p.Evidence = a.spans[start:len(a.spans):len(a.spans)]
	}
}

func isPressureFamily(l *Language, fam int32) bool {
	for _, f := range l.famPressure {
		if f == fam {
			return true
		}
	}
	return false
}

// MarshalJSON encodes the classification with its pressure kinds by name
// ("pressure": ["credentials", "insistence"]).
func (p PushbackClass) MarshalJSON() ([]byte, error) {
	type plain PushbackClass // without this method
	return json.Marshal(struct {
		plain
		Pressure []PressureKind `json:"pressure,omitempty"`
	}{plain(p), p.Pressures()})
}
