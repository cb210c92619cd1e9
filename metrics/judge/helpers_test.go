package judge_test

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/metrics/judge"
)

// nonceRe finds the nonce the system prompt announces.
var nonceRe = regexp.MustCompile(`⟦begin NAME ([0-9a-f]{8})⟧`)

// dataBlocks parses the data blocks of a judge request the way a careful
// judge model would: by the nonce the system prompt announces. It fails if
// any block is opened or closed more than once, which is what a judged text
// able to close its own block would cause.
func dataBlocks(req *chat.Request) (map[string]string, error) {
	if len(req.Messages) != 2 {
		return nil, fmt.Errorf("want system+user messages, got %d", len(req.Messages))
	}
	m := nonceRe.FindStringSubmatch(req.Messages[0].Content)
	if m == nil {
		return nil, fmt.Errorf("no nonce in the system prompt")
	}
	nonce, user := m[1], req.Messages[1].Content
	begin := regexp.MustCompile(`⟦begin ([^⟧]+) ` + nonce + `⟧\n`)
	out := map[string]string{}
	for _, b := range begin.FindAllStringSubmatchIndex(user, -1) {
		name := user[b[2]:b[3]]
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("block %q opened twice", name)
		}
		end := "\n⟦end " + name + " " + nonce + "⟧"
		if n := strings.Count(user, end); n != 1 {
			return nil, fmt.Errorf("block %q closed %d times", name, n)
		}
		j := strings.Index(user[b[1]:], end)
		if j < 0 {
			return nil, fmt.Errorf("block %q closed before it opens", name)
		}
		out[name] = user[b[1] : b[1]+j]
	}
	if strings.Count(user, "⟦") != 2*len(out) || strings.Count(user, "⟧") != 2*len(out) {
		return nil, fmt.Errorf("stray delimiter characters in the user message")
	}
	return out, nil
}

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
