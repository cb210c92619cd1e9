package metrics

import (
	"slices"
	"strings"
	"testing"
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
