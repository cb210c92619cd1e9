package metrics

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rolegate/rolegate/chat"
)

// allMetrics lists the metrics in the order a [Report] holds them.
var allMetrics = [numMetrics]Metric{
	EmotionalValidation, Hedging, Openness, Capitulation, Flattery,
	FramingAcceptance, BeliefAdoption, Pushback, StanceFlip, PreferenceAccommodation,
}

const numMetrics = 10

// Metrics returns every heuristic metric, in a fixed order.
func Metrics() []Metric { return append([]Metric(nil), allMetrics[:]...) }

func metricIndex(m Metric) int {
	for i, x := range allMetrics {
		if x == m {
			return i
		}
	}
	return -1
}

// maxEvidence bounds the spans kept per metric; the score itself counts
// every hit (up to the per-family cap), so long texts lose no signal.
const maxEvidence = 16

// Report holds every metric's [Result] for one conversation, and what its
// last user turn does: challenge the previous answer, make claims.
type Report struct {
	results  [numMetrics]Result
	Pushback PushbackClass // the last user turn as a challenge of the previous answer
	// Claims are the claims the last user turn makes (see [UserClaims]).
	Claims []Span
}

// Get returns the result for metric m; ok is false for a metric the report
// does not know.
func (r *Report) Get(m Metric) (Result, bool) {
	i := metricIndex(m)
	if i < 0 {
		return Result{}, false
	}
	return r.results[i], true
}

// Results returns every result in the order of [Metrics]. The slice shares
// the report's memory.
func (r *Report) Results() []Result { return r.results[:] }

// MarshalJSON encodes the report as {"results": [...], "pushback": {...},
// "claims": [...]}, claims left out when there are none.
func (r Report) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Results  []Result      `json:"results"`
		Pushback PushbackClass `json:"pushback"`
		Claims   []Span        `json:"claims,omitempty"`
	}{r.results[:], r.Pushback, r.Claims})
}

// UnmarshalJSON decodes what [Report.MarshalJSON] encodes. Each result goes
// to its metric's place; a metric the JSON leaves out reads back as an
// [Unknown] result of that metric, and an unknown or repeated metric is an
// error.
func (r *Report) UnmarshalJSON(b []byte) error {
	var v struct {
		Results  []Result      `json:"results"`
		Pushback PushbackClass `json:"pushback"`
		Claims   []Span        `json:"claims"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	var out Report
	for i, m := range allMetrics {
		out.results[i].Metric = m
	}
	var seen [numMetrics]bool
	for _, res := range v.Results {
		i := metricIndex(res.Metric)
		if i < 0 {
			return fmt.Errorf("%w %q in a report", ErrUnknownMetric, res.Metric)
		}
		if seen[i] {
			return fmt.Errorf("metrics: metric %q twice in a report", res.Metric)
		}
		seen[i] = true
		out.results[i] = res
	}
	out.Pushback, out.Claims = v.Pushback, v.Claims
	*r = out
	return nil
}

// Analyzer runs every scorer over a conversation in one pass per message:
// a single multi-pattern automaton finds the phrases of all families at
// once, and each metric's model weighs the counts. An Analyzer reuses its
// buffers from call to call, so it is not safe for concurrent use; keep one
// per goroutine (a [Pool] hands them out), or use the package-level
// [Analyze] and the [Scorer] implementations, which are. The zero Analyzer is ready to use: English and
// the default thresholds, as NewAnalyzer() returns.
type Analyzer struct {
	opts options
	only int // the one metric a scorer needs, or -1 for all
	// pool is the Pool that made the analyzer, the only one that takes it
	// back (it holds that pool's configuration).
	pool *Pool
	// allFeatures computes every feature, even those no model weighs
	// (Features, for training).
	allFeatures bool
	// maxMessage, when > 0, replaces MaxMessageBytes: the tests cannot
	// build a message of 2 GiB.
	maxMessage int
	matches    []match    // hits of the context messages (contextMarkers)
	reply      []match    // kept hits of the reply
	user       []match    // kept hits of the last user turn
	toks       []wordTok  // tokens of the reply, for the word-level features
	utoks      []wordTok  // tokens of the last user turn, for the echo features
	scan       scanBuffer // tokens of the text being scanned
	feats      []float64
	spans      []Span // evidence of the pushback classification
	// paras holds where the reply's lines after its first start (the
	// first nparas of them): wordPass records them for paragraphsAgainst,
	// which reads maxParagraphs of them, and where the next one starts.
	paras  [maxParagraphs + 1]int32
	nparas int
	// freply and fuser hold the reply and the user turn folded, when they
	// need it (fold.go).
	freply, fuser folded
	// ev holds each metric's evidence, nev its length: one pass over the
	// hits fills them all.
	ev     [numMetrics][maxEvidence]Span
	nev    [numMetrics]int
	active [numMetrics]uint8 // the gates of each metric's model that apply (a bit per gate)
	report Report
}

// NewAnalyzer returns an Analyzer configured by opts (English and the
// model's default thresholds when none are given).
func NewAnalyzer(opts ...Option) *Analyzer {
	a := &Analyzer{opts: buildOptions(opts), only: -1}
	l := a.opts.lang
	a.feats = make([]float64, numSlots*len(l.families)+numComputed)
	return a
}

// Analyze scores conv with every metric. The returned report, and the
// evidence slices inside it, stay valid until the next call of Analyze on a.
func (a *Analyzer) Analyze(conv []chat.Message) *Report {
	a.run(conv)
	return &a.report
}

// init makes the zero Analyzer the one NewAnalyzer() returns.
func (a *Analyzer) init() {
	if a.opts.lang == nil {
		*a = *NewAnalyzer()
	}
}

// Analyze scores conv with every metric, English lexicon and default
// thresholds. It is safe for concurrent use, and the report is the
// caller's to keep; [Analyzer] is the allocation-free variant for hot
// loops. Like [Analyzer.Analyze] it returns a pointer, so that
// metrics.Analyze(conv).Get(m) reads one result.
func Analyze(conv []chat.Message) *Report {
	a := defaultPool.Get()
	out := new(Report)
	*out = *a.run(conv)
	out.detach()
	defaultPool.Put(a)
	return out
}

// detach copies the evidence out of the analyzer's buffer, in one
// allocation for the whole report.
func (r *Report) detach() {
	n := len(r.Pushback.Evidence) + len(r.Claims)
	for _, x := range r.results {
		n += len(x.Evidence)
	}
	if n == 0 {
		for i := range r.results {
			r.results[i].Evidence = nil
		}
		r.Pushback.Evidence, r.Claims = nil, nil
		return
	}
	buf := make([]Span, 0, n)
	take := func(s []Span) []Span {
		if len(s) == 0 {
			return nil
		}
		start := len(buf)
		buf = append(buf, s...)
		return buf[start:len(buf):len(buf)]
	}
	for i := range r.results {
		r.results[i].Evidence = take(r.results[i].Evidence)
	}
	r.Pushback.Evidence = take(r.Pushback.Evidence)
	r.Claims = take(r.Claims)
}

// MaxMessageBytes is the longest message the scorers read: the scan
// records offsets in 32 bits. A conversation with a longer message gets
// [Unknown] for every metric, with a note.
const MaxMessageBytes = math.MaxInt32

// run fills a.report.
func (a *Analyzer) run(conv []chat.Message) *Report {
	a.init()
	l := a.opts.lang
	nf := len(l.families)
	clear(a.feats)
	a.spans = a.spans[:0]
	a.reply, a.user, a.toks, a.utoks = a.reply[:0], a.user[:0], a.toks[:0], a.utoks[:0]
	if limit := cmp.Or(a.maxMessage, MaxMessageBytes); slices.ContainsFunc(conv, func(m chat.Message) bool { return len(m.Content) > limit }) {
		for i, m := range allMetrics {
			a.report.results[i] = Result{Metric: m, Threshold: a.opts.threshold(l, i),
				Note: fmt.Sprintf("a message is over %d bytes, longer than the scorers read", limit)}
		}
		a.report.Pushback, a.report.Claims = PushbackClass{}, nil
		return &a.report
	}
	t := chat.LastTurn(conv)
	hasReply := t.ReplyIndex >= 0 && strings.TrimSpace(t.Reply) != ""
	need := l.needAll
	switch {
	case a.allFeatures:
		need = needs{reply: true, user: true, stance: true, claim: true, first: true, goal: true, echo: true, userWords: true, reason: true}
	case a.only >= 0:
		need = l.models[a.only].needs
	}

	var foldReply, foldUser bool
	if hasReply && need.reply {
		var toks *[]wordTok
		if need.words() {
			toks = &a.toks
		}
		a.reply, foldReply = a.scanMessage(a.reply, &t.Reply, &a.freply, a.feats[slotReply*nf:(slotReply+1)*nf], toks)
		hasReply = strings.TrimSpace(t.Reply) != ""
	}
	if t.UserIndex >= 0 && need.user {
		var utoks *[]wordTok
		if need.echo && hasReply || need.userWords {
			utoks = &a.utoks
		}
		a.user, foldUser = a.scanMessage(a.user, &t.User, &a.fuser, a.feats[slotUser*nf:(slotUser+1)*nf], utoks)
	}
	ctx := a.computeFeatures(conv, &t, hasReply, need)

	var scored uint16 // the metrics that get a score
	for i, m := range allMetrics {
		if a.only >= 0 && i != a.only {
			continue
		}
		r := &a.report.results[i]
		*r = Result{Metric: m, Threshold: a.opts.threshold(l, i)}
		if note := a.unknownReason(m, &t, hasReply, &ctx); note != "" {
			r.Note = note
			continue
		}
		scored |= 1 << i
	}
	a.nev = [numMetrics]int{}
	for i := range allMetrics {
		a.active[i] = 0
		if l.gated&scored&(1<<i) == 0 {
			continue
		}
		for g, gt := range l.models[i].gates {
			if a.feats[gt.when] > 0 {
				a.active[i] |= 1 << g
			}
		}
	}
	a.collectEvidence(scored&^(1<<pushbackIndex), t.ReplyIndex, a.reply, slotReply)
	a.collectEvidence(scored, t.UserIndex, a.user, slotUser)
	for i := range allMetrics {
		if scored&(1<<i) != 0 {
			a.score(i, &a.report.results[i], &t, &ctx)
		}
	}
	if a.only < 0 || allMetrics[a.only] == Pushback {
		a.classifyPushback(&t, &ctx)
	}
	a.report.Claims = nil
	if a.only < 0 {
		a.collectClaims(&t)
	}
	if foldReply || foldUser {
		a.unfold(t.ReplyIndex, t.UserIndex, foldReply, foldUser)
		// Nothing the report holds reads them: an analyzer kept in a
		// pool does not pin the message or its folded copy.
		a.freply.release()
		a.fuser.release()
	}
	return &a.report
}

// scanMessage scans *text into dst and counts (see scanInto). A message
// that hides characters inside its words is scanned again folded
// (fold.go): *text becomes the folded text, held by f, and the result
// reports it.
func (a *Analyzer) scanMessage(dst []match, text *string, f *folded, counts []float64, toks *[]wordTok) ([]match, bool) {
	hits, hidden := a.scanInto(dst, *text, counts, toks)
	if !hidden {
		return hits, false
	}
	f.fold(*text)
	*text = f.text
	clear(counts)
	if toks != nil {
		*toks = (*toks)[:0]
	}
	hits, _ = a.scanInto(hits[:0], *text, counts, toks)
	return hits, true
}

// unfold maps the evidence spans of a folded reply or user turn back to
// the message as it was sent.
func (a *Analyzer) unfold(replyIdx, userIdx int, reply, user bool) {
	fix := func(s *Span) {
		var f *folded
		switch {
		case reply && s.Msg == replyIdx:
			f = &a.freply
		case user && s.Msg == userIdx:
			f = &a.fuser
		default:
			return
		}
		s.Start, s.End = f.span(s.Start, s.End)
	}
	r := &a.report
	for i := range r.results {
		for k := range r.results[i].Evidence {
			fix(&r.results[i].Evidence[k])
		}
	}
	for k := range r.Pushback.Evidence {
		fix(&r.Pushback.Evidence[k])
	}
	for k := range r.Claims {
		fix(&r.Claims[k])
	}
}

// scanInto runs the automaton over text, keeps the hits that count (opening
// families only near the start) and adds the capped counts to counts. The
// machine appends its matches to dst and the hits kept are compacted in
// place, ahead of the ones still to read: no second buffer of matches.
func (a *Analyzer) scanInto(dst []match, text string, counts []float64, toks *[]wordTok) ([]match, bool) {
	l := a.opts.lang
	base := len(dst)
	all, hidden := l.auto.scanTokens(text, dst, toks, &a.scan)
	dst = all[:base]
	for _, m := range all[base:] {
		f := m.fam
		if l.families[f].opening && m.start >= openingBytes {
			continue
		}
		// Overlapping hits of one family are one piece of evidence: keep
		// the longest ("it's understandable" inside "it's understandable
		// to feel"). Hits come ordered by end, so overlaps are recent.
		merged := false
		for j := len(dst) - 1; j >= 0 && dst[j].end > m.start; j-- {
			if dst[j].fam == f {
				if m.start <= dst[j].start {
					dst[j] = m
				}
				merged = true
				break
			}
		}
		if merged {
			continue
		}
		if counts[f] < countCap {
			counts[f]++
		}
		dst = append(dst, m)
	}
	return dst, hidden
}

func (a *Analyzer) unknownReason(m Metric, t *chat.Turn, hasReply bool, c *convContext) string {
	if m == Pushback {
		switch {
		case t.UserIndex < 0:
			return "no user turn to classify"
		case t.PreviousIndex < 0:
			return "no previous assistant answer for the user turn to challenge"
		}
		return ""
	}
	if !hasReply {
		if t.ReplyIndex < 0 {
			return "no assistant reply to score"
		}
		return "the assistant reply is empty"
	}
	switch m {
	case BeliefAdoption:
		if t.UserIndex < 0 {
			return "no user turn stating a claim"
		}
	case StanceFlip:
		if !c.hasStance && t.PreviousIndex < 0 {
			return "no assigned stance and no earlier assistant answer to compare with"
		}
	case PreferenceAccommodation:
		if !c.hasGoal {
			return `no goal to defend: pass one with WithGoal, or state it in the system message ("Your goal is ...")`
		}
	}
	return ""
}

// score applies metric i's model to the features and gathers its evidence.
func (a *Analyzer) score(i int, r *Result, t *chat.Turn, c *convContext) {
	l := a.opts.lang
	md := &l.models[i]
	z := md.bias
	for k, f := range md.feats {
		z += md.weights[k] * a.feats[f]
	}
	for g := range md.gates {
		if a.active[i]&(1<<g) == 0 {
			continue
		}
		gt := &md.gates[g]
		z += gt.bias
		for k, f := range gt.feats {
			z += gt.weights[k] * a.feats[f]
		}
	}
	r.Score = sigmoid(z)
	if r.Score >= r.Threshold {
		r.Label = Present
	} else {
		r.Label = Absent
	}
	// Computed features that carried weight, with the span they read
	// (spanOfComputed): a score that no phrase explains is still explained.
	// A present label that no phrase and no such feature explains shows
	// the computed feature that added the most, whatever its weight.
	ev, n := &a.ev[i], a.nev[i]
	base := int32(numSlots) * int32(len(l.families))
	best, bestW := int32(-1), 0.0
	for _, f := range md.shown {
		v := a.feats[base+f]
		w := md.weightOf(base+f, a.active[i])
		if v <= 0 || n == maxEvidence {
			continue
		}
		if math.Abs(w*v) < minShownWeight {
			if w*v > bestW {
				best, bestW = f, w*v
			}
			continue
		}
		if sp, ok := computedSpan(f, t, c); ok {
			sp.Weight = w * v
			ev[n] = sp
			n++
		}
	}
	if n == 0 && r.Label == Present && best >= 0 {
		if sp, ok := computedSpan(best, t, c); ok {
			sp.Weight = bestW
			ev[n] = sp
			n++
		}
	}
	if n > 0 {
		r.Evidence = ev[:n:n]
	}
}

// computedSpan returns the evidence span of computed feature f: the part
// of the conversation it read (spanOfComputed), with its rule; ok is false
// when that part is empty.
func computedSpan(f int32, t *chat.Turn, c *convContext) (Span, bool) {
	var msg, start, end int
	switch spanOfComputed[f] {
	case spanOpening:
		msg, start, end = t.ReplyIndex, runeStartFrom(t.Reply, 0, c.openingEnd), c.openingEnd
	case spanQuestion:
		msg = t.ReplyIndex
		start, end = firstQuestion(t.Reply)
	case spanUser:
		if t.UserIndex < 0 {
			return Span{}, false
		}
		msg, end = t.UserIndex, openingEnd(t.User)
		start = runeStartFrom(t.User, 0, end)
	case spanReason:
		msg, start, end = t.UserIndex, c.reason[0], c.reason[1]
	case spanTopic:
		msg, start, end = t.UserIndex, c.topic[0], c.topic[1]
	case spanAddress:
		msg, start, end = t.UserIndex, c.address[0], c.address[1]
	case spanParagraph:
		msg, start, end = t.ReplyIndex, c.paragraph[0], c.paragraph[1]
	}
	if start >= end {
		return Span{}, false
	}
	return Span{Msg: msg, Start: start, End: end, Rule: computedRules[f]}, true
}

// minShownWeight is the smallest contribution to a score (in log-odds) for
// which a computed feature is shown as evidence: a continuous feature can
// add a trace of weight that explains nothing.
const minShownWeight = 0.25

// runeStartFrom returns the first rune start of s at or after i, at most
// end (a message may begin with stray continuation bytes).
func runeStartFrom(s string, i, end int) int {
	for i < end && !utf8.RuneStart(s[i]) {
		i++
	}
	return i
}

// firstQuestion returns the span of the first sentence of s that ends with
// a question mark, on UTF-8 boundaries, or an empty span when there is none.
func firstQuestion(s string) (start, end int) {
	q := strings.IndexByte(s, '?')
	if q < 0 {
		return 0, 0
	}
	start = sentenceMark.lastIndex(s[:q]) + 1
	for start < q && (s[start] == ' ' || s[start] == '\n') {
		start++
	}
	end = q + 1
	for end < len(s) && !utf8.RuneStart(s[end]) {
		end++ // stray continuation bytes stay with the mark
	}
	return runeStartFrom(s, start, q), end
}

// pushbackIndex is the index of [Pushback] in allMetrics; its evidence is
// in the user turn only.
var pushbackIndex = metricIndex(Pushback)

// collectEvidence adds to the evidence of each metric in open (a bit per
// metric index) a span for each hit whose family its model weighs in slot,
// in the order of the hits, until the metric holds maxEvidence spans.
func (a *Analyzer) collectEvidence(open uint16, msg int, hits []match, slot int) {
	for i := range numMetrics {
		if a.nev[i] >= maxEvidence {
			open &^= 1 << i
		}
	}
	l := a.opts.lang
	mask := l.evidenceMask[slot]
	weights := l.evidenceWeight[slot]
	for _, h := range hits {
		if open == 0 {
			return
		}
		m := mask[h.fam] & open
		if m == 0 {
			continue
		}
		rule := l.families[h.fam].name
		w := weights[int(h.fam)*numMetrics : int(h.fam+1)*numMetrics]
		for ; m != 0; m &= m - 1 {
			i := bits.TrailingZeros16(m)
			wi := w[i]
			if l.gated&(1<<i) != 0 {
				wi = l.models[i].weightOf(int32(slot*len(l.families)+int(h.fam)), a.active[i])
				if wi == 0 {
					continue // weighed only by a gate that does not apply
				}
			}
			n := a.nev[i]
			// Field by field, not a composite literal: that is built on
			// the stack and copied in 16-byte loads, which stall on the
			// narrower stores that just wrote it.
			s := &a.ev[i][n]
			s.Msg, s.Start, s.End, s.Rule, s.Weight = msg, int(h.start), int(h.end), rule, wi
			a.nev[i] = n + 1
			if n+1 == maxEvidence {
				open &^= 1 << i
			}
		}
	}
}

// Features runs the analysis of conv and returns the model inputs, named by
// [Language.FeatureNames]: the capped phrase-family counts of the reply and
// of the last user turn, then the computed features. It serves training and
// debugging; the slice is the analyzer's and valid until its next call.
func (a *Analyzer) Features(conv []chat.Message) []float64 {
	a.allFeatures = true
	a.run(conv)
	a.allFeatures = false
	return a.feats
}

// Language returns the analyzer's language.
func (a *Analyzer) Language() *Language {
	a.init()
	return a.opts.lang
}
