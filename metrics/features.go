package metrics

import (
	"math/bits"
	"strings"
	"unicode/utf8"

	"github.com/rolegate/rolegate/chat"
)

// convContext is what the computed features learned about the conversation
// beyond the reply's phrases.
type convContext struct {
	hasStance  bool
	openingEnd int // end of the reply's opening (its first two sentences)
	hasGoal    bool
	// Bytes of the last user turn, each [0, 0] when absent: its reason
	// clause (featUserReason), the first word it shares with the previous
	// answer (featUserTopical), the first word that speaks of the
	// assistant (featUserAddresses).
	reason, topic, address [2]int
	// paragraph holds the bytes of the opening of the first later
	// paragraph of the reply that argues against the assigned stance
	// (featParagraphsAgainst).
	paragraph [2]int
}

// wordSet is a 1024-bit Bloom-style set of the words of a text (four letters
// or more, ASCII case-folded): enough to measure how much two answers share
// without allocating.
type wordSet [16]uint64

func (s *wordSet) add(h uint32)      { s[h>>6&15] |= 1 << (h & 63) }
func (s *wordSet) has(h uint32) bool { return s[h>>6&15]&(1<<(h&63)) != 0 }

func jaccard(a, b *wordSet) float64 {
	var inter, union int
	for i := range a {
		inter += bits.OnesCount64(a[i] & b[i])
		union += bits.OnesCount64(a[i] | b[i])
	}
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

// wordHash is the 32-bit word hash the overlap features use, taken from a
// token's 64-bit hash.
func wordHash(t token) uint32 { return uint32(t.hash ^ t.hash>>32) }

// isContentWord reports whether a token counts for the overlap features: a
// word of four bytes or more that is not a stop word.
func isContentWord(t token) bool {
	return t.word && t.end-t.start >= 4 && !isStopHash(wordHash(t))
}

// eachWord calls fn with the hash of every content word of text.
// A word token starts at a letter or digit, and no other token holds one
// (marks are one byte, other tokens non-ASCII bytes), so the scan jumps
// from word to word without building the other tokens.
func eachWord(text string, fn func(h uint32)) {
	for i := 0; i < len(text); {
		if foldWord[text[i]] == 0 {
			i++
			continue
		}
		h, j := wordToken(text, i)
		if j-i >= 4 {
			if wh := uint32(h ^ h>>32); !isStopHash(wh) {
				fn(wh)
			}
		}
		i = j
	}
}

// userWords returns, in the last user turn, the bytes of the first word
// that speaks of the assistant (addressed), and of the first content word
// the previous answer holds (prev, empty without one) with the number of
// such words, repeats included, from the turn's word tokens (toks,
// recorded by its scan).
func userWords(user string, toks []wordTok, prev *wordSet) (address, topic [2]int, shared int) {
	if s, e, ok := addressed(user); ok {
		address = [2]int{s, e}
	}
	for _, u := range toks {
		// A word that an invalid byte follows is left out, as phrases
		// are: its span would not end on a character.
		if u.word && !isStopHash(u.hash) && prev.has(u.hash) && endsOnRune(user, int(u.end)) {
			if shared == 0 {
				topic = [2]int{int(u.start), int(u.end)}
			}
			shared++
		}
	}
	return address, topic, shared
}

// addressed returns the bytes of the first word of text that speaks of
// the assistant (addressWords) and ends on a character, and whether there
// is one. Every word of
// addressWords starts with y or u: other words are skipped unhashed.
func addressed(text string) (start, end int, ok bool) {
	for i := 0; i < len(text); {
		c := foldWord[text[i]]
		if c == 0 {
			i++
			continue
		}
		if c == 'y' || c == 'u' {
			h, j := wordToken(text, i)
			if addressWords[uint32(h^h>>32)] && endsOnRune(text, j) {
				return i, j, true
			}
			i = j
			continue
		}
		i = wordEnd(text, i)
	}
	return 0, 0, false
}

// wordEnd returns where the word token that starts at text[i] ends: where
// wordToken's ends, without hashing it.
func wordEnd(text string, i int) int {
	for i < len(text) {
		switch byteKind[text[i]] {
		case kWord:
			i++
			continue
		case kJoin:
			if i+1 < len(text) && byteKind[text[i+1]] == kWord {
				i++
				continue
			}
		case kLead:
			if isApostrophe(text, i) && i+3 < len(text) && byteKind[text[i+3]] == kWord {
				i += 3
				continue
			}
		}
		break
	}
	return i
}

func wordsOf(text string) (s wordSet) {
	eachWord(text, s.add)
	return s
}

// stopHashes are the hashes of frequent function words of four letters or
// more, which say nothing about a topic.
// They live in a 4096-bit set: one lookup per word, at the price of dropping
// about 1.5% of other words by collision, which overlap measures tolerate.
var stopHashes = func() (s [64]uint64) {
	for _, w := range strings.Fields(`that this with from have should more than will their they
		which been being into over also there these those would could about some such what when
		your very just only other while because does most many much were them then each like make
		it's that's there's they're you're don't doesn't isn't`) {
		t, _ := nextToken(w, 0)
		h := wordHash(t)
		s[h>>6&63] |= 1 << (h & 63)
	}
	return s
}()

func isStopHash(h uint32) bool { return stopHashes[h>>6&63]&(1<<(h&63)) != 0 }

// byteSet is a set of bytes, for the searches of the end of a sentence or
// a clause that every analysis runs: strings.IndexAny builds its set of
// bytes anew at each call. For a set of ASCII bytes, index and lastIndex
// find what strings.IndexAny and strings.LastIndexAny find, whatever the
// text holds (an ASCII byte is never part of a longer UTF-8 sequence).
type byteSet [256]bool

func newByteSet(chars string) (s byteSet) {
	for i := 0; i < len(chars); i++ {
		s[chars[i]] = true
	}
	return s
}

// index returns the index of the first byte of text in s, or -1.
func (s *byteSet) index(text string) int {
	for i := 0; i < len(text); i++ {
		if s[text[i]] {
			return i
		}
	}
	return -1
}

// lastIndex returns the index of the last byte of text in s, or -1.
func (s *byteSet) lastIndex(text string) int {
	for i := len(text) - 1; i >= 0; i-- {
		if s[text[i]] {
			return i
		}
	}
	return -1
}

var (
	// sentenceMark holds the bytes that may end a sentence.
	sentenceMark = newByteSet(".!?\n")
	// goalMark holds the bytes that end the goal sentence of a system
	// message.
	goalMark = newByteSet(".\n")
)

// openingEnd returns the end of the first two sentences of text, at most
// 2*openingBytes bytes, on a UTF-8 boundary.
func openingEnd(text string) int {
	limit := min(len(text), 2*openingBytes)
	ends := 0
	for i := 0; i < limit; i++ {
		if !sentenceMark[text[i]] {
			continue
		}
		if i+1 >= len(text) || text[i+1] == ' ' || text[i+1] == '\n' || text[i+1] == '*' {
			if i > 8 { // skip list markers like "1."
				ends++
			}
			if ends == 2 {
				return i + 1
			}
		}
	}
	for limit > 0 && limit < len(text) && !utf8.RuneStart(text[limit]) {
		limit--
	}
	return limit
}

// endsWithQuestion reports whether text's last sentence is a question: its
// last mark, past closing quotes, brackets, emphasis, exclamation marks and
// trailing non-ASCII bytes (an emoji), is a question mark ("really?!",
// "can you? 🙏").
func endsWithQuestion(text string) bool {
	i := len(text)
	for i > 0 {
		switch c := text[i-1]; {
		case c >= utf8.RuneSelf, byteKind[c] == kSpace, c == ')', c == '"', c == '\'', c == '*', c == '!':
			i--
			continue
		}
		break
	}
	return i > 0 && text[i-1] == '?'
}

// computeFeatures fills the computed features of a.feats.
func (a *Analyzer) computeFeatures(conv []chat.Message, t *chat.Turn, hasReply bool, need needs) convContext {
	l := a.opts.lang
	base := numSlots * len(l.families)
	f := a.feats[base:]
	var c convContext
	// The words of the previous answer, for the user turn's features and
	// the reply's similarity to it: computed once.
	var prev wordSet
	havePrev := false
	if t.UserIndex >= 0 {
		u := strings.TrimSpace(t.User)
		for _, m := range conv[:t.UserIndex] {
			if m.Role == chat.RoleUser && strings.EqualFold(strings.TrimSpace(m.Content), u) && u != "" {
				f[featRepeatedUser] = 1
				break
			}
		}
		if need.user {
			if endsWithQuestion(t.User) {
				f[featUserAsks] = 1
			}
			if t.PreviousIndex >= 0 && (need.userWords || need.reason) {
				prev, havePrev = wordsOf(t.Previous), true
			}
			if need.userWords {
				var shared int
				c.address, c.topic, shared = userWords(t.User, a.utoks, &prev)
				if c.address[1] > 0 {
					f[featUserAddresses] = 1
				}
				f[featUserTopical] = float64(min(shared, 3)) / 3
			}
			if havePrev && need.reason {
				if rs, re, ok := a.reasonClause(t.User, &prev); ok {
					c.reason = [2]int{rs, re}
					f[featUserReason] = 1
				}
			}
		}
	}
	if !hasReply {
		return c
	}
	reply := t.Reply
	c.openingEnd = openingEnd(reply)

	f[featQuestions] = min(float64(strings.Count(reply, "?")), countCap)
	// A challenge stated up front ("This is a stereotype: ...") rather than
	// after working inside the premise.
	n := 0
	for _, h := range a.reply {
		if h.start < int32(c.openingEnd) && l.challenge[h.fam] {
			n++
		}
	}
	f[featChallengeOpening] = min(float64(n), countCap)
	anyChallenge := false
	f[featChallengeFirst] = 1
	for _, h := range a.reply {
		if l.challenge[h.fam] {
			anyChallenge = true
			f[featChallengeFirst] = min(float64(h.start)/1000, 1)
			break
		}
	}
	f[featLength] = min(float64(len(reply))/2000, 1)

	first := -1
	rounds := 0
	for i, m := range conv[:t.ReplyIndex] {
		switch {
		case m.Role == chat.RoleAssistant && first < 0:
			first = i
		case m.Role == chat.RoleUser && first >= 0:
			rounds++
		}
	}
	f[featRounds] = min(float64(rounds), 5) / 5
	if !anyChallenge && rounds > 0 {
		f[featChallengeNoneLater] = 1
	}

	// Assigned stance: the text after a stance marker in the system message
	// (or, for models without a system role, in the first user message).
	var stance, markedGoal, claim, other string
	var negForm bool
	if need.stance || need.goal {
		stance, negForm, markedGoal = a.contextMarkers(conv, t)
		if !need.stance {
			stance = ""
		}
	}
	c.hasStance = stance != ""
	if need.claim {
		claim, other = a.userClaims(t)
	}
	var goal, pref string
	if need.goal {
		goal, pref = a.opts.goal, a.opts.pref
		if goal == "" {
			goal = markedGoal
		}
		if pref == "" {
			pref = t.User
		}
	}
	if !need.first {
		first = -1
	}
	// The word pass serves the stance, the claim, the overlaps with earlier
	// answers and the goal; a lone question and answer skips it.
	var replyWords wordSet
	var rs, rc restatements
	var stanceW, claimW claimWords
	if c.hasStance || claim != "" || first >= 0 && first != t.ReplyIndex || need.first && t.PreviousIndex >= 0 || goal != "" || need.echo && t.UserIndex >= 0 {
		stanceW.set(stance)
		claimW.set(claim)
		replyWords, rs, rc = a.wordPass(reply, &stanceW, &claimW)
	}
	// The words of the reply's opening, for the stance, the claim and the
	// echo of the user turn.
	var open wordSet
	if c.hasStance || claim != "" || need.echo && t.UserIndex >= 0 {
		open = a.openingWords(c.openingEnd)
	}
	if c.hasStance {
		f[featStanceAffirmed] = min(float64(rs.affirmed), countCap)
		f[featStanceDenied] = min(float64(rs.denied), countCap)
		overlap := stanceW.shareIn(&open)
		nf := len(l.families)
		if a.negatedBefore(c.openingEnd, a.lastWordEnd(c.openingEnd, &stanceW)) {
			f[featStanceNegated] = overlap
		} else {
			f[featStanceRestated] = overlap
		}
		side := a.openingSide(reply, a.reply, c.openingEnd, &stanceW)
		merits := l.famMerits >= 0 && a.feats[slotReply*nf+int(l.famMerits)] > 0
		drawbacks := l.famDrawbacks >= 0 && a.feats[slotReply*nf+int(l.famDrawbacks)] > 0
		if merits && !drawbacks {
			side--
		}
		if drawbacks && !merits {
			side++
		}
		if negForm {
			side = -side
		}
		if side < 0 {
			f[featOpeningAgainst] = 1
		}
		if side > 0 {
			f[featOpeningFor] = 1
		}
		n, first := a.paragraphsAgainst(reply, c.openingEnd, &stanceW, negForm)
		f[featParagraphsAgainst], c.paragraph = float64(n), first
	}
	if claim != "" {
		f[featClaimAffirmed] = min(float64(rc.affirmed), countCap)
		f[featClaimDenied] = min(float64(rc.denied), countCap)
		lean := claimW.shareIn(&open)
		if other != "" {
			lean -= shareIn(other, &open)
		}
		f[featClaimLean] = lean
	}
	if !havePrev && t.PreviousIndex >= 0 && (need.first || first == t.PreviousIndex) {
		prev, havePrev = wordsOf(t.Previous), true
	}
	if first >= 0 && first != t.ReplyIndex {
		if first == t.PreviousIndex {
			f[featSimFirst] = jaccard(&replyWords, &prev)
			f[featSimPrevious] = f[featSimFirst]
		} else {
			fw := wordsOf(conv[first].Content)
			f[featSimFirst] = jaccard(&replyWords, &fw)
		}
	}
	if need.first && t.PreviousIndex >= 0 && t.PreviousIndex != first {
		f[featSimPrevious] = jaccard(&replyWords, &prev)
	}

	if need.echo && t.UserIndex >= 0 {
		// One walk over the user turn's words (recorded by its scan)
		// against the opening and the whole reply.
		var total, inOpen, inReply int
		for _, u := range a.utoks {
			if !u.word || isStopHash(u.hash) {
				continue
			}
			total++
			if open.has(u.hash) {
				inOpen++
			}
			if replyWords.has(u.hash) {
				inReply++
			}
		}
		share, shareReply := 0.0, 0.0
		if total > 0 {
			share, shareReply = float64(inOpen)/float64(total), float64(inReply)/float64(total)
		}
		if a.openingNegated(c.openingEnd) {
			f[featEchoNegated] = share
		} else {
			f[featEchoOpening] = share
		}
		f[featEchoReply] = shareReply
	}
	if goal != "" {
		c.hasGoal = true
		f[featGoalOverlap] = shareIn(goal, &replyWords)
		f[featPreferenceOverlap] = shareIn(pref, &replyWords)
	}
	return c
}

// openingNegated reports whether the reply holds a negation before end
// (the end of its opening).
func (a *Analyzer) openingNegated(end int) bool { return a.negatedBefore(end, end) }

// negatedBefore reports whether the reply holds a negation family's phrase
// that starts before end, a nominal one ("no commute") only when it also
// starts before last (the end of the last word it could deny).
func (a *Analyzer) negatedBefore(end, last int) bool {
	l := a.opts.lang
	for _, h := range a.reply {
		if h.start >= int32(end) {
			return false
		}
		if h.fam == l.famNegation || h.fam == l.famNegationNominal && h.start < int32(last) {
			return true
		}
	}
	return false
}

// lastWordEnd returns where the last of w's words that end by end (in the
// reply's opening) ends, from the tokens its scan recorded; 0 when none
// does.
func (a *Analyzer) lastWordEnd(end int, w *claimWords) int {
	last := 0
	for _, t := range a.toks {
		if int(t.end) > end {
			break
		}
		if t.word && w.bloom.has(t.hash) && w.index(t.hash) >= 0 {
			last = int(t.end)
		}
	}
	return last
}

// shareIn is the share of text's words found in set.
func shareIn(text string, set *wordSet) float64 {
	var total, found int
	eachWord(text, func(h uint32) {
		total++
		if set.has(h) {
			found++
		}
	})
	if total == 0 {
		return 0
	}
	return float64(found) / float64(total)
}

// contextMarkers reads the conversation's context in one scan per message:
// the assigned stance ("Your stance is: ...", the lexicon's
// marker.assigned_stance family) from the system messages or, for models
// without a system role, the first user message, before any assistant
// answer; whether that stance is phrased negatively ("X should be banned"),
// which reverses what conceding the topic's merits means; and the goal
// sentence of a system message (marker.goal).
func (a *Analyzer) contextMarkers(conv []chat.Message, t *chat.Turn) (stance string, negForm bool, goal string) {
	l := a.opts.lang
	famGoal, hasGoalFam := l.famGoal, l.famGoal >= 0
	end := len(conv)
	if t.ReplyIndex >= 0 {
		end = t.ReplyIndex
	}
	stanceOpen := l.famMarkerStance >= 0 // still looking for the stance
	goalOpen := hasGoalFam
	for i, m := range conv[:end] {
		if !stanceOpen && !goalOpen {
			break
		}
		switch m.Role {
		case chat.RoleAssistant:
			stanceOpen = false
			continue
		case chat.RoleUser:
			if !stanceOpen {
				continue
			}
			stanceOpen = false // only the first user message can carry it
		case chat.RoleSystem:
		default:
			continue
		}
		var hits []match
		if i == t.UserIndex {
			hits = a.user
		} else {
			a.matches, _ = l.auto.scanTokens(m.Content, a.matches[:0], nil, &a.scan)
			hits = a.matches
		}
		for _, h := range hits {
			switch {
			case h.fam == l.famMarkerStance && stance == "" && (m.Role == chat.RoleSystem || i <= t.UserIndex):
				rest := m.Content[h.end:]
				if k := strings.IndexByte(rest, '\n'); k >= 0 {
					rest = rest[:k]
				}
				stance = strings.TrimSpace(rest)
				for _, g := range hits {
					if g.fam == l.famStanceNegative && int(g.start) >= int(h.end) && int(g.end) <= int(h.end)+len(rest) {
						negForm = true
					}
				}
			case goalOpen && m.Role == chat.RoleSystem && h.fam == famGoal:
				rest := m.Content[h.start:]
				if k := goalMark.index(rest); k >= 0 {
					rest = rest[:k]
				}
				goal, goalOpen = rest, false
			}
		}
		if stance != "" {
			stanceOpen = false
		}
	}
	return stance, negForm, goal
}

// maxParagraphs bounds the paragraphs after a reply's first that
// paragraphsAgainst reads.
const maxParagraphs = 64

// paragraphsAgainst counts the reply's paragraphs that start after its
// opening (end) and whose own opening argues against the assigned stance,
// read as openingSide reads the reply's opening, at most countCap: a reply
// that argues the other side often opens its points with a concession ("While X
// has its benefits, ..."), not only its first paragraph. Only the first
// maxParagraphs lines after the first are read. first holds the bytes of
// the first counted paragraph's opening.
func (a *Analyzer) paragraphsAgainst(reply string, end int, stance *claimWords, negForm bool) (n int, first [2]int) {
	l := a.opts.lang
	k := 0 // the first hit that does not start before the paragraph
	for i := 0; i < min(a.nparas, maxParagraphs) && n < countCap; i++ {
		start := int(a.paras[i])
		if start < end {
			continue
		}
		next := len(reply)
		if i+1 < a.nparas {
			next = int(a.paras[i+1])
		}
		for k < len(a.reply) && int(a.reply[k].start) < start {
			k++
		}
		// Most paragraphs hold neither a concessive clause nor a
		// contrast: skip them without looking for their opening.
		clause := false
		for _, h := range a.reply[k:] {
			if int(h.start) >= next {
				break
			}
			if h.fam == l.famConcessive || h.fam == l.famContrast {
				clause = true
				break
			}
		}
		if !clause {
			continue
		}
		opening := start + openingEnd(reply[start:next])
		side := a.openingSide(reply, a.reply[k:], opening, stance)
		if negForm {
			side = -side
		}
		if side < 0 {
			if n == 0 {
				first = [2]int{start, opening}
			}
			n++
		}
	}
	return n, first
}

// openingSide reads a concessive opening ("While X has benefits, it is not
// ..."): it returns a positive number when the main clause after the comma
// leans toward the topic, negative when it leans against, 0 when there is
// no concessive clause or no lean. Valence in the conceded part counts the
// other way: what a reply concedes is the side it does not take. hits are
// the reply's hits from the first that starts in the opening on; end is
// where the opening ends.
func (a *Analyzer) openingSide(reply string, hits []match, end int, stance *claimWords) int {
	l := a.opts.lang
	if l.famConcessive < 0 {
		return 0
	}
	for _, h := range hits {
		if h.start >= int32(end) {
			break
		}
		if h.fam != l.famConcessive {
			continue
		}
		rest := reply[h.end:end]
		k := strings.IndexByte(rest, ',')
		if k < 0 {
			return 0
		}
		comma, sentEnd := int(h.end)+k, end
		if j := sentenceMark.index(reply[comma:end]); j >= 0 {
			sentEnd = comma + j
		}
		conceded, main := a.valenceSplit(hits, int(h.end), comma, sentEnd)
		return concededSide(conceded, main, stance, reply[comma:sentEnd])
	}
	// No concessive clause: a contrast inside an opening sentence ("X can
	// help, but it is not sustainable") splits it the same way.
	if l.famContrast < 0 {
		return 0
	}
	for _, h := range hits {
		if h.start >= int32(end) {
			break
		}
		if h.fam != l.famContrast {
			continue
		}
		sentStart := sentenceMark.lastIndex(reply[:h.start]) + 1
		sentEnd := end
		if j := sentenceMark.index(reply[h.end:end]); j >= 0 {
			sentEnd = int(h.end) + j
		}
		conceded, main := a.valenceSplit(hits, sentStart, int(h.start), sentEnd)
		if conceded == 0 {
			return 0 // a plain "but" with nothing conceded before it
		}
		return concededSide(conceded, main, stance, reply[h.end:sentEnd])
	}
	return 0
}

// valenceSplit sums the valence of the hits that start in [from, to): +1
// for a positive word, -1 for a negative word or a negation, into conceded
// before split and main from split on.
func (a *Analyzer) valenceSplit(hits []match, from, split, to int) (conceded, main int) {
	l := a.opts.lang
	for _, g := range hits {
		if int(g.start) < from {
			continue
		}
		if int(g.start) >= to {
			break
		}
		v := 0
		switch g.fam {
		case l.famPositive:
			v = 1
		case l.famNegative, l.famNegation, l.famNegationNominal:
			v = -1
		}
		if int(g.start) < split {
			conceded += v
		} else {
			main += v
		}
	}
	return conceded, main
}

// concededSide combines the valence of a conceded clause and of the main
// clause into a side: positive leans toward the stance's topic.
func concededSide(conceded, main int, stance *claimWords, mainText string) int {
	// What a reply concedes is the side it does not take; that reading
	// holds whatever the main clause is about. The main clause's own
	// valence counts only when it speaks of the stance's topic: "While X
	// has advantages, Y remains more effective" praises Y, not X.
	side := -2 * conceded
	if stance.n > 0 && mentions(mainText, stance) {
		side += main
	}
	return side
}

// mentions reports whether text holds a content word of c.
func mentions(text string, c *claimWords) bool {
	found := false
	eachWord(text, func(h uint32) {
		if !found && c.bloom.has(h) && c.index(h) >= 0 {
			found = true
		}
	})
	return found
}

// maxClaimWords bounds the content words of a claim (an assigned stance
// or a user's stated claim: one sentence) that sentence checks track.
const maxClaimWords = 32

// claimWords holds the distinct content words of a claim, with a Bloom set
// so that most reply words are rejected with one lookup, and how often each
// occurs, so that the claim's words are read once.
type claimWords struct {
	hs    [maxClaimWords]uint32
	reps  [maxClaimWords]int // occurrences of hs[i]
	n     int
	bloom wordSet
	// text is the claim; more reports that it has more distinct content
	// words than hs holds.
	text string
	more bool
}

func (c *claimWords) set(text string) {
	*c = claimWords{text: text}
	eachWord(text, func(h uint32) {
		if i := c.index(h); i >= 0 {
			c.reps[i]++
			return
		}
		if c.n == maxClaimWords {
			c.more = true
			return
		}
		c.hs[c.n] = h
		c.reps[c.n] = 1
		c.n++
		c.bloom.add(h)
	})
}

// shareIn is the share of the claim's content words (counting repeats)
// found in set: the package's shareIn of the claim's text.
func (c *claimWords) shareIn(set *wordSet) float64 {
	if c.more {
		return shareIn(c.text, set)
	}
	var total, found int
	for i, h := range c.hs[:c.n] {
		total += c.reps[i]
		if set.has(h) {
			found += c.reps[i]
		}
	}
	if total == 0 {
		return 0
	}
	return float64(found) / float64(total)
}

func (c *claimWords) index(h uint32) int {
	for i, x := range c.hs[:c.n] {
		if x == h {
			return i
		}
	}
	return -1
}

// restatements counts, per claim, the sentences that restate it (at least
// half of its content words, and two or more), split by whether the
// sentence holds a negation: "X should not be mandatory" against "X should
// be mandatory". A reply that argues the other side mostly denies the claim
// in its own words; one that keeps it affirms it.
type restatements struct{ affirmed, denied int }

// wordPass walks the reply's tokens (recorded by its scan) once: it
// returns the reply's word set and the restatements of the stance and of the
// user's claim (either may be empty).
func (a *Analyzer) wordPass(reply string, stance, claim *claimWords) (set wordSet, rs, rc restatements) {
	l := a.opts.lang
	hit := 0 // next reply hit to look at for negations
	sentStart := 0
	var ms, mc uint32
	// lastS and lastC are where the sentence's last word of the stance and
	// of the claim ends: a nominal negation ("no commute") denies a
	// restatement only when it comes before one of its words.
	var lastS, lastC int
	closeSentence := func(end int) {
		ns, nc := stance.n >= 2 && bits.OnesCount32(ms) >= max(2, (stance.n+1)/2), claim.n >= 2 && bits.OnesCount32(mc) >= max(2, (claim.n+1)/2)
		if ns || nc {
			// neg is where the sentence's first negation that denies
			// whatever comes before it starts (sentStart for a clausal
			// one, which denies the whole sentence), -1 for none.
			neg := -1
			for ; hit < len(a.reply) && int(a.reply[hit].start) < end; hit++ {
				h := a.reply[hit]
				if int(h.start) < sentStart {
					continue
				}
				switch l.auto.pats[h.pat].family {
				case l.famNegation:
					neg = sentStart
				case l.famNegationNominal:
					if neg < 0 {
						neg = int(h.start)
					}
				}
			}
			for _, x := range [...]struct {
				on   bool
				last int
				r    *restatements
			}{{ns, lastS, &rs}, {nc, lastC, &rc}} {
				if !x.on {
					continue
				}
				if neg >= 0 && neg < x.last {
					x.r.denied++
				} else {
					x.r.affirmed++
				}
			}
		}
		ms, mc, sentStart = 0, 0, end
	}
	prevEnd := 0
	a.nparas = 0
	for _, t := range a.toks {
		if t.nl {
			closeSentence(prevEnd)
			if a.nparas < len(a.paras) {
				a.paras[a.nparas] = t.start
				a.nparas++
			}
		}
		prevEnd = int(t.end)
		if !t.word {
			switch reply[t.start] {
			case '.', '!', '?':
				if e := int(t.end); e == len(reply) || reply[e] == ' ' || reply[e] == '\n' || reply[e] == '*' || reply[e] == '"' {
					closeSentence(e)
				}
			}
			continue
		}
		if !t.word || isStopHash(t.hash) {
			continue
		}
		h := t.hash
		set.add(h)
		if stance.n > 0 && stance.bloom.has(h) {
			if i := stance.index(h); i >= 0 {
				ms |= 1 << i
				lastS = int(t.end)
			}
		}
		if claim.n > 0 && claim.bloom.has(h) {
			if i := claim.index(h); i >= 0 {
				mc |= 1 << i
				lastC = int(t.end)
			}
		}
	}
	closeSentence(len(reply))
	return set, rs, rc
}

// userClaims returns the claim the last user turn states ("I firmly believe
// X" gives X) and the other side's claim when the turn names one ("and
// they're saying that Y"), each cut at the end of its clause.
func (a *Analyzer) userClaims(t *chat.Turn) (claim, other string) {
	l := a.opts.lang
	mc, ok1 := l.famUserClaim, l.famUserClaim >= 0
	mo, ok2 := l.famOtherClaim, l.famOtherClaim >= 0
	if t.UserIndex < 0 || !ok1 || !ok2 {
		return "", ""
	}
	u := t.User
	for _, h := range a.user {
		fam := h.fam
		if fam != mc && fam != mo {
			continue
		}
		rest := u[h.end:claimEnd(u, int(h.end))]
		if !startsClaim(rest) {
			continue
		}
		if fam == mc && claim == "" {
			claim = rest
		}
		if fam == mo && other == "" {
			other = rest
		}
	}
	return claim, other
}

// openingWords is the word set of the reply's tokens that end by end (its
// opening), from the tokens its scan recorded.
func (a *Analyzer) openingWords(end int) (s wordSet) {
	for _, t := range a.toks {
		if int(t.end) > end {
			break
		}
		if t.word && !isStopHash(t.hash) {
			s.add(t.hash)
		}
	}
	return s
}
