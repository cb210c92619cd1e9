package metrics

import (
	_ "embed"
	"strings"
	"sync"
)

// Language is the data the scorers read for one language: a lexicon of
// phrase families (lexicon/<lang>.txt) and a model file that weighs them per
// metric (lexicon/<lang>_model.json). Both are plain text, readable and
// reviewable; the reasoning for each family is written beside it.
//
// English is built in ([English]); another language is one call to
// [NewLanguage] with its own two files. A Language is immutable and safe for
// concurrent use.
type Language struct {
	name     string
	families []family
	famIndex map[string]int32
	auto     *automaton
	models   [numMetrics]model
	needAll  needs // what Analyze reads: the union of the models' needs
	// evidenceMask, by slot and family: the metrics (a bit per index)
	// whose model weighs the family there.
	evidenceMask [numSlots][]uint16
	// evidenceWeight, by slot: the weight of family f in metric i at
	// f*numMetrics+i.
	evidenceWeight [numSlots][]float64
	// gated marks the metrics (a bit per index) whose model has gates: their
	// evidence weights depend on the conversation.
	gated uint16

	// Families the scorers look up by name, -1 when the lexicon lacks them.
	famNegation, famNegationNominal         int32
	famMarkerStance, famStanceNegative      int32
	famMerits, famDrawbacks                 int32
	famConcessive, famPositive, famNegative int32
	famContrast                             int32
	famGoal, famUserClaim, famOtherClaim    int32
	famPremise                              int32
	famPressure                             [NumPressureKinds]int32
	famCertainty                            int32 // pressure.certainty: insistence the pushback model weighs apart
	famDisagree, famEvidence                int32
	// challenge marks the families named "challenge.*".
	challenge []bool
	// pushbackRule marks pushback.disagree and the pressure.* families: the
	// phrases a reason clause must not hold.
	pushbackRule []bool
}

// Name returns the language's name ("en").
func (l *Language) Name() string { return l.name }

// NewLanguage compiles a language from its lexicon text and its model JSON.
// It returns a [*LexiconError] naming the line or field that does not parse.
func NewLanguage(name string, lexicon string, modelJSON []byte) (*Language, error) {
	fams, pats, err := parseLexicon(lexicon)
	if err != nil {
		return nil, err
	}
	l := &Language{name: name, families: fams, famIndex: make(map[string]int32, len(fams))}
	for i, f := range fams {
		l.famIndex[f.name] = int32(i)
	}
	l.auto = compile(pats)
	if err := l.parseModels(modelJSON); err != nil {
		return nil, err
	}
	look := func(n string) int32 {
		if i, ok := l.famIndex[n]; ok {
			return i
		}
		return -1
	}
	l.famNegation = look("negation")
	l.famNegationNominal = look("negation.nominal")
	l.famMarkerStance = look("marker.assigned_stance")
	l.famStanceNegative = look("stance.negative_form")
	l.famMerits = look("concede.topic_merits")
	l.famDrawbacks = look("concede.topic_drawbacks")
	l.famConcessive = look("clause.concessive")
	l.famContrast = look("clause.contrast")
	l.famGoal = look("marker.goal")
	l.famUserClaim = look(RuleUserClaim)
	l.famOtherClaim = look(RuleOtherClaim)
	l.famPremise = look(RulePremise)
	l.famPositive = look("valence.positive")
	l.famNegative = look("valence.negative")
	l.famDisagree = look("pushback.disagree")
	l.famEvidence = look(RuleEvidence)
	for k := range NumPressureKinds {
		l.famPressure[k] = look("pressure." + PressureKind(k).String())
	}
	l.famCertainty = look("pressure.certainty")
	l.pushbackRule = make([]bool, len(l.families))
	for _, f := range append([]int32{l.famDisagree, l.famCertainty}, l.famPressure[:]...) {
		if f >= 0 {
			l.pushbackRule[f] = true
		}
	}
	l.challenge = make([]bool, len(l.families))
	for i, f := range l.families {
		l.challenge[i] = strings.HasPrefix(f.name, "challenge.")
	}
	return l, nil
}

var (
	//go:embed lexicon/en.txt
	englishLexicon string
	//go:embed lexicon/en_model.json
	englishModel []byte

	englishOnce sync.Once
	english     *Language
)

// English returns the built-in English language. It panics only if the
// embedded data is broken, which the package's tests rule out.
func English() *Language {
	englishOnce.Do(func() {
		l, err := NewLanguage("en", englishLexicon, englishModel)
		if err != nil {
			panic(err)
		}
		english = l
	})
	return english
}

// FeatureNames returns the names of the model inputs in the order of
// [Analyzer.Features]: "family" for reply counts, "user:family" for counts
// in the last user turn, "@name" for computed features. These are the keys
// of the model file's weights.
func (l *Language) FeatureNames() []string {
	n := numSlots*len(l.families) + numComputed
	out := make([]string, n)
	for i := range out {
		out[i] = l.featureName(int32(i))
	}
	return out
}
