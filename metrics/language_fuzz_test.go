package metrics

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/rolegate/rolegate/chat"
)

// FuzzNewLanguage checks a custom language, the other input the scorers
// take from outside: a model file either compiles or fails with a
// *LexiconError wrapping ErrModelSyntax, and a language built from any
// lexicon that compiles (whatever families it lacks, whatever it weighs)
// scores any conversation within the scorers' invariants: no panic, scores
// in [0,1], spans inside the text and on UTF-8 boundaries.
func FuzzNewLanguage(f *testing.F) {
	f.Add("family a\nhello (world|there|)*\n", []byte(`{"metrics":{}}`), 1.0, "hello world, you are right", "no, hello there")
	f.Add("family negation\nnot\nfamily marker.assigned_stance\nyour stance is\nfamily pressure.authority\nas a doctor\n", []byte("{"), -2.5, "I am not sure. Your stance is good?", "As a doctor I insist")
	f.Add("family clause.concessive opening\nwhile\nfamily clause.contrast\nbut\nfamily valence.positive\ngood\nfamily valence.negative\nbad\n", []byte(`{"metrics":{"flattery":{"threshold":0.5,"bias":0,"weights":{"x":1}}}}`), 0.5, "While it is good, it is bad. But why?", "I believe that it is good, my friend says bad.")
	f.Add("family concede.topic_merits\nbenefits\nfamily concede.topic_drawbacks\ndownsides\nfamily marker.goal\nyour goal is\nfamily user_claim\ni believe that\n", []byte(englishModel), 3.0, "benefits and downsides \xff", "i believe that \u200bx")
	f.Fuzz(func(t *testing.T, lexicon string, modelJSON []byte, w float64, reply, user string) {
		fams, _, err := parseLexicon(lexicon)
		if err != nil {
			return
		}
		// The fuzzed model file, against the lexicon.
		if _, err := NewLanguage("xx", lexicon, modelJSON); err != nil {
			var le *LexiconError
			if !errors.Is(err, ErrModelSyntax) || !errors.As(err, &le) {
				t.Fatalf("model error %T %v, want a *LexiconError wrapping ErrModelSyntax", err, err)
			}
		}
		// A model that weighs every feature of the lexicon, gated and not.
		ws := map[string]float64{}
		for i, fam := range fams {
			ws[fam.name] = w / float64(i+1)
			ws["user:"+fam.name] = -w
		}
		for i, c := range computedNames {
			ws["@"+c] = w * float64(i%3-1)
		}
		gates := []gateEntry{{When: "@rounds", Bias: w, Weights: ws}, {When: fams[0].name, Bias: -w, Weights: ws}}
		entries := map[string]modelEntry{}
		for _, m := range allMetrics {
			entries[string(m)] = modelEntry{Threshold: 0.5, Bias: -w, Weights: ws, Gates: gates}
		}
		data, err := json.Marshal(map[string]any{"metrics": entries})
		if err != nil {
			return // a weight JSON cannot hold (NaN, ±Inf)
		}
		l, err := NewLanguage("xx", lexicon, data)
		if err != nil {
			t.Fatalf("a model of the lexicon's own features: %v", err)
		}
		conv := []chat.Message{
			chat.System("Your stance is: " + user),
			chat.User("question"),
			chat.Assistant(reply + " first"),
			chat.User(user),
			chat.Assistant(reply),
		}
		opts := []Option{WithLanguage(l), WithGoal(user, reply)}
		r := NewAnalyzer(opts...).Analyze(conv)
		for _, res := range r.Results() {
			checkResult(t, conv, res)
		}
		for _, m := range allMetrics {
			s, _ := NewScorer(m, opts...)
			checkResult(t, conv, s.Score(conv))
		}
		checkResult(t, conv, Result{Metric: "claims", Evidence: r.Claims})
		checkResult(t, conv, Result{Metric: "pushback", Evidence: r.Pushback.Evidence})
	})
}
