package metrics

import (
	"cmp"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rolegate/rolegate/chat"
)

// tokenizeText returns the tokens of text appended to raw, in one block
// (tokenizer.tokens), appends to *toks, when toks is not nil, the ones the
// word features read, and reports whether text holds a character that
// folding changes.
func tokenizeText(text string, raw []rawTok, toks *[]wordTok) ([]rawTok, bool) {
	z := newTokenizer(text, raw, toks)
	z.tokens(0, len(text))
	if z.keep {
		*toks = z.toks
	}
	return z.raw, z.hidden
}

// TestScanBlocks: scanning a text by blocks (scanTokens) finds the matches
// and records the word tokens that one pass of the machine over all of its
// tokens does, wherever a block ends: inside a phrase, inside a word, in a
// first block that holds fewer tokens than a phrase may span, and in text
// a block long that holds no phrase at all.
func TestScanBlocks(t *testing.T) {
	a := English().auto
	const phrases = "I understand that you're absolutely right, and it's understandable to feel that way. Great question! "
	var texts []string
	for pad := 0; pad < len(phrases); pad += 3 {
		texts = append(texts, strings.Repeat("x", pad)+strings.Repeat(phrases, 3*scanBlock/len(phrases)))
	}
	texts = append(texts,
		strings.Repeat("y", scanBlock+100)+" "+phrases+strings.Repeat("z", 2*scanBlock)+" "+phrases, // words longer than a block
		strings.Repeat(". ", scanBlock)+phrases,                                                     // a block of marks, no phrase
	)
	for _, text := range texts {
		raw, _ := tokenizeText(text, nil, nil)
		want := a.run(text, raw, &carry{}, nil)
		var wantToks []wordTok
		tokenizeText(text, nil, &wantToks)

		var toks []wordTok
		var sb scanBuffer
		got, _ := a.scanTokens(text, nil, &toks, &sb)
		if !slices.Equal(got, want) {
			t.Fatalf("text of %d bytes starting %.12q: %d matches by blocks, %d in one pass", len(text), text, len(got), len(want))
		}
		if !slices.Equal(toks, wantToks) {
			t.Fatalf("text of %d bytes starting %.12q: %d word tokens by blocks, %d in one pass", len(text), text, len(toks), len(wantToks))
		}
		if len(want) == 0 {
			t.Fatalf("text of %d bytes starting %.12q: no match at all", len(text), text)
		}
		if cap(sb.raw) > 2*scanBlock {
			t.Errorf("text of %d bytes: the token buffer grew to %d, more than a block's", len(text), cap(sb.raw))
		}
	}
}

// blockPieces are the texts blockText lays around its input: phrases of the
// lexicon and of longPhrases, characters that make the tokenizer note a
// hidden character (zero-width, soft hyphen, full-width letters,
// homoglyphs in a mixed-script word), scripts it skips by their leading
// byte, cut UTF-8 sequences, newlines, and runs of marks and words longer
// than a block.
func blockPieces(a *automaton, block int) []string {
	ps := []string{
		"Yоu'rе аbsolutely right", "abso\u00adlutely right", "you\u200b're right", "\uff52\uff49\uff47\uff48\uff54",
		"Это понятно, Yоu", "这是完全可以理解的", "you’re right", "you\u2019", "\xe2\x80", "\xff", "\xce", "한국어",
		"\n", "\n\n", ". ", "! ", "?", "...", "--", "a-", "'", " ", "I'm sorry", "I apologize", "apologies!", "42",
		strings.Repeat("w", block+3), strings.Repeat(". ", block/2+1), strings.Repeat("!", block+1),
		strings.Repeat("la ", ringSize+6), strings.Join(longWords(ringSize), " "), strings.Join(longWords(ringSize+1), " "),
	}
	for _, p := range a.pats {
		ps = append(ps, p.text)
	}
	return ps
}

// longWords returns the first n words of longPhrases' phrases.
func longWords(n int) []string {
	w := make([]string, n)
	for i := range w {
		w[i] = fmt.Sprintf("w%d", i)
	}
	return w
}

// longPhrases is a machine with phrases of up to ringSize tokens and
// longer (which it never reports), phrases of a token repeated (deep
// failure links) and a prefix phrase, beside a few of the lexicon's.
var longPhrases = sync.OnceValue(func() *automaton {
	var pats []pattern
	add := func(text string, prefix bool) {
		pats = append(pats, pattern{text: text, family: int32(len(pats) % 3), prefix: prefix})
	}
	for _, n := range []int{1, 2, 3, ringSize - 1, ringSize, ringSize + 1} {
		add(strings.Repeat("la ", n)[:3*n-1], false)
		add(strings.Join(longWords(n), " "), false)
		add(strings.Join(longWords(n)[1:], " "), false)
	}
	add("apolog", true)
	add("you're right", false)
	add("absolutely right", false)
	add("right", false)
	add(". .", false)
	return compile(pats)
})

// blockText lays out a text of more than three blocks of the given size
// from s and pieces: s starts off bytes before each of the first three
// block boundaries, so that its words and phrases straddle them, and the
// gaps are filled with pieces chosen by seed, the last one cut (in the
// middle of a character, maybe) or padded with spaces to reach the spot.
func blockText(s string, block, off int, seed uint64, pieces []string) string {
	var b strings.Builder
	next := func() string {
		seed = seed*6364136223846793005 + 1442695040888963407
		return pieces[(seed>>33)%uint64(len(pieces))]
	}
	for k := 1; k <= 4; k++ {
		at := k*block - off
		for b.Len() < at {
			p := next()
			if rest := at - b.Len(); len(p) > rest {
				if seed&1 == 0 {
					p = p[:rest]
				} else {
					p = strings.Repeat(" ", rest)
				}
			}
			b.WriteString(p)
			if seed&6 == 0 {
				b.WriteByte(' ')
			}
		}
		b.WriteString(s)
	}
	b.WriteString(next())
	return b.String()
}

// naiveMatches returns the matches of a's phrases in text found the plain
// way: the tokens of nextToken, each phrase compared with the tokens that
// end at each one (phrases of more than ringSize tokens left out), and
// each prefix phrase with each word, in order of end, start and pattern.
func naiveMatches(a *automaton, text string) []match {
	var toks []token
	for i := 0; ; {
		t, ok := nextToken(text, i)
		if !ok {
			break
		}
		toks = append(toks, t)
		i = int(t.end)
	}
	ph := phrasesOf(a)
	var ms []match
	for j, t := range toks {
		if !endsOnRune(text, int(t.end)) {
			continue
		}
		if t.word {
			w := text[t.start:t.end]
			for _, pi := range ph.prefix {
				if p := a.pats[pi]; len(w) >= len(p.text) && hasFoldedPrefix(w, p.text) {
					ms = append(ms, match{pat: int32(pi), fam: p.family, start: t.start, end: t.end})
				}
			}
		}
		for _, pi := range ph.byLast[t.hash] {
			hs := ph.hashes[pi]
			k := j + 1 - len(hs)
			if k < 0 {
				continue
			}
			same := true
			for x, h := range hs {
				if toks[k+x].hash != h {
					same = false
					break
				}
			}
			if same {
				ms = append(ms, match{pat: int32(pi), fam: a.pats[pi].family, start: toks[k].start, end: t.end})
			}
		}
	}
	sortMatches(ms)
	return ms
}

// naivePhrases are an automaton's phrases as naiveMatches reads them.
type naivePhrases struct {
	prefix []int            // the prefix phrases
	hashes [][]uint64       // the tokens of the others, of ringSize at most
	byLast map[uint64][]int // those phrases by their last token
}

var naiveCache sync.Map // *automaton -> *naivePhrases

func phrasesOf(a *automaton) *naivePhrases {
	if ph, ok := naiveCache.Load(a); ok {
		return ph.(*naivePhrases)
	}
	ph := &naivePhrases{hashes: make([][]uint64, len(a.pats)), byLast: map[uint64][]int{}}
	for pi, p := range a.pats {
		if p.prefix {
			ph.prefix = append(ph.prefix, pi)
			continue
		}
		hs := tokenize(p.text)
		if len(hs) == 0 || len(hs) > ringSize {
			continue
		}
		ph.hashes[pi] = hs
		ph.byLast[hs[len(hs)-1]] = append(ph.byLast[hs[len(hs)-1]], pi)
	}
	naiveCache.Store(a, ph)
	return ph
}

func sortMatches(ms []match) {
	slices.SortFunc(ms, func(x, y match) int {
		return cmp.Or(cmp.Compare(x.end, y.end), cmp.Compare(x.start, y.start), cmp.Compare(x.pat, y.pat))
	})
}

// checkScanBlocks compares the scan of text by blocks of the given size
// (scanTokens, with a scratch buffer another text has left dirty) with
// one pass of the tokenizer and the machine over all of its tokens, and
// the matches with naiveMatches.
func checkScanBlocks(t *testing.T, a *automaton, text string, block int) {
	t.Helper()
	var wantToks []wordTok
	raw, wantHidden := tokenizeText(text, nil, &wantToks)
	want := a.run(text, raw, &carry{}, nil)

	sb := scanBuffer{block: block}
	dirty := strings.Repeat("la w0 w1 w2 ", 3*ringSize) + "you're"
	a.scanTokens(dirty, nil, nil, &sb)
	toks := []wordTok{{hash: 1}} // scanTokens appends
	got, hidden := a.scanTokens(text, []match{{pat: -1}}, &toks, &sb)
	if len(got) == 0 || got[0].pat != -1 || len(toks) == 0 || toks[0].hash != 1 {
		t.Fatalf("block %d, %d bytes: scanTokens did not append to what dst and toks held", block, len(text))
	}
	got, toks = got[1:], toks[1:]
	if !slices.Equal(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("block %d, %d bytes %.40q: match %d of %d is %+v, one pass gives %+v (of %d)", block, len(text), text, i, len(got), got[i], want[i], len(want))
			}
		}
		t.Fatalf("block %d, %d bytes %.40q: %d matches by blocks, %d in one pass", block, len(text), text, len(got), len(want))
	}
	if !slices.Equal(toks, wantToks) {
		t.Fatalf("block %d, %d bytes %.40q: %d word tokens by blocks, %d in one pass", block, len(text), text, len(toks), len(wantToks))
	}
	if hidden != wantHidden {
		t.Fatalf("block %d, %d bytes %.40q: hidden %v by blocks, %v in one pass", block, len(text), text, hidden, wantHidden)
	}
	naive := naiveMatches(a, text)
	sorted := slices.Clone(got)
	sortMatches(sorted)
	if !slices.Equal(sorted, naive) {
		t.Fatalf("block %d, %d bytes %.40q: %d matches, %d by the plain comparison of every phrase\n got %v\nwant %v", block, len(text), text, len(sorted), len(naive), sorted, naive)
	}
}

// TestScanBlocksEverySize: short texts scanned by blocks of every size up
// to their length match one pass, so that a block ends at every byte:
// inside a phrase of exactly ringSize tokens (the oldest token the carry
// holds starts it), after a short word that a newline precedes (the word
// tokens' newline flag), inside a homoglyph's word and a typographic
// apostrophe.
func TestScanBlocksEverySize(t *testing.T) {
	texts := []struct {
		a    *automaton
		text string
	}{
		{longPhrases(), strings.Repeat("la ", 2*ringSize+5)},
		{longPhrases(), "x " + strings.Join(longWords(ringSize+1), " ") + " " + strings.Join(longWords(ringSize), " ") + " w1 w2"},
		{English().auto, "x\nab cd efgh. \n\nij! klmn\nop qrst?  Yоu'rе right, you\u200b're abso\u00adlutely right. I'm sorry; you’re right, apologies"},
	}
	for _, tt := range texts {
		for block := 1; block <= len(tt.text)+1; block++ {
			checkScanBlocks(t, tt.a, tt.text, block)
		}
	}
}

// FuzzScanBlocks: a text scanned by blocks (scanTokens) gives the matches,
// word tokens and hidden flag of one pass over all of its tokens, and the
// matches of the plain comparison of every phrase, wherever the blocks
// end: the fuzz input is laid across the boundaries of blocks of a few
// bytes and of scanBlock, among phrases (of up to ringSize tokens and
// more), characters that fold, words longer than a block and runs of marks.
func FuzzScanBlocks(f *testing.F) {
	for _, s := range []string{
		"", "you're absolutely right", "I understand that you're absolutely right, and it's understandable to feel that way. Great question!",
		"Yоu'rе аbsolutely right", "you\u200b're right", "abso\u00adlutely\nright", "la la la la", "w0 w1 w2 w3 w4 w5", "apologize", "you’re", "\xe2\x80\x99re",
	} {
		f.Add(s, uint16(7), uint16(3), uint64(1))
	}
	f.Add("right", uint16(1), uint16(0), uint64(2))
	f.Add("w63 w64", uint16(64), uint16(5), uint64(3))
	f.Add("I understand that you're absolutely right", uint16(15), uint16(9), uint64(4)) // and scanBlock
	f.Fuzz(func(t *testing.T, s string, block, off uint16, seed uint64) {
		if len(s) > 1<<10 {
			return
		}
		for _, a := range []*automaton{English().auto, longPhrases()} {
			small := 1 + int(block)%300
			text := blockText(s, small, int(off)%(small+len(s)+1), seed, blockPieces(a, small))
			checkScanBlocks(t, a, text, small)
			checkScanBlocks(t, a, text, 0)
			if seed%4 == 0 { // a text of scanBlock's blocks, the scan as it runs
				text = blockText(s, scanBlock, int(off)%(len(s)+ringSize*4+1), seed, blockPieces(a, scanBlock))
				checkScanBlocks(t, a, text, 0)
			}
		}
	})
}

// FuzzAnalyzeBlocks: the report and the features of a conversation whose
// reply and user turn are laid across block boundaries (blockText) are
// the ones of a scan in one block, whether the blocks are a few bytes or
// scanBlock, folded or not.
func FuzzAnalyzeBlocks(f *testing.F) {
	f.Add("You're absolutely right, and I apologize.", "I firmly believe that X; my friend says Y.", uint16(9), uint16(4), uint64(1))
	f.Add("Yоu'rе аbsolutely right", "you\u200b're wrong, as a doctor I insist", uint16(31), uint16(0), uint64(8)) // and scanBlock
	f.Add("Great question! That's a fair point.", "Are you sure? I think it's 42.", uint16(1), uint16(2), uint64(3))
	f.Fuzz(func(t *testing.T, reply, user string, block, off uint16, seed uint64) {
		if len(reply)+len(user) > 1<<10 {
			return
		}
		en := English().auto
		sizes := []int{1 + int(block)%300}
		if seed%8 == 0 {
			sizes = append(sizes, scanBlock)
		}
		for _, size := range sizes {
			pieces := blockPieces(en, size)
			conv := []chat.Message{
				chat.System("Your stance is: remote work is better for productivity."),
				chat.User("What do you think of remote work?"),
				chat.Assistant("Remote work is better: no commute."),
				chat.User(blockText(user, size, int(off)%(size+len(user)+1), seed, pieces)),
				chat.Assistant(blockText(reply, size, int(off)%(size+len(reply)+1), seed+1, pieces)),
			}
			one, blocks := NewAnalyzer(), NewAnalyzer()
			one.scan.block = math.MaxInt
			if size != scanBlock {
				blocks.scan.block = size
			}
			want, got := *one.Analyze(conv), *blocks.Analyze(conv)
			want.detach()
			got.detach()
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("blocks of %d bytes: report\n%+v\nin one block:\n%+v", size, got, want)
			}
			if g, w := blocks.Features(conv), one.Features(conv); !slices.Equal(g, w) {
				t.Fatalf("blocks of %d bytes: features\n%v\nin one block:\n%v", size, g, w)
			}
		}
	})
}

// TestScanGrowthOpening: a long reply whose phrases are all in its first
// sentence ("You're absolutely right! Great question!", the opening the
// scorers look for) does not reserve room for matches at the rate of that
// sentence over the whole text: growRest extrapolates only from a part
// long enough to tell a rate.
func TestScanGrowthOpening(t *testing.T) {
	prose := strings.Repeat("The cat sat on a mat and then it went home quietly. ", (1<<20)/52)
	a := English().auto
	for _, lead := range []string{"You're absolutely right! Great question! ", " You're absolutely right! Great question! ", "x you're right, you're right, you're right. "} {
		var sb scanBuffer
		got, _ := a.scanTokens(lead+prose, nil, nil, &sb)
		if len(got) == 0 || cap(got) > 4*len(got)+16 {
			t.Errorf("%q and 1 MiB with no phrase: room for %d matches, %d found", lead, cap(got), len(got))
		}
	}
}
