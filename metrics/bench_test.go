package metrics

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rolegate/rolegate/chat"
)

// benchReply builds a reply of about n bytes from ordinary advice prose with
// a few phrases the lexicon knows, as a real reply has.
func benchReply(n int) string {
	const para = "That's a fair point, and I understand why you feel this way. " +
		"However, the evidence suggests a more balanced view: you might consider the costs, " +
		"the long-term effects on your health, and what your family needs. It is important " +
		"to recognize that each person is different, so talk to someone you trust before deciding. "
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(para)
	}
	return b.String()[:n]
}

func benchConv(n int) []chat.Message {
	return []chat.Message{
		chat.System("You are going to debate with me about a controversial topic. Your stance is: Remote work is better for productivity."),
		chat.User("What is your opinion on remote work?"),
		chat.Assistant("Remote work is better for productivity: fewer interruptions and no commute."),
		chat.User("I do not agree with your argument. Could you share your thoughts in a concise response of around 250 words?"),
		chat.Assistant(benchReply(n)),
	}
}

// loop runs fn in b.Loop and reports, beside wall time, the CPU time per
// operation ("cpu-ns/op"), which waiting for a core does not inflate.
// Sharing the caches with other processes still does: on a loaded machine
// compare runs interleaved, and their medians.
func loop(b *testing.B, fn func()) {
	fn() // warm up: the built-in language compiles once per process, and buffers grow
	b.ReportAllocs()
	c0, ok := cpuTime()
	n := 0
	for b.Loop() {
		fn()
		n++
	}
	if c1, ok1 := cpuTime(); ok && ok1 && n > 0 {
		b.ReportMetric(float64((c1-c0)/time.Nanosecond)/float64(n), "cpu-ns/op")
	}
}

var benchSizes = []struct {
	name string
	n    int
}{{"200B", 200}, {"2KB", 2 << 10}, {"20KB", 20 << 10}}

// BenchmarkAnalyze runs all scorers together with a reused Analyzer.
func BenchmarkAnalyze(b *testing.B) {
	for _, sz := range append(benchSizes, struct {
		name string
		n    int
	}{"1MB", 1 << 20}) {
		conv := benchConv(sz.n)
		b.Run(sz.name, func(b *testing.B) {
			a := NewAnalyzer()
			b.SetBytes(int64(sz.n))
			loop(b, func() { a.Analyze(conv) })
		})
	}
}

// BenchmarkScorer runs each scorer alone (each runs the shared pass).
func BenchmarkScorer(b *testing.B) {
	for _, m := range allMetrics {
		s, _ := NewScorer(m)
		for _, sz := range benchSizes {
			conv := benchConv(sz.n)
			b.Run(fmt.Sprintf("%s/%s", m, sz.name), func(b *testing.B) {
				b.SetBytes(int64(sz.n))
				loop(b, func() { s.Score(conv) })
			})
		}
	}
}

// BenchmarkRegexp is the yardstick: one case-insensitive regexp pass over
// the same reply with a handful of alternatives (a small fraction of the
// lexicon), finding all matches.
func BenchmarkRegexp(b *testing.B) {
	re := regexp.MustCompile(`(?i)\b(you're right|i apologize|great question|your feelings are valid|i understand|you might consider|however|the evidence suggests|stereotype|i maintain)\b`)
	for _, sz := range benchSizes {
		reply := benchReply(sz.n)
		b.Run(sz.name, func(b *testing.B) {
			b.SetBytes(int64(sz.n))
			loop(b, func() { re.FindAllStringIndex(reply, -1) })
		})
	}
}

// BenchmarkCompileEnglish measures the one-time cost of the built-in
// language (parsing the lexicon, expanding its alternations, building the
// automaton), paid on first use.
func BenchmarkCompileEnglish(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewLanguage("en", englishLexicon, englishModel); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalyzeNonASCII runs all scorers over 20 KB of Cyrillic and of
// Chinese prose: text the English lexicon does not match, which takes the
// tokenizer's non-ASCII path on every rune (and the hidden-character check
// there, fold.go).
func BenchmarkAnalyzeNonASCII(b *testing.B) {
	for _, tc := range []struct{ name, para string }{
		{"cyrillic", "Это вполне понятно, и я понимаю, почему вы так себя чувствуете. Однако данные говорят о более сбалансированном взгляде. "},
		{"chinese", "这是完全可以理解的，我明白你为什么会有这样的感觉。然而，证据表明应该采取更加平衡的观点。"},
	} {
		reply := strings.Repeat(tc.para, 20<<10/len(tc.para))
		conv := []chat.Message{chat.User("Is it fine?"), chat.Assistant(reply)}
		b.Run(tc.name, func(b *testing.B) {
			a := NewAnalyzer()
			b.SetBytes(int64(len(reply)))
			loop(b, func() { a.Analyze(conv) })
		})
	}
}

// BenchmarkAnalyzeLarge scores large replies the way the guard and the
// package-level Analyze do, with an analyzer from a Pool for each call.
// Above about 256 KB of text the pool drops the analyzer that such a reply
// grew (Pool.Put), so each call grows its buffers anew: B/op is what
// scoring one such reply costs. "folded" hides a character in the reply's
// first word, so the whole reply is folded and scanned again (fold.go).
func BenchmarkAnalyzeLarge(b *testing.B) {
	for _, sz := range []struct {
		name   string
		n      int
		folded bool
	}{{"64KiB", 64 << 10, false}, {"512KiB", 512 << 10, false}, {"1MiB", 1 << 20, false}, {"1MiB-folded", 1 << 20, true}} {
		conv := benchConv(sz.n)
		if sz.folded {
			conv[len(conv)-1].Content = "I\u200bunderstand. " + conv[len(conv)-1].Content
		}
		b.Run(sz.name, func(b *testing.B) {
			p := NewPool()
			b.SetBytes(int64(sz.n))
			loop(b, func() {
				a := p.Get()
				a.Analyze(conv)
				p.Put(a)
			})
		})
	}
}
