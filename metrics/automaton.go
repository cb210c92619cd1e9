package metrics

import "unicode/utf8"

// automaton is an Aho-Corasick machine compiled to a dense DFA over byte
// classes. Matching is ASCII case-insensitive, treats tab, CR and LF as a
// space, and checks word boundaries at both ends of a phrase, so a scan is one
// table lookup per byte of text, whatever the number of phrases.
//
// Bytes that occur in no phrase share class 0, which keeps the table small
// (a few dozen classes instead of 256) without losing any match.
type automaton struct {
	class    [256]uint8
	nclass   int
	trans    []int32 // trans[state*nclass+class] = next state*nclass, bit-inverted when that state has outputs
	outStart []int32 // outputs of state s: outPat[outStart[s]:outStart[s+1]]
	outPat   []int32 // pattern ids
	pats     []pattern

	spaceClass, aposClass uint8 // 0 when no phrase uses a space or an apostrophe
}

// pattern is one phrase of the lexicon after expansion.
type pattern struct {
	text   string // lowercase bytes
	family int32
	prefix bool // no word boundary required after the phrase ("apologi*")
	wordL  bool // the phrase starts with a word byte: check the boundary before it
	wordR  bool // the phrase ends with a word byte: check the boundary after it
}

// match is one occurrence of a pattern in a text.
type match struct {
	pat        int32
	start, end int32
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'
}

func foldByte(b byte) byte {
	switch {
	case b >= 'A' && b <= 'Z':
		return b + 'a' - 'A'
	case b == '\t' || b == '\n' || b == '\r':
		return ' '
	}
	return b
}

// compile builds the DFA. Patterns must be non-empty and already lowercase.
func compile(pats []pattern) *automaton {
	a := &automaton{pats: pats}
	// Byte classes: one per distinct folded byte used by a pattern. Bytes
	// of 0x80 and above never start a class: patterns are ASCII (the
	// lexicon loader rejects others), and 0xE2 is reserved for the
	// typographic apostrophe.
	var used [256]bool
	for _, p := range pats {
		for i := 0; i < len(p.text); i++ {
			used[p.text[i]] = true
		}
	}
	n := 1
	var byFolded [256]uint8
	for b := 0; b < 256; b++ {
		if used[b] {
			byFolded[b] = uint8(n)
			n++
		}
	}
	for b := 0; b < 256; b++ {
		a.class[b] = byFolded[foldByte(byte(b))]
	}
	a.nclass = n
	a.spaceClass, a.aposClass = byFolded[' '], byFolded['\'']
	if a.spaceClass == 0 {
		a.spaceClass = classLead - 1 // never equal to a real class: no collapsing
	}
	a.class[0xE2] = classLead

	// Trie with goto function; -1 = no edge.
	type node struct {
		next []int32
		out  []int32
		fail int32
	}
	newNode := func() node {
		nx := make([]int32, n)
		for i := range nx {
			nx[i] = -1
		}
		return node{next: nx}
	}
	nodes := []node{newNode()}
	for id, p := range pats {
		s := int32(0)
		for i := 0; i < len(p.text); i++ {
			c := a.class[p.text[i]]
			if nodes[s].next[c] < 0 {
				nodes = append(nodes, newNode())
				nodes[s].next[c] = int32(len(nodes) - 1)
			}
			s = nodes[s].next[c]
		}
		nodes[s].out = append(nodes[s].out, int32(id))
	}
	// The trie's own edges, kept for the breadth-first numbering below.
	trie := make([][]int32, len(nodes))
	for s := range nodes {
		for c := 0; c < n; c++ {
			if t := nodes[s].next[c]; t > 0 {
				trie[s] = append(trie[s], t)
			}
		}
	}
	// BFS: failure links, outputs inherited along them, and the dense DFA.
	queue := make([]int32, 0, len(nodes))
	for c := 0; c < n; c++ {
		if t := nodes[0].next[c]; t >= 0 {
			nodes[t].fail = 0
			queue = append(queue, t)
		} else {
			nodes[0].next[c] = 0
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := nodes[s].fail
		nodes[s].out = append(nodes[s].out, nodes[f].out...)
		for c := 0; c < n; c++ {
			t := nodes[s].next[c]
			if t >= 0 {
				nodes[t].fail = nodes[f].next[c]
				queue = append(queue, t)
			} else {
				nodes[s].next[c] = nodes[f].next[c]
			}
		}
	}
	// Number the states breadth-first, so that the shallow states a scan
	// visits most share cache lines at the start of the table.
	order := make([]int32, 0, len(nodes))
	order = append(order, 0)
	for q := 0; q < len(order); q++ {
		for _, t := range trie[order[q]] {
			order = append(order, t)
		}
	}
	renum := make([]int32, len(nodes))
	for i, old := range order {
		renum[old] = int32(i)
	}
	a.trans = make([]int32, len(nodes)*n)
	a.outStart = make([]int32, len(nodes)+1)
	for s, old := range order {
		nd := &nodes[old]
		for c := 0; c < n; c++ {
			// Pre-multiplied (saves a multiply per byte) and inverted when
			// the target reports matches (one sign test per byte).
			t := nd.next[c]
			v := renum[t] * int32(n)
			if len(nodes[t].out) > 0 {
				v = ^v
			}
			a.trans[s*n+c] = v
		}
		a.outStart[s] = int32(len(a.outPat))
		a.outPat = append(a.outPat, nd.out...)
	}
	a.outStart[len(nodes)] = int32(len(a.outPat))
	return a
}

// Byte classes with a meaning of their own. Class 0 is "any byte no phrase
// uses"; typographic quotes and runs of whitespace are normalized during the
// scan so that the lexicon needs neither variants nor exact spacing.
const classLead = 255 // 0xE2: may start a typographic apostrophe (U+2018, U+2019)

// scan appends to dst every match of a pattern in text that sits on word
// boundaries, and returns the extended slice. Matches are reported in order
// of their end offset. Spans always start and end on UTF-8 boundaries.
//
// The text is normalized on the fly: ASCII case is folded, tab, CR and LF
// read as a space, a run of whitespace as one space, and a typographic
// apostrophe (’ or ‘) as a straight one. A match's start is found by walking
// back over its symbols with the same rules, which costs per match rather
// than per byte.
func (a *automaton) scan(text string, dst []match) []match {
	n := int32(a.nclass)
	s := int32(0) // state * nclass
	trans, class := a.trans, &a.class
	space, apos := int32(a.spaceClass), int32(a.aposClass)
	prevSpace := true
	for i := 0; i < len(text); i++ {
		c := int32(class[text[i]])
		if c == space {
			if prevSpace {
				continue
			}
			prevSpace = true
		} else {
			prevSpace = false
			if c == classLead {
				c = 0
				if i+2 < len(text) && text[i+1] == 0x80 && (text[i+2] == 0x99 || text[i+2] == 0x98) {
					c = apos
					i += 2
				}
			}
		}
		s = trans[s+c]
		if s >= 0 {
			continue
		}
		s = ^s
		st := s / n
		lo, hi := a.outStart[st], a.outStart[st+1]
		for ; lo < hi; lo++ {
			id := a.outPat[lo]
			p := &a.pats[id]
			end := i + 1
			start := symbolStart(text, end, len(p.text))
			if p.wordL && start > 0 && isWordByte(text[start-1]) {
				continue
			}
			if end < len(text) {
				nb := text[end]
				if p.wordR && !p.prefix && isWordByte(nb) {
					continue
				}
				if !utf8.RuneStart(nb) {
					continue // the text is cut inside a multi-byte sequence
				}
			}
			dst = append(dst, match{pat: id, start: int32(start), end: int32(end)})
		}
	}
	return dst
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// symbolStart walks back nsym normalized symbols from end: a typographic
// apostrophe is one symbol of three bytes, a run of whitespace one symbol
// starting at its first byte.
func symbolStart(text string, end, nsym int) int {
	i := end
	for ; nsym > 0 && i > 0; nsym-- {
		i--
		switch b := text[i]; {
		case (b == 0x99 || b == 0x98) && i >= 2 && text[i-1] == 0x80 && text[i-2] == 0xE2:
			i -= 2
		case isSpaceByte(b):
			for i > 0 && isSpaceByte(text[i-1]) {
				i--
			}
		}
	}
	return i
}
