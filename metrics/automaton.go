package metrics

import (
	"slices"
	"unicode/utf8"
)

// automaton finds every phrase of the lexicon in one pass over a text. It
// works on words, not bytes: the scan splits the text into tokens (words of
// ASCII letters and digits, with inner apostrophes, hyphens and slashes, and
// single punctuation marks), maps each token to its id in the lexicon's
// vocabulary with one hash probe, and steps an Aho-Corasick machine over
// those ids. Phrases therefore match whole words only, ASCII case-
// insensitively, whatever the spacing between them, and a typographic
// apostrophe reads as a straight one.
//
// Why words: the lexicon's alternations ("(that's|this is) (a |an |)
// (great|...) (question|...)") expand to thousands of phrases whose byte
// trie has tens of thousands of states; a dense byte DFA over them is
// megabytes and slow to walk. Over words the machine has a few thousand
// states, kept in a hash table small enough for the cache.
//
// A single-word phrase ending in "*" ("stereotyp*") matches any word that
// starts with it; those are checked per word, outside the machine.
type automaton struct {
	vocab  table          // token hash -> token id (1-based); 0 = not in any phrase
	prefix [26][]prefixID // single-word prefix phrases, by first letter
	root   []int32        // root transitions, dense by token id
	edges  table          // (state<<32 | token id) -> next state, for states > 0
	states []state
	outPat []outEntry
	pats   []pattern
	info   []patInfo // per pattern: family and tokens, for the scan
	// hasPrefix marks the bytes (letters, both cases) that start a prefix
	// phrase; prefix2, by first letter, the second letters (a bit each).
	hasPrefix [256]bool
	prefix2   [26]uint32
	maxToks   int
}

// state is what the scan reads of a state of the machine, in one cache
// line: its failure link, its outputs, outPat[out.lo:out.hi], and a filter
// of the tokens it has an edge on (bit id%32 of each), so that most
// failing transitions skip the probe of edges.
type state struct {
	fail int32
	kids uint32
	out  outRange
}

// kidBit is the bit of token id in state.kids.
func kidBit(id int32) uint32 { return 1 << (id & 31) }

// outRange locates a state's outputs in outPat.
type outRange struct{ lo, hi int32 }

// patInfo is the part of a pattern the scan reads, packed.
type patInfo struct{ fam, ntok int32 }

// outEntry is one output of a state: the pattern and its patInfo, inline,
// so that reporting a match is one load less.
type outEntry struct {
	pat int32
	patInfo
}

// pattern is one phrase of the lexicon after expansion.
type pattern struct {
	text   string // lowercase, ASCII
	family int32
	prefix bool // a single word that matches any word starting with it ("apologi*")
	ntok   int  // tokens in the phrase (set by compile)
}

type prefixID struct {
	text string
	pat  int32
}

// match is one occurrence of a pattern in a text: bytes [start, end).
type match struct {
	pat, fam   int32
	start, end int32
}

// Byte kinds for the tokenizer.
const (
	kOther = iota // non-ASCII (but see kLead) and control bytes: breaks phrases
	kWord         // ASCII letter or digit
	kSpace        // space, tab, CR, LF: separates tokens
	kJoin         // ' - /: inside a word when a letter or digit follows
	kPunct        // other ASCII punctuation: a token of its own
	kLead         // 0xE2: may start a typographic apostrophe
)

var byteKind = func() (k [256]uint8) {
	for b := 0; b < 256; b++ {
		switch c := byte(b); {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			k[b] = kWord
		case c == ' ', c == '\t', c == '\n', c == '\r':
			k[b] = kSpace
		case c == '\'', c == '-', c == '/':
			k[b] = kJoin
		case c > ' ' && c < 0x7f:
			k[b] = kPunct
		case c == 0xE2:
			k[b] = kLead
		}
	}
	return k
}()

const (
	fnvOffset uint64 = 14695981039346656037
	fnvPrime  uint64 = 1099511628211
)

// hashByte folds one byte into an FNV-1a hash.
func hashByte(h uint64, b byte) uint64 { return (h ^ uint64(b)) * fnvPrime }

func isWordByte(b byte) bool { return byteKind[b] == kWord }

// isApostrophe reports whether text[i:] starts with ’ or ‘ (3 bytes).
func isApostrophe(text string, i int) bool {
	return i+2 < len(text) && text[i] == 0xE2 && text[i+1] == 0x80 && (text[i+2] == 0x99 || text[i+2] == 0x98)
}

// token is one token of a text: its hash (of the folded bytes), and bytes.
type token struct {
	hash       uint64
	start, end int32
	word       bool
	nl         bool // a newline separates this token from the previous one
}

// nextToken returns the token starting at or after i, and false at the end.
// The scan inlines the same logic; nextToken serves the lexicon, the
// features' word passes and the tests.
func nextToken(text string, i int) (token, bool) {
	nl := false
	for i < len(text) {
		switch byteKind[text[i]] {
		case kSpace:
			nl = nl || text[i] == '\n'
			i++
			continue
		case kWord:
			h, j := wordToken(text, i)
			return token{hash: h, start: int32(i), end: int32(j), word: true, nl: nl}, true
		case kPunct, kJoin:
			return token{hash: hashByte(fnvOffset, text[i]), start: int32(i), end: int32(i + 1), nl: nl}, true
		case kLead:
			if isApostrophe(text, i) {
				return token{hash: hashByte(fnvOffset, '\''), start: int32(i), end: int32(i + 3), nl: nl}, true
			}
			fallthrough
		default:
			// A byte no phrase uses: a token that matches nothing, so that
			// phrases do not run across it. Skip the rest of a UTF-8
			// sequence in one go.
			_, size := utf8.DecodeRuneInString(text[i:])
			return token{hash: 0, start: int32(i), end: int32(i + size), nl: nl}, true
		}
	}
	return token{}, false
}

// wordToken hashes the word starting at text[i] (a letter or digit) and
// returns its hash and end: letters and digits, case-folded, and inner
// apostrophes (typographic ones read as straight), hyphens and slashes.
func wordToken(text string, i int) (uint64, int) {
	h := fnvOffset
	j := i
	for j < len(text) {
		b := text[j]
		switch byteKind[b] {
		case kWord:
			h = hashByte(h, lower[b])
			j++
			continue
		case kJoin:
			if j+1 < len(text) && byteKind[text[j+1]] == kWord {
				h = hashByte(h, b)
				j++
				continue
			}
		case kLead:
			if isApostrophe(text, j) && j+3 < len(text) && byteKind[text[j+3]] == kWord {
				h = hashByte(h, '\'')
				j += 3
				continue
			}
		}
		break
	}
	return h, j
}

var lower = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if i >= 'A' && i <= 'Z' {
			t[i] += 'a' - 'A'
		}
	}
	return t
}()

// tokenize splits a phrase of the lexicon into its tokens' hashes.
func tokenize(s string) []uint64 {
	var hs []uint64
	for i := 0; ; {
		t, ok := nextToken(s, i)
		if !ok {
			return hs
		}
		hs = append(hs, t.hash)
		i = int(t.end)
	}
}

// compile builds the machine. Patterns must be non-empty, ASCII and
// lowercase. A prefix pattern of more than one token matches exactly.
func compile(pats []pattern) *automaton {
	a := &automaton{pats: pats}
	ids := map[uint64]int32{}
	id := func(h uint64) int32 {
		if v, ok := ids[h]; ok {
			return v
		}
		v := int32(len(ids) + 1)
		ids[h] = v
		return v
	}
	type node struct {
		next map[int32]int32
		out  []int32
	}
	nodes := []node{{next: map[int32]int32{}}}
	for pi := range pats {
		p := &pats[pi]
		hs := tokenize(p.text)
		p.ntok = len(hs)
		if p.prefix && len(hs) == 1 && p.text[0] >= 'a' && p.text[0] <= 'z' {
			a.prefix[p.text[0]-'a'] = append(a.prefix[p.text[0]-'a'], prefixID{text: p.text, pat: int32(pi)})
			continue
		}
		p.prefix = false
		if len(hs) == 0 {
			continue
		}
		a.maxToks = max(a.maxToks, len(hs))
		s := int32(0)
		for _, h := range hs {
			t := id(h)
			nx, ok := nodes[s].next[t]
			if !ok {
				nodes = append(nodes, node{next: map[int32]int32{}})
				nx = int32(len(nodes) - 1)
				nodes[s].next[t] = nx
			}
			s = nx
		}
		nodes[s].out = append(nodes[s].out, int32(pi))
	}
	a.vocab = newTable(len(ids))
	for h, v := range ids {
		a.vocab.put(h, v)
	}
	a.root = make([]int32, len(ids)+1)
	for t, nx := range nodes[0].next {
		a.root[t] = nx
	}
	// Failure links breadth-first, outputs inherited along them.
	fail := make([]int32, len(nodes))
	nedges := 0
	for _, nd := range nodes[1:] {
		nedges += len(nd.next)
	}
	a.edges = newTable(nedges)
	queue := append(make([]int32, 0, len(nodes)), sortedChildren(nodes[0].next)...)
	goTo := func(s, t int32) int32 {
		for {
			if nx, ok := nodes[s].next[t]; ok {
				return nx
			}
			if s == 0 {
				return 0
			}
			s = fail[s]
		}
	}
	for q := 0; q < len(queue); q++ {
		s := queue[q]
		nodes[s].out = append(nodes[s].out, nodes[fail[s]].out...)
		for _, t := range sortedKeys(nodes[s].next) {
			c := nodes[s].next[t]
			fail[c] = goTo(fail[s], t)
			if s == 0 {
				fail[c] = 0
			}
			a.edges.put(uint64(s)<<32|uint64(t), c)
			queue = append(queue, c)
		}
	}
	a.info = make([]patInfo, len(pats))
	for i, p := range pats {
		a.info[i] = patInfo{fam: p.family, ntok: int32(min(p.ntok, ringSize+1))}
	}
	a.states = make([]state, len(nodes))
	for s, nd := range nodes {
		st := &a.states[s]
		st.fail = fail[s]
		for t := range nd.next {
			st.kids |= kidBit(t)
		}
		lo := int32(len(a.outPat))
		for _, pi := range nd.out {
			if a.info[pi].ntok > ringSize {
				continue // never reported: dropped here rather than checked per match
			}
			a.outPat = append(a.outPat, outEntry{pat: pi, patInfo: a.info[pi]})
		}
		st.out = outRange{lo, int32(len(a.outPat))}
	}
	for c, ps := range a.prefix {
		for _, p := range ps {
			a.hasPrefix['a'+c] = true
			a.hasPrefix['A'+c] = true
			if len(p.text) < 2 || p.text[1] < 'a' || p.text[1] > 'z' {
				a.prefix2[c] = ^uint32(0) // no filter on the second byte
			} else {
				a.prefix2[c] |= 1 << (p.text[1] - 'a')
			}
		}
	}
	return a
}

func sortedKeys(m map[int32]int32) []int32 {
	ks := make([]int32, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && ks[j] < ks[j-1]; j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	return ks
}

func sortedChildren(m map[int32]int32) []int32 {
	ks := sortedKeys(m)
	out := make([]int32, len(ks))
	for i, k := range ks {
		out[i] = m[k]
	}
	return out
}

// ringSize bounds the phrases the scan reports, in tokens (longer ones are
// skipped; the lexicon has none).
const ringSize = 64

// scan appends to dst every match of a pattern in text and returns the
// extended slice. Matches come in order of their end offset; spans start
// and end on UTF-8 boundaries (a match that a cut multi-byte sequence
// follows is dropped).
func (a *automaton) scan(text string, dst []match) []match {
	var sb scanBuffer
	dst, _ = a.scanTokens(text, dst, nil, &sb)
	return dst
}

// wordTok is a token the word-level features read: a word of four bytes
// or more, or a sentence-ending mark (. ! ?).
type wordTok struct {
	hash       uint32 // wordHash of the word (0 for a mark)
	start, end int32
	word       bool
	nl         bool // a newline comes after the previous kept token
}

// rawTok is one token of a scanned text: the hash of its folded bytes (0
// for a byte no phrase uses) and its bytes.
type rawTok struct {
	hash       uint64
	start, end int32
}

// foldWord maps an ASCII letter or digit to its lowercase form and every
// other byte to 0: the tokenizer's one lookup per byte of a word.
var foldWord = func() (t [256]byte) {
	for b := 0; b < 256; b++ {
		if byteKind[b] == kWord {
			t[b] = lower[b]
		}
	}
	return t
}()

// scanTokens is scan that also appends to *toks, when toks is not nil, the
// tokens the word-level features read (words of four bytes or more and
// sentence-ending punctuation). sb is its scratch space, reused from call
// to call. The work is two tight loops: the tokenizer, then the machine
// over the tokens (most of the cost of an analysis). It also reports
// whether text holds a character that hides words (fold.go).
//
// The loops take the text by blocks of scanBlock bytes, so that sb holds
// the tokens of a block, not of the whole text (16 bytes a token, four
// times the text for prose): the machine carries its state from block to
// block, and the last ringSize tokens before a block, where a phrase that
// ends in it may start, are kept aside.
func (a *automaton) scanTokens(text string, dst []match, toks *[]wordTok, sb *scanBuffer) ([]match, bool) {
	z := newTokenizer(text, sb.raw[:0], toks)
	c := &sb.carry
	c.s = 0
	block := scanBlock
	if sb.block > 0 {
		block = sb.block
	}
	for i := 0; i < len(text); {
		i = z.tokens(i, i+min(len(text)-i, block))
		dst = a.run(text, z.raw, c, dst)
		if i < len(text) {
			c.keep(z.raw)
			z.raw, z.blockStart = z.raw[:0], i
		}
	}
	sb.raw = z.raw
	if z.keep {
		*toks = z.toks
	}
	return dst, z.hidden
}

// scanBuffer is the scratch space of scanTokens: the tokens of a block of
// text, and what the machine carries to the next block (in the buffer,
// not on the stack, which would clear it at every call).
type scanBuffer struct {
	raw   []rawTok
	carry carry
	// block, when > 0, is the block size instead of scanBlock: the tests
	// scan by blocks of a few bytes, and in one block, to compare.
	block int
}

// carry is what the machine carries from a block of text to the next:
// its state, and the last ringSize tokens, where a phrase that ends in the
// next block may start. When the text has fewer so far, the first
// entries of buf are left from an earlier text, and never read: a phrase
// the state reports starts in this text.
type carry struct {
	s   int32
	buf [ringSize]rawTok
}

// keep adds a block's tokens to the ones c holds.
func (c *carry) keep(raw []rawTok) {
	if n := len(raw); n >= ringSize {
		copy(c.buf[:], raw[n-ringSize:])
	} else {
		copy(c.buf[:], c.buf[n:])
		copy(c.buf[ringSize-n:], raw)
	}
}

// scanBlock is the size of the blocks of text that scanTokens tokenizes
// before it runs the machine over their tokens.
const scanBlock = 16 << 10

// rateBytes is the least text growRest reads a rate from.
const rateBytes = 4 << 10

// tokenChunk bounds the bytes tokenizer.tokens reads between checks of
// its buffers' room.
const tokenChunk = 1024

func newTokenizer(text string, raw []rawTok, toks *[]wordTok) tokenizer {
	z := tokenizer{text: text, raw: raw, keep: toks != nil}
	if z.keep {
		z.toks = *toks
	}
	return z
}

// tokens appends the tokens that start in text[i:end] to z.raw and, when
// z.keep, the ones the word features read to z.toks, and returns the end
// of the last one.
//
// A token holds one byte at least, so a chunk of the text starts at most as
// many tokens as it has bytes: the buffers have room for that much before
// each chunk, and tokenizer.chunk stores by index, without append's growth
// path (whose call would cost its loop registers). When they need more,
// they grow for the rest of the text at once (growRest: raw for the rest
// of the block, from z.blockStart to end, toks for the rest of the text),
// not by append's steps, whose copies add up to about five times the
// final size.
//
// It notes in z.hidden whether the text holds a character that folding
// changes (foldsTo; a homoglyph only in a mixed-script word,
// tokenizer.folds): every non-ASCII rune but an apostrophe reaches the
// tokenizer's slow path, which checks it, so ASCII text pays nothing. The
// slow path tells Greek and Cyrillic letters and CJK ideographs by their
// leading byte, without decoding them (greekCyrillicLead0, noFoldLead0).
func (z *tokenizer) tokens(i, end int) int {
	for i < end {
		limit := min(end, i+tokenChunk)
		if cap(z.raw)-len(z.raw) < limit-i {
			z.raw = growRest(z.raw, i-z.blockStart, end-z.blockStart, limit-i)
		}
		if z.keep && cap(z.toks)-len(z.toks) < limit-i {
			z.toks = growRest(z.toks, i, len(z.text), limit-i)
		}
		i = z.chunk(i, limit)
	}
	return i
}

// growRest returns s, which holds what the first done bytes of n gave
// (tokens, or the machine's matches), with
// room for what the rest will give: as much as the rate so far predicts,
// plus an eighth and min, and at least min more. Input of even density
// grows its buffer once more after its first part (the copies of append's
// growth add up to about five times the final size: 20 MB for a 512 KiB
// reply); a denser part further on grows it again, by append's factor at
// least.
//
// Before rateBytes, it grows s as append does: the rate of a few bytes
// says nothing of the rest ("You're absolutely right! Great question!"
// opening 1 MiB of plain prose made room for 60,000 matches, 1 MB, from
// the rate of its first 20 bytes).
func growRest[S ~[]E, E any](s S, done, n, min int) S {
	want := min
	if done >= rateBytes {
		rest := int(uint64(len(s)) * uint64(n-done) / uint64(done))
		want = max(want, rest+rest/8+min)
	}
	return slices.Grow(s, want)
}

// tokenizer is the state of tokenizer.tokens between chunks.
type tokenizer struct {
	text          string
	raw           []rawTok
	toks          []wordTok
	keep          bool // record toks
	blockStart    int  // where the text whose tokens raw holds starts
	nl, pendingNL bool
	hidden        bool // a character folding changes was met
	// plainEnd is where the last word mixedWord read ends: a homoglyph
	// before it has been decided.
	plainEnd int
}

// folds reports whether folding changes the character text[i:i+n], which
// foldsTo folds to to (>= 0): always, but a homoglyph only in a
// mixed-script word (fold.go). It reads a homoglyph's word only past the
// last word it read (plainEnd) and when a neighbor may be in it
// (nearWord): each word once, and the words of Russian or Greek text
// almost never.
func (z *tokenizer) folds(to, i, n int) bool {
	if to < homoglyph {
		return true
	}
	if i < z.plainEnd || !nearWord(z.text, i, n) {
		return false
	}
	end, mixed := mixedWord(z.text, i, n)
	z.plainEnd = end
	return mixed
}

// greekCyrillic reports whether folding changes the two-byte rune at
// text[i], led by greekCyrillicLead0..1 (a Greek or Cyrillic letter),
// which the tokenizer does not decode.
func (z *tokenizer) greekCyrillic(i int) bool {
	to := greekCyrillicAt(z.text, i)
	return to >= 0 && z.folds(to, i, 2)
}

// chunk appends the tokens that start in text[i:limit] and returns the end
// of the last one. raw, and toks when kept, have room for limit-i more.
func (z *tokenizer) chunk(i, limit int) int {
	text, keep := z.text, z.keep
	n := len(text)
	raw, nr := z.raw[:cap(z.raw)], len(z.raw)
	tk, nt := z.toks[:cap(z.toks)], len(z.toks)
	nl, pendingNL := z.nl, z.pendingNL
	for i < limit {
		b := text[i]
		start := i
		var h uint64
		if c := foldWord[b]; c != 0 {
			// A word: letters and digits, case-folded, with inner
			// apostrophes (typographic ones read as straight), hyphens
			// and slashes (wordToken's rules).
			h = hashByte(fnvOffset, c)
			i++
			for i < n {
				b := text[i]
				if c := foldWord[b]; c != 0 {
					h = hashByte(h, c)
					i++
					continue
				}
				if byteKind[b] == kJoin {
					if i+1 < n && foldWord[text[i+1]] != 0 {
						h = hashByte(h, b)
						i++
						continue
					}
				} else if b == 0xE2 && isApostrophe(text, i) && i+3 < n && foldWord[text[i+3]] != 0 {
					h = hashByte(h, '\'')
					i += 3
					continue
				}
				break
			}
			if keep {
				pendingNL = pendingNL || nl
				if i-start >= 4 {
					// Field by field: a composite literal is built on the
					// stack in narrow stores and copied with one 16-byte
					// load, which store forwarding cannot serve (a stall
					// of a dozen cycles per word).
					w := &tk[nt]
					w.hash, w.start, w.end = uint32(h^h>>32), int32(start), int32(i)
					w.word, w.nl = true, pendingNL
					nt++
					pendingNL = false
				}
			}
			nl = false
			raw[nr] = rawTok{hash: h, start: int32(start), end: int32(i)}
			nr++
			// Words are mostly one space apart.
			if i+1 < n && text[i] == ' ' && foldWord[text[i+1]] != 0 {
				i++
			}
			continue
		}
		switch byteKind[b] {
		case kSpace:
			nl = nl || b == '\n'
			i++
			continue
		case kPunct, kJoin:
			h = hashByte(fnvOffset, b)
			i++
		default:
			if isApostrophe(text, i) {
				h = hashByte(fnvOffset, '\'')
				i += 3
				break
			}
			// A byte no phrase uses: a token that matches nothing, so
			// that phrases do not run across it (hash 0). Skip the rest
			// of a UTF-8 sequence in one go, and note whether folding
			// changes the character (fold.go). Two kinds of rune are
			// told by their leading byte, without decoding them:
			switch {
			case b >= greekCyrillicLead0 && b <= greekCyrillicLead1 && i+1 < n && text[i+1]&0xc0 == 0x80:
				// Greek and Cyrillic letters, where only a homoglyph in
				// a mixed-script word folds: a look at the bytes on
				// either side rules that out first, in a branch that
				// Russian or Greek text almost never takes.
				if nearBits(text, i, 2) != 0 && !z.hidden {
					z.hidden = z.greekCyrillic(i)
				}
				i += 2
			case b >= noFoldLead0 && b <= noFoldLead1 && i+2 < n && text[i+1]&0xc0 == 0x80 && text[i+2]&0xc0 == 0x80:
				// CJK ideographs, Yi and Hangul syllables, where
				// nothing folds.
				i += 3
			default:
				r, size := utf8.DecodeRuneInString(text[i:])
				if to := foldsTo(r, size); to >= 0 && !z.hidden {
					z.hidden = z.folds(to, i, size)
				}
				i += size
			}
		}
		// A newline before a mark or another non-word token is dropped
		// (nextToken's tokens started their own newline flag); the
		// features were trained that way.
		nl = false
		if keep && (b == '.' || b == '!' || b == '?') {
			tk[nt] = wordTok{start: int32(start), end: int32(i), nl: pendingNL}
			nt++
			pendingNL = false
		}
		raw[nr] = rawTok{hash: h, start: int32(start), end: int32(i)}
		nr++
	}
	z.raw, z.toks = raw[:nr], tk[:nt]
	z.nl, z.pendingNL = nl, pendingNL
	return i
}

// run steps the machine over the tokens of text in raw, from the state c
// holds, and appends the matches to dst, with the single-word prefix
// phrases; it leaves its last state in c. The tokens before raw, where a
// phrase may start, are c's.
func (a *automaton) run(text string, raw []rawTok, c *carry, dst []match) []match {
	s := c.s
	states, outPat := a.states, a.outPat
	for j, t := range raw {
		// Only letters are marked: a word starts with one (or a digit).
		if b := text[t.start]; a.hasPrefix[b] && a.secondMayMatch(text, t, lower[b]-'a') {
			dst = a.prefixMatches(text, t.start, t.end, a.prefix[lower[b]-'a'], dst)
		}
		// The transition on the token's id (0 = a token in no phrase,
		// which resets the machine).
		var tid int32
		if t.hash != 0 {
			tid, _ = a.vocab.get(t.hash)
		}
		if tid == 0 {
			s = 0
			continue
		}
		for {
			if s == 0 {
				s = a.root[tid]
				break
			}
			st := &states[s]
			if st.kids&kidBit(tid) != 0 {
				if nx, ok := a.edges.get(uint64(s)<<32 | uint64(tid)); ok {
					s = nx
					break
				}
			}
			s = st.fail
		}
		if s == 0 {
			continue
		}
		o := states[s].out
		if o.lo == o.hi || !endsOnRune(text, int(t.end)) {
			continue
		}
		if cap(dst)-len(dst) < int(o.hi-o.lo) {
			dst = growRest(dst, int(t.start), len(text), int(o.hi-o.lo))
		}
		for _, e := range outPat[o.lo:o.hi] {
			// The state's depth, so the pattern's length, is at most the
			// tokens read since the last reset and at most ringSize,
			// and c holds ringSize tokens before raw, or all since the
			// text's start: the phrase starts in them when k < 0.
			var start int32
			if k := j + 1 - int(e.ntok); k >= 0 {
				start = raw[k].start
			} else {
				start = c.buf[ringSize+k].start
			}
			dst = append(dst, match{pat: e.pat, fam: e.fam, start: start, end: t.end})
		}
	}
	c.s = s
	return dst
}

func endsOnRune(text string, end int) bool { return end >= len(text) || utf8.RuneStart(text[end]) }

// secondMayMatch reports whether the second byte of token t may continue a
// prefix phrase starting with letter c: a filter before prefixMatches.
func (a *automaton) secondMayMatch(text string, t rawTok, c byte) bool {
	m := a.prefix2[c]
	if m == ^uint32(0) {
		return true
	}
	if t.end-t.start < 2 {
		return false
	}
	b := lower[text[t.start+1]] - 'a'
	return b < 26 && m&(1<<b) != 0
}

// prefixMatches appends the single-word prefix phrases that the word
// text[start:end] starts with.
func (a *automaton) prefixMatches(text string, start, end int32, ps []prefixID, dst []match) []match {
	w := text[start:end]
	if !endsOnRune(text, int(end)) {
		return dst
	}
	for _, p := range ps {
		if len(w) >= len(p.text) && hasFoldedPrefix(w, p.text) {
			dst = append(dst, match{pat: p.pat, fam: a.info[p.pat].fam, start: start, end: end})
		}
	}
	return dst
}

// hasFoldedPrefix reports whether w starts with p, ASCII case-insensitively
// (p is lowercase ASCII; len(w) >= len(p)). A word token holds ASCII and
// typographic apostrophes only, so this is strings.EqualFold on w[:len(p)].
func hasFoldedPrefix(w, p string) bool {
	for i := 0; i < len(p); i++ {
		if lower[w[i]] != p[i] {
			return false
		}
	}
	return true
}

// table is an open-addressing hash table from nonzero uint64 keys to int32.
// Key and value share a slot, so that a probe touches one cache line.
type table struct {
	slots []slot
	mask  uint64
	shift uint
}

type slot struct {
	key uint64
	val int32
}

// newTable returns a table for n keys, its size the smallest power of two
// that keeps it at most two thirds full. Lower loads shorten the probes,
// but the transition table is read once per token and sized for the whole
// lexicon: kept at most half full, the English lexicon's 20,000
// transitions took 65,536 slots (1 MiB, a whole core's L2 cache) where
// 32,768 hold them 62% full.
func newTable(n int) table {
	size, bitsN := 16, uint(4)
	for size < n+n/2+1 {
		size <<= 1
		bitsN++
	}
	return table{slots: make([]slot, size), mask: uint64(size - 1), shift: 64 - bitsN}
}

// index is Fibonacci hashing: one multiply, the top bits pick the slot.
// The shift is masked to 6 bits (it is at most 60): Go defines a shift by
// 64 or more, so an unmasked variable shift costs a compare and two more
// instructions per probe to fix up a case that cannot happen.
func (t *table) index(k uint64) uint64 { return (k * 0x9E3779B97F4A7C15) >> (t.shift & 63) }

func (t *table) put(k uint64, v int32) {
	if k == 0 {
		k = 1 // keys are hashes; 0 marks an empty slot
	}
	for i := t.index(k); ; i = (i + 1) & t.mask {
		if s := &t.slots[i]; s.key == 0 || s.key == k {
			s.key, s.val = k, v
			return
		}
	}
}

func (t *table) get(k uint64) (int32, bool) {
	if k == 0 {
		k = 1
	}
	for i := t.index(k); ; i = (i + 1) & t.mask {
		switch s := &t.slots[i]; s.key {
		case k:
			return s.val, true
		case 0:
			return 0, false
		}
	}
}
