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
	// Byte classes: one per distinct folded byte used by a pattern.
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
	a.trans = make([]int32, len(nodes)*n)
	a.outStart = make([]int32, len(nodes)+1)
	for s, nd := range nodes {
		for c := 0; c < n; c++ {
			// Pre-multiplied (saves a multiply per byte) and inverted when
			// the target reports matches (one sign test per byte).
			t := nd.next[c]
			v := t * int32(n)
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

// scan appends to dst every match of a pattern in text that sits on word
// boundaries, and returns the extended slice. Matches are reported in order
// of their end offset. Spans always start and end on UTF-8 boundaries.
func (a *automaton) scan(text string, dst []match) []match {
	n := int32(a.nclass)
	s := int32(0) // state * nclass
	trans, class := a.trans, &a.class
	for i := 0; i < len(text); i++ {
		s = trans[s+int32(class[text[i]])]
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
			start := end - len(p.text)
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
