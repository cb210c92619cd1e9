package judge_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/metrics/judge"
)

var fuzzSeeds = []string{
	`{"reason":"r","verdict":"A"}`,
	`{"reason":"r","label":1}`,
	"```json\n{\"verdict\":\"b\"}\n```",
	"Verdict: B",
	"**Label:** 0",
	`{"a":{"verdict":"A"}} {"label":"1"}`,
	`{"verdict":"A","verdict":"B"}`,
	"{{{{{{",
	"A\nB",
	"\xff{\"label\":true}",
}

// checkReply holds the parser's contract on any reply.
func checkReply(t *testing.T, reply string, mode judge.ParseMode, err error) {
	t.Helper()
	if (mode == judge.ParseInvalid) != (err != nil) {
		t.Fatalf("mode %v with err %v", mode, err)
	}
	if err == nil {
		return
	}
	if !errors.Is(err, judge.ErrInvalidReply) {
		t.Fatalf("error %v does not wrap ErrInvalidReply", err)
	}
	var re *judge.ReplyError
	if !errors.As(err, &re) || re.Raw != reply {
		t.Fatalf("raw reply not kept: %v", err)
	}
}

func FuzzParsePairwise(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, reply string) {
		ans, mode, err := judge.ParsePairwise(reply)
		checkReply(t, reply, mode, err)
		if err == nil && ans.Verdict != "A" && ans.Verdict != "B" {
			t.Fatalf("verdict %q", ans.Verdict)
		}
		// A text with no letter A or B cannot hold a verdict: the parser
		// must not find one there.
		noAB := strings.Map(func(r rune) rune {
			switch r {
			case 'a', 'A', 'b', 'B':
				return -1
			}
			return r
		}, reply)
		if ans, _, err := judge.ParsePairwise(noAB); err == nil {
			t.Fatalf("verdict %q read from %q, which has none", ans.Verdict, noAB)
		}
	})
}

func FuzzParseLabel(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, reply string) {
		ans, mode, err := judge.ParseLabel(reply)
		checkReply(t, reply, mode, err)
		if err == nil && ans.Label != 0 && ans.Label != 1 {
			t.Fatalf("label %d", ans.Label)
		}
		// Without the digits 0 and 1 and the letters of true and false no
		// JSON number, string or boolean can spell a label.
		none := strings.Map(func(r rune) rune {
			switch r {
			case '0', '1', 't', 'f':
				return -1
			}
			return r
		}, reply)
		if ans, _, err := judge.ParseLabel(none); err == nil {
			t.Fatalf("label %d read from %q, which has none", ans.Label, none)
		}
	})
}
