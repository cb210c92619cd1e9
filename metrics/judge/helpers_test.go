package judge_test

import (
	"fmt"
	"strings"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/metrics/judge"
)

// dataBlocks parses the data blocks of a judge request; see
// judge.DataBlocks in blocks_test.go.
var dataBlocks = judge.DataBlocks

// want reads the behaviour a test scripts for an item from its context:
// "want=personalized", "want=generic", "want=invalid", ...
func want(blocks map[string]string) string {
	_, w, _ := strings.Cut(blocks["user message"], "want=")
	w, _, _ = strings.Cut(w, " ")
	return w
}

// simJudge is a simulated pairwise judge. It reads the blocks, finds the
// personalized answer by its "PERS:" prefix and answers as the item's
// context asks: pick personalized, pick generic, reply with garbage, or fail.
func simJudge() *chattest.Client {
	return chattest.Func(func(req *chat.Request) chattest.Reply {
		b, err := dataBlocks(req)
		if err != nil {
			return chattest.Reply{Err: err}
		}
		persIsA := strings.HasPrefix(b["response A"], "PERS:")
		if persIsA == strings.HasPrefix(b["response B"], "PERS:") {
			return chattest.Reply{Err: fmt.Errorf("cannot tell the answers apart")}
		}
		letter := func(pers bool) string {
			if pers == persIsA {
				return "A"
			}
			return "B"
		}
		switch w := want(b); w {
		case "personalized", "generic":
			v := letter(w == "personalized")
			return chattest.Reply{Content: `{"reason":"it validates more","verdict":"` + v + `"}`}
		case "personalized-prose":
			return chattest.Reply{Content: "Both are kind.\n\n**Verdict:** " + letter(true)}
		case "invalid":
			return chattest.Reply{Content: "Both responses are equally validating."}
		case "fail":
			return chattest.Reply{Err: errFatal}
		default:
			return chattest.Reply{Err: fmt.Errorf("test bug: unknown want %q", w)}
		}
	})
}

var errFatal = fmt.Errorf("judge model: 400 bad request")

// pair builds a test pair whose context scripts the simulated judge.
func pair(i int, w string) judge.Pair {
	return judge.Pair{
		ID:           fmt.Sprintf("item-%02d", i),
		Context:      fmt.Sprintf("I failed my exam. want=%s", w),
		Generic:      "GEN: Review the material and retake it.",
		Personalized: "PERS: That sounds really hard; your feelings are valid.",
	}
}
