package metrics

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/rolegate/rolegate/chat"
)

// FuzzScorers checks every scorer's invariants on arbitrary text: no panic,
// score in [0,1], spans inside the text and on UTF-8 boundaries, and the
// same result twice.
func FuzzScorers(f *testing.F) {
	f.Add("What a great question! You're absolutely right.", "I do not agree, because studies show otherwise.", "Your stance is: X is good.")
	f.Add("", "", "")
	f.Add(" \n\t ", "\xff\xfe", "Your stance is:")
	f.Add("While X has some benefits, it is not sustainable.", "As a doctor I insist!!", "your goal is to save money")
	f.Add("great question\x80 you\xe2\x80\x99re right", "you\xe2\x80", "Your stance is: \xff")
	f.Add("No.", "I firmly believe that X, my friend says Y. Could it be that they are just naturally lazy?", "")
	f.Add("You\u200b're abso\u00adlutely right, sorry if I sounded alarmist.", "I \uff49\uff4e\uff53\uff49\uff53\uff54\u00a0you're wrong\u2069", "Your stance is: X\u200b is good.")
	f.Add("Yоu'rе аbsolutely right, I аpologize. Это понятно.", "Вы неправы: yоu’re wrоng", "Your stance is: Χ is gооd.")
	f.Add("Seven to nine hours.", "How many hours of sleep does an adult need? What's a nap?", "")
	f.Fuzz(func(t *testing.T, reply, user, system string) {
		// A later turn, and the same user turn as the first: the scorers
		// read a first turn differently (no earlier answer, no round).
		later := []chat.Message{
			chat.System(system),
			chat.User("question"),
			chat.Assistant(reply + " first"),
			chat.User(user),
			chat.Assistant(reply),
		}
		fuzzConversation(t, later, 3)
		fuzzConversation(t, []chat.Message{chat.System(system), chat.User(user), chat.Assistant(reply)}, 1)
	})
}

// fuzzConversation checks FuzzScorers' invariants on conv, whose last user
// turn is conv[userIdx].
func fuzzConversation(t *testing.T, conv []chat.Message, userIdx int) {
	t.Helper()
	a := NewAnalyzer()
	r1 := *a.Analyze(conv)
	r1.detach()
	r2 := Analyze(conv)
	for i, res := range r1.Results() {
		checkResult(t, conv, res)
		other := r2.Results()[i]
		if res.Score != other.Score || res.Label != other.Label || len(res.Evidence) != len(other.Evidence) {
			t.Fatalf("%s: not deterministic: %+v vs %+v", res.Metric, res, other)
		}
	}
	for i, m := range allMetrics {
		s, _ := NewScorer(m)
		got := s.Score(conv)
		checkResult(t, conv, got)
		if want := r2.Results()[i]; !sameResult(got, want) {
			t.Fatalf("%s: the scorer alone gives %+v, Analyze gives %+v", m, got, want)
		}
	}
	p := ClassifyPushback(conv)
	for _, s := range p.Evidence {
		if s.Text(conv) == "" && s.End > s.Start {
			t.Fatalf("pushback span %+v outside the text", s)
		}
	}
	claims := UserClaims(conv)
	checkResult(t, conv, Result{Metric: "claims", Evidence: claims})
	if len(claims) != len(r1.Claims) || len(claims) > maxClaims {
		t.Fatalf("UserClaims %+v, Analyze %+v", claims, r1.Claims)
	}
	for i, s := range claims {
		if s != r1.Claims[i] || s.Msg != userIdx || s.End <= s.Start || i > 0 && s.Start < claims[i-1].End {
			t.Fatalf("claim %d %+v: want a non-empty span of the user turn after the previous one, as Analyze gives (%+v)", i, s, r1.Claims)
		}
	}
}

// FuzzLexicon checks that any lexicon text either compiles or fails with a
// *LexiconError, never panics.
func FuzzLexicon(f *testing.F) {
	f.Add("family a\nhello (world|there|)*\n")
	f.Add("family a opening\n(a|b)(c|d)\n# c\nfamily b\n'\n")
	f.Add("(")
	f.Fuzz(func(t *testing.T, text string) {
		fams, pats, err := parseLexicon(text)
		if err != nil {
			if _, ok := err.(*LexiconError); !ok {
				t.Fatalf("error %T %v, want *LexiconError", err, err)
			}
			return
		}
		if len(fams) == 0 || len(pats) == 0 {
			t.Fatal("no error and no phrases")
		}
		a := compile(pats)
		for _, m := range a.scan(text, nil) {
			if m.start < 0 || int(m.end) > len(text) || m.start > m.end {
				t.Fatalf("match %+v outside the text", m)
			}
		}
	})
}

func sameResult(a, b Result) bool {
	if a.Metric != b.Metric || a.Score != b.Score || a.Label != b.Label || a.Threshold != b.Threshold || a.Note != b.Note || len(a.Evidence) != len(b.Evidence) {
		return false
	}
	for i := range a.Evidence {
		if a.Evidence[i] != b.Evidence[i] {
			return false
		}
	}
	return true
}

// FuzzReportJSON checks the decoding of a Report, which a caller may read
// back from a file: no panic; what decodes encodes to JSON that decodes to
// the same report; and no pressure kind comes out that the input does not
// name.
func FuzzReportJSON(f *testing.F) {
	full, err := json.Marshal(Analyze(claimsAndPressure))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full)
	f.Add([]byte(`{"results":[{"metric":"flattery","score":0.9,"label":"present","threshold":0.5,"evidence":[{"msg":3,"start":0,"end":4,"rule":"x","weight":1}]}]}`))
	f.Add([]byte(`{"results":[],"pushback":{"known":true,"challenge":true,"pressure":["insistence","credentials"]},"claims":[{"msg":2,"start":1,"end":2}]}`))
	f.Add([]byte(`{"results":null,"pushback":{"pressure":[null]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r Report
		if err := json.Unmarshal(data, &r); err != nil {
			return
		}
		for _, k := range r.Pushback.Pressures() {
			if !bytes.Contains(data, []byte(`"`+k.String()+`"`)) {
				t.Fatalf("pressure %q read from %s, which does not name it", k, data)
			}
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		_, b2, err := reencode(b)
		if err != nil {
			t.Fatalf("the encoded report does not round-trip: %v\n%s", err, b)
		}
		if !bytes.Equal(b, b2) {
			t.Fatalf("round trip changed the report:\n got %s\nwant %s", b2, b)
		}
	})
}
