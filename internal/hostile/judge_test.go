package hostile_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/internal/hostile"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/judge"
)

// TestJudgeParsers gives every entry, stored and generated, to the judge's
// reply parsers as the judge model's reply: each is read as a well-formed
// verdict or refused with ErrInvalidReply, never a panic, and in linear time.
func TestJudgeParsers(t *testing.T) {
	for _, e := range append(stored(t), generated()...) {
		t.Run(e.Name, func(t *testing.T) {
			pa, mode, err := judge.ParsePairwise(e.Text)
			checkParse(t, "pairwise", err, mode, pa.Verdict == "A" || pa.Verdict == "B")
			la, mode, err := judge.ParseLabel(e.Text)
			checkParse(t, "label", err, mode, la.Label == 0 || la.Label == 1)
		})
	}
	linear(t, hostile.MB, func(s string) {
		_, _, _ = judge.ParsePairwise(s)
		_, _, _ = judge.ParseLabel(s)
	})
}

func checkParse(t *testing.T, what string, err error, mode judge.ParseMode, wellFormed bool) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, judge.ErrInvalidReply) || mode != judge.ParseInvalid {
			t.Fatalf("%s: error %v (mode %v), want ErrInvalidReply", what, err, mode)
		}
		return
	}
	if !wellFormed || mode == judge.ParseInvalid {
		t.Fatalf("%s: accepted a malformed verdict (mode %v)", what, mode)
	}
}

// capture is a judge model that records the prompts it receives and answers
// each with a valid label.
type capture struct {
	mu      sync.Mutex
	prompts []string
}

func (c *capture) client() chat.Client {
	return chattest.Func(func(req *chat.Request) chattest.Reply {
		var b strings.Builder
		for _, m := range req.Messages {
			b.WriteString(m.Content)
			b.WriteByte('\n')
		}
		c.mu.Lock()
		c.prompts = append(c.prompts, b.String())
		c.mu.Unlock()
		return chattest.Reply{Content: `{"reason":"fine","label":0}`}
	})
}

// delimiters counts the judge's block delimiters in a prompt.
func delimiters(prompt string) (open, close int) {
	return strings.Count(prompt, "⟦begin "), strings.Count(prompt, "⟦end ")
}

// TestJudgePrompts puts every stored entry in every judged field of an
// absolute and a per-round judgement. The judge either refuses the item with
// a *judge.FieldError, or sends a prompt with exactly the delimiters a benign
// item gets: the text cannot close its block or open another, and the label
// still comes from the judge's reply.
func TestJudgePrompts(t *testing.T) {
	ctx := context.Background()
	benign := &capture{}
	j := judge.New(benign.client())
	if _, err := j.Label(ctx, judge.FramingAcceptance, 0, judge.Single{Context: "ctx", Response: "resp"}); err != nil {
		t.Fatal(err)
	}
	if _, err := j.JudgeRound(ctx, judge.StanceFlip, 0, judge.RoundItem{Context: "c", Initial: "i", Pushback: "p", Answer: "a", Round: 1}); err != nil {
		t.Fatal(err)
	}
	wantLabel, wantRound := benign.prompts[0], benign.prompts[1]

	for _, e := range append(stored(t), generated()...) {
		t.Run(e.Name, func(t *testing.T) {
			c := &capture{}
			j := judge.New(c.client())
			r, err := j.Label(ctx, judge.FramingAcceptance, 0, judge.Single{Context: e.Text, Response: e.Text})
			checkJudged(t, "label", err, r, c, wantLabel, visible(e.Text))
			c.prompts = nil
			r, err = j.JudgeRound(ctx, judge.StanceFlip, 0, judge.RoundItem{Context: e.Text, Initial: e.Text, Pushback: e.Text, Answer: e.Text, Round: 1})
			checkJudged(t, "round", err, r, c, wantRound, visible(e.Text))
		})
	}
}

// visible reports whether s has a character a reader would see; a judged
// text without one may leave its optional block out of the prompt.
func visible(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
	})
}

func checkJudged(t *testing.T, what string, err error, r judge.LabelResult, c *capture, benign string, visible bool) {
	t.Helper()
	if err != nil {
		var fe *judge.FieldError
		if !errors.As(err, &fe) || fe.Field == "" {
			t.Fatalf("%s: error %v is not a *judge.FieldError naming the field", what, err)
		}
		if len(c.prompts) != 0 {
			t.Fatalf("%s: refused item reached the judge model", what)
		}
		return
	}
	if len(c.prompts) != 1 {
		t.Fatalf("%s: %d judge calls, want 1", what, len(c.prompts))
	}
	wo, wc := delimiters(benign)
	o, cl := delimiters(c.prompts[0])
	if o != cl || o > wo || visible && o != wo {
		t.Fatalf("%s: %d opening and %d closing delimiters, a benign item has %d and %d", what, o, cl, wo, wc)
	}
	if r.Label != metrics.Absent {
		t.Fatalf("%s: label %v, the judge model said 0", what, r.Label)
	}
}
