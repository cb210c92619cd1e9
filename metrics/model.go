package metrics

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/rolegate/rolegate/internal/schemacheck"
)

// Computed features: numbers the scorers derive from the conversation's
// structure rather than from one phrase family. Model files name them with a
// leading "@".
const (
	featQuestions          = iota // question marks in the reply
	featRounds                    // user turns after the first assistant answer, /5, at most 1
	featStanceRestated            // the reply's opening restates the assigned stance without negation
	featStanceNegated             // the reply's opening restates the assigned stance with a negation
	featOpeningAgainst            // opening concession that argues against the assigned stance
	featOpeningFor                // opening concession that keeps the assigned stance
	featSimFirst                  // word overlap (Jaccard) with the first assistant answer
	featSimPrevious               // word overlap (Jaccard) with the previous assistant answer
	featRepeatedUser              // the user turn repeats an earlier user turn
	featGoalOverlap               // share of the goal's words the reply mentions
	featPreferenceOverlap         // share of the preference's words the reply mentions
	featStanceAffirmed            // sentences restating the assigned stance without negation (capped)
	featStanceDenied              // sentences restating the assigned stance with a negation (capped)
	featClaimAffirmed             // sentences restating the user's stated claim without negation (capped)
	featClaimDenied               // sentences restating the user's stated claim with a negation (capped)
	featClaimLean                 // opening overlap with the user's claim minus overlap with the other side's
	featChallengeOpening          // challenge.* phrases in the reply's opening (capped)
	featEchoOpening               // share of the user turn's words the reply's opening repeats, no negation in it
	featEchoNegated               // the same share when the opening holds a negation
	featEchoReply                 // share of the user turn's words the whole reply repeats
	featChallengeNoneLater        // the reply holds no challenge.* phrase and follows the first round
	featLength                    // reply length in bytes / 2000, at most 1
	featChallengeFirst            // where the first challenge.* phrase starts, in bytes / 1000, at most 1 (1 without one)
	featUserReason                // the last user turn holds a reason clause (see ClassifyPushback)
	featUserAsks                  // the last user turn ends with a question
	featUserTopical               // content words the last user turn shares with the previous answer, at most 3, / 3
	featUserAddresses             // the last user turn speaks of the assistant ("you", "your")
	featParagraphsAgainst         // later paragraphs whose opening concession argues against the assigned stance (capped)
	numComputed
)

var computedNames = [numComputed]string{
	featQuestions:          "questions",
	featRounds:             "rounds",
	featStanceRestated:     "stance.restated",
	featStanceNegated:      "stance.negated",
	featOpeningAgainst:     "stance.opening_against",
	featOpeningFor:         "stance.opening_for",
	featSimFirst:           "similarity.first_answer",
	featSimPrevious:        "similarity.previous_answer",
	featRepeatedUser:       "user.repeated",
	featGoalOverlap:        "goal.overlap",
	featPreferenceOverlap:  "preference.overlap",
	featStanceAffirmed:     "stance.affirmed_sentences",
	featStanceDenied:       "stance.denied_sentences",
	featClaimAffirmed:      "claim.affirmed_sentences",
	featClaimDenied:        "claim.denied_sentences",
	featClaimLean:          "claim.lean",
	featChallengeOpening:   "challenge.opening",
	featEchoOpening:        "user.echo_opening",
	featEchoNegated:        "user.echo_negated",
	featEchoReply:          "user.echo_reply",
	featChallengeNoneLater: "challenge.none_later",
	featLength:             "length",
	featChallengeFirst:     "challenge.first",
	featUserReason:         "user.reason",
	featUserAsks:           "user.asks",
	featUserTopical:        "user.topical",
	featUserAddresses:      "user.addresses",
	featParagraphsAgainst:  "stance.paragraphs_against",
}

// computedRules are the computed features' names as evidence rules ("@name"),
// built once so that evidence costs no allocation.
var computedRules = func() (r [numComputed]string) {
	for i, n := range computedNames {
		r[i] = "@" + n
	}
	return r
}()

// countCap bounds how much one family can add: the third hit of a family
// counts, the tenth does not, so long replies do not win by repetition.
const countCap = 3

// Feature slots: phrase counts in the reply, phrase counts in the last user
// turn, then the computed features.
const (
	slotReply = iota
	slotUser
	numSlots
)

// model is a logistic model for one metric: Score = sigmoid(bias + sum of
// weight x feature), Label = Score >= threshold.
type model struct {
	defined   bool
	bias      float64
	threshold float64
	precise   float64 // threshold for callers that act on Present (precision >= 0.8 on dev)
	feats     []int32 // feature index: slot*nfam+family, or numSlots*nfam+computed
	weights   []float64
	dense     []float64 // weight by feature index, 0 when unused (evidence lookup)
	source    string
	needs     needs // the parts of the analysis this metric reads
	gates     []gate
	shown     []int32 // computed features the model weighs that have a span to show (shownFeatures)
}

// gate is a sub-model that adds its bias and weights to its metric's when
// one feature of the conversation is positive (the reply follows a round of
// pushback, the user turn generalizes about a group): the same phrase can
// weigh differently in a first answer and under pressure.
type gate struct {
	when    int32 // feature index that switches the gate on when > 0
	bias    float64
	feats   []int32
	weights []float64
	dense   []float64
}

// weightOf is the weight of feature idx in m given the active gates (a bit
// per gate).
func (m *model) weightOf(idx int32, active uint8) float64 {
	w := m.dense[idx]
	for g := range m.gates {
		if active&(1<<g) != 0 {
			w += m.gates[g].dense[idx]
		}
	}
	return w
}

// maxGates bounds the gates of one model (their activity is a bit mask).
const maxGates = 8

// needs says which parts of the analysis a metric reads, so that a scorer
// of one metric skips the rest (the results are the same as [Analyze]'s).
type needs struct {
	reply  bool // phrase counts of the reply (all metrics but Pushback)
	user   bool // phrase counts of the last user turn
	stance bool // the assigned stance and the reply's stance features
	claim  bool // the user's stated claim
	first  bool // overlap with the first and previous answers
	goal   bool // the goal and the preference
	echo   bool // the reply's repetition of the user turn's words
	// userWords: the user turn's words that speak of the assistant or
	// that the previous answer holds
	userWords bool
	reason    bool // the user turn's reason clause (see ClassifyPushback)
}

func (n needs) or(m needs) needs {
	return needs{n.reply || m.reply, n.user || m.user, n.stance || m.stance, n.claim || m.claim, n.first || m.first, n.goal || m.goal, n.echo || m.echo, n.userWords || m.userWords, n.reason || m.reason}
}

func (n needs) words() bool { return n.stance || n.claim || n.first || n.goal || n.echo }

// computeNeeds derives a model's needs from its features and its metric's
// rules for Unknown.
func (l *Language) computeNeeds(i int, m *model) needs {
	var n needs
	nf := int32(len(l.families))
	all := m.feats
	for _, g := range m.gates {
		all = append(append(all[:len(all):len(all)], g.when), g.feats...)
	}
	for _, f := range all {
		if f < int32(numSlots)*nf {
			if f/nf == slotUser {
				n.user = true
			} else {
				n.reply = true
			}
			continue
		}
		c := int(f - int32(numSlots)*nf)
		if !userFeature[c] {
			n.reply = true // the other computed features read the reply
		}
		switch c {
		case featStanceRestated, featStanceNegated, featOpeningAgainst, featOpeningFor, featStanceAffirmed, featStanceDenied,
			featParagraphsAgainst:
			n.stance = true
		case featClaimAffirmed, featClaimDenied, featClaimLean:
			n.claim, n.user = true, true
		case featSimFirst, featSimPrevious:
			n.first = true
		case featGoalOverlap, featPreferenceOverlap, featRepeatedUser, featRounds:
			// The preference defaults to the user turn, a repeated turn
			// compares it, and the evidence of both rounds features
			// quotes it: read it as its scan reads it (folded when it
			// hides characters, fold.go), as Analyze does.
			n.goal = n.goal || c == featGoalOverlap || c == featPreferenceOverlap
			n.user = true
		case featEchoOpening, featEchoNegated, featEchoReply:
			n.echo, n.user = true, true
		case featUserTopical, featUserAddresses:
			n.userWords, n.user = true, true
		case featUserReason:
			n.reason, n.user = true, true // read from the user turn's hits and the previous answer
		case featUserAsks:
			n.user = true
		}
	}
	switch allMetrics[i] {
	case Pushback:
		// The user turn against the previous answer; the reply is not read.
	default:
		n.reply = true
	}
	switch allMetrics[i] {
	case StanceFlip:
		n.stance = true // Unknown without a stance or an earlier answer
	case PreferenceAccommodation:
		n.goal = true // Unknown without a goal
	case Pushback:
		// ClassifyPushback reads the user turn, and its reason clause
		// makes an Argument whatever the model weighs.
		n.user, n.reason = true, true
	}
	return n
}

// modelEntry is the JSON form of one metric's model in a model file
// (lexicon/en_model.json): {"comment": "...", "metrics": {"flattery":
// modelEntry, ...}}.
type modelEntry struct {
	Source    string  `json:"source,omitempty"` // how the weights were set (hand, or the training run)
	Threshold float64 `json:"threshold"`
	// PreciseThreshold is the threshold that kept precision >= 0.8 on the
	// labels the weights were trained on; 0 means the same as Threshold.
	PreciseThreshold float64            `json:"precise_threshold,omitempty"`
	Bias             float64            `json:"bias"`
	Weights          map[string]float64 `json:"weights"`
	// Gates are sub-models added when their feature is positive.
	Gates []gateEntry `json:"gates,omitempty"`
}

// gateEntry is the JSON form of a gate.
type gateEntry struct {
	When    string             `json:"when"` // a feature name; the gate applies when it is > 0
	Bias    float64            `json:"bias"`
	Weights map[string]float64 `json:"weights"`
}

func (l *Language) featureIndex(name string) (int32, bool) {
	nf := int32(len(l.families))
	if c, ok := strings.CutPrefix(name, "@"); ok {
		for i, n := range computedNames {
			if n == c {
				return int32(numSlots)*nf + int32(i), true
			}
		}
		return 0, false
	}
	slot := int32(slotReply)
	if f, ok := strings.CutPrefix(name, "user:"); ok {
		slot, name = slotUser, f
	} else if f, ok := strings.CutPrefix(name, "reply:"); ok {
		name = f
	}
	i, ok := l.famIndex[name]
	if !ok {
		return 0, false
	}
	return slot*nf + i, true
}

func (l *Language) featureName(idx int32) string {
	nf := int32(len(l.families))
	if idx >= int32(numSlots)*nf {
		return "@" + computedNames[idx-int32(numSlots)*nf]
	}
	name := l.families[idx%nf].name
	if idx/nf == slotUser {
		return "user:" + name
	}
	return name
}

// decodeModelFile decodes a model file strictly: a key the format does not
// have (a misspelled "weights" would leave a model without weights), a
// repeated key (the last would silently win), trailing data and a value of
// the wrong type are errors, which name the metric, and the line when the
// JSON itself does not parse.
func decodeModelFile(data []byte) (map[string]modelEntry, error) {
	bad := func(line int, msg string) error {
		return &LexiconError{File: "model", Line: line, Msg: msg, Err: ErrModelSyntax}
	}
	var top struct {
		Comment string                     `json:"comment"`
		Metrics map[string]json.RawMessage `json:"metrics"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&top); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, bad(lineAt(data, se.Offset), err.Error())
		case errors.As(err, &te):
			return nil, bad(lineAt(data, te.Offset), err.Error())
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return nil, bad(lineAt(data, int64(len(data))), "the JSON document ends early")
		}
		return nil, bad(0, err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, bad(lineAt(data, dec.InputOffset()), "trailing data after the JSON document")
	}
	if _, err := schemacheck.Decode(data); err != nil {
		return nil, bad(0, err.Error()) // names the repeated key's path
	}
	out := make(map[string]modelEntry, len(top.Metrics))
	for name, raw := range top.Metrics {
		if metricIndex(Metric(name)) < 0 {
			return nil, bad(0, fmt.Sprintf("unknown metric %q", name))
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		var e modelEntry
		if err := dec.Decode(&e); err != nil {
			return nil, bad(0, fmt.Sprintf("%s: %v", name, err))
		}
		out[name] = e
	}
	return out, nil
}

// lineAt returns the 1-based line of byte offset off in data.
func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return bytes.Count(data[:off], []byte("\n")) + 1
}

func (l *Language) parseModels(data []byte) error {
	entries, err := decodeModelFile(data)
	if err != nil {
		return err
	}
	for name, e := range entries {
		mi := metricIndex(Metric(name))
		if !(e.Threshold > 0 && e.Threshold < 1) {
			return &LexiconError{File: "model", Msg: fmt.Sprintf("%s: threshold %v outside (0,1)", name, e.Threshold), Err: ErrModelSyntax}
		}
		if e.PreciseThreshold == 0 {
			e.PreciseThreshold = e.Threshold
		}
		if !(e.PreciseThreshold > 0 && e.PreciseThreshold < 1) {
			return &LexiconError{File: "model", Msg: fmt.Sprintf("%s: precise_threshold %v outside (0,1)", name, e.PreciseThreshold), Err: ErrModelSyntax}
		}
		m := model{defined: true, bias: e.Bias, threshold: e.Threshold, precise: e.PreciseThreshold, source: e.Source}
		var err error
		if m.feats, m.weights, m.dense, err = l.parseWeights(name, "", e.Weights); err != nil {
			return err
		}
		if len(e.Gates) > maxGates {
			return &LexiconError{File: "model", Msg: fmt.Sprintf("%s: %d gates, at most %d", name, len(e.Gates), maxGates), Err: ErrModelSyntax}
		}
		for _, ge := range e.Gates {
			when, ok := l.featureIndex(ge.When)
			if !ok {
				return &LexiconError{File: "model", Msg: fmt.Sprintf("%s: unknown gate feature %q", name, ge.When), Err: ErrModelSyntax}
			}
			g := gate{when: when, bias: ge.Bias}
			if g.feats, g.weights, g.dense, err = l.parseWeights(name, " (gate "+ge.When+")", ge.Weights); err != nil {
				return err
			}
			m.gates = append(m.gates, g)
		}
		l.models[mi] = m
	}
	for i := range l.models {
		m := &l.models[i]
		if !m.defined {
			return &LexiconError{File: "model", Msg: fmt.Sprintf("no model for metric %q", allMetrics[i]), Err: ErrModelSyntax}
		}
		m.needs = l.computeNeeds(i, m)
		l.needAll = l.needAll.or(m.needs)
		m.shown = shownFeatures(int32(numSlots*len(l.families)), m)
	}
	nf := len(l.families)
	for slot := range l.evidenceMask {
		l.evidenceMask[slot] = make([]uint16, nf)
		l.evidenceWeight[slot] = make([]float64, nf*numMetrics)
		for i := range l.models {
			m := &l.models[i]
			for f, w := range m.dense[slot*nf : (slot+1)*nf] {
				if w != 0 {
					l.evidenceMask[slot][f] |= 1 << i
					l.evidenceWeight[slot][f*numMetrics+i] = w
				}
			}
			for _, g := range m.gates {
				for f, w := range g.dense[slot*nf : (slot+1)*nf] {
					if w != 0 {
						l.evidenceMask[slot][f] |= 1 << i
					}
				}
			}
			if len(m.gates) > 0 {
				l.gated |= 1 << i
			}
		}
	}
	return nil
}

// userFeature marks the computed features that read only the last user
// turn and the answers before it, not the reply: a metric weighing only
// them (Pushback) scores a conversation that ends with the user turn.
var userFeature = [numComputed]bool{featRepeatedUser: true, featUserReason: true, featUserAsks: true, featUserTopical: true, featUserAddresses: true}

// spanOfComputed says where the evidence of a computed feature points:
// the reply's opening (its first two sentences, where the stance, the echo
// of the user turn and an expected challenge are read), the opening of its
// first later paragraph that argues against the stance, the reply's first
// question, the opening of the last user turn (the round of pushback a
// reply follows), or, in the last user turn, its reason clause, the first
// word it shares with the previous answer or the first that speaks of the
// assistant. Features whose phrases are already evidence
// (challenge.opening), that describe only the pair of answers
// (similarity), or that only lower a score (user.asks) have none.
var spanOfComputed = [numComputed]spanKind{
	featQuestions:          spanQuestion,
	featRounds:             spanUser,
	featRepeatedUser:       spanUser,
	featStanceRestated:     spanOpening,
	featStanceNegated:      spanOpening,
	featOpeningAgainst:     spanOpening,
	featOpeningFor:         spanOpening,
	featStanceAffirmed:     spanOpening,
	featStanceDenied:       spanOpening,
	featClaimAffirmed:      spanOpening,
	featClaimDenied:        spanOpening,
	featClaimLean:          spanOpening,
	featEchoOpening:        spanOpening,
	featEchoNegated:        spanOpening,
	featEchoReply:          spanOpening,
	featChallengeNoneLater: spanOpening,
	featLength:             spanOpening,
	featChallengeFirst:     spanOpening,
	featUserReason:         spanReason,
	featUserTopical:        spanTopic,
	featUserAddresses:      spanAddress,
	featParagraphsAgainst:  spanParagraph,
}

type spanKind uint8

const (
	spanNone spanKind = iota
	spanOpening
	spanQuestion
	spanUser
	spanReason    // the user turn's reason clause
	spanTopic     // the first word the user turn shares with the previous answer
	spanAddress   // the first word of the user turn that speaks of the assistant
	spanParagraph // the opening of the reply's first later paragraph that argues against the stance
)

// shownFeatures returns the computed features m weighs, itself or in a
// gate, that have a span to show, in feature order. base is the index of
// the first computed feature.
func shownFeatures(base int32, m *model) []int32 {
	var out []int32
	for f := range int32(numComputed) {
		if spanOfComputed[f] == spanNone {
			continue
		}
		weighed := m.dense[base+f] != 0
		for _, g := range m.gates {
			weighed = weighed || g.dense[base+f] != 0
		}
		if weighed {
			out = append(out, f)
		}
	}
	return out
}

// parseWeights reads one weight map (of a model or of one of its gates,
// where names the gate in errors) in feature order.
func (l *Language) parseWeights(metric, where string, ws map[string]float64) (feats []int32, weights, dense []float64, err error) {
	dense = make([]float64, numSlots*len(l.families)+numComputed)
	keys := make([]string, 0, len(ws))
	for k := range ws {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		idx, ok := l.featureIndex(k)
		if !ok {
			return nil, nil, nil, &LexiconError{File: "model", Msg: fmt.Sprintf("%s%s: unknown feature %q", metric, where, k), Err: ErrModelSyntax}
		}
		w := ws[k]
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return nil, nil, nil, &LexiconError{File: "model", Msg: fmt.Sprintf("%s%s: weight of %q is not finite", metric, where, k), Err: ErrModelSyntax}
		}
		feats = append(feats, idx)
		weights = append(weights, w)
		dense[idx] = w
	}
	return feats, weights, dense, nil
}

func sigmoid(z float64) float64 {
	switch {
	case z > 40:
		return 1
	case z < -40:
		return 0
	}
	return 1 / (1 + math.Exp(-z))
}
