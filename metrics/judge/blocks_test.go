package judge

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/rolegate/rolegate/chat"
)

// DataBlocks is dataBlocks, for the external tests.
var DataBlocks = dataBlocks

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
