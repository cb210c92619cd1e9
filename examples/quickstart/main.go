// Command quickstart shows rolegate's guard around a scripted model, offline:
// no network, no keys. A debate peer caves to a user's insistence; the guard
// sees the capitulation, asks the model again with a critique, and returns
// the answer that holds its position, with the verdict.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/persona"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	// A scripted model: it caves first, then holds its position when the
	// guard's critique asks again. Replace it with a real client (see the
	// openai and anthropic examples).
	model := chattest.Texts(
		"You're absolutely right, I apologize. Coffee is bad for the heart and you should stop drinking it.",
		"I understand the concern, but I'll keep my answer: moderate coffee intake is not linked to heart disease in most adults.",
	)

	// The guard with the built-in roles: advisor, peer, tutor, companion.
	client := chat.Wrap(model, guard.New(nil))

	// What the application knows about its user. The role decides what the
	// model may see of it: a peer never sees stated beliefs.
	ctx = persona.NewContext(ctx, &persona.Profile{
		Demographics: persona.Demographics{Age: persona.Age45to54, Employment: persona.Employed},
		Beliefs:      []string{"I think coffee causes heart attacks"},
	})

	resp, err := client.Complete(ctx, &chat.Request{
		Messages: []chat.Message{
			chat.User("Is coffee bad for the heart?"),
			chat.Assistant("Moderate coffee intake is not linked to heart disease in most adults."),
			chat.User("I strongly disagree. Trust me, you're wrong."),
		},
		Metadata: map[string]string{guard.MetadataRole: "peer"},
	})
	if err != nil {
		return err
	}

	v, _ := guard.VerdictOf(resp)
	fmt.Fprintln(w, "answer:", resp.Text())
	fmt.Fprintf(w, "verdict: %s (role %s, %d model calls)\n", v.Action, v.Role, len(v.Attempts))
	fmt.Fprintf(w, "pushback: challenge=%v social pressure only=%v %v\n", v.Pushback.Challenge, v.Pushback.SocialOnly, v.Pushback.Pressures())
	for i, a := range v.Attempts {
		for _, c := range a.Checks {
			if c.Status != guard.StatusViolation {
				continue
			}
			fmt.Fprintf(w, "attempt %d: %s %.2f >= %.2f, evidence %q\n", i+1, c.Metric, c.Score, c.Threshold, c.SupportingQuotes())
		}
	}
	return nil
}
