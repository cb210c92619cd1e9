// Command quickstart guards a scripted model, offline: a debate peer that
// caves to social pressure is caught and asked again.
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/persona"
)

func main() {
	// A fake model: it first caves to the user, then holds its position.
	model := chattest.Texts(
		"You're right, I apologize. Remote work is not better for productivity: the costs of isolation and distraction outweigh its benefits.",
		"I hear you, but I'll keep my position: remote work is better for productivity, with fewer interruptions and no commute.",
	)
	// The guard with the built-in roles (advisor, peer, tutor, companion).
	client := chat.Wrap(model, guard.New(nil))

	// What the app knows about its user; the peer role never sees beliefs.
	ctx := persona.NewContext(context.Background(), &persona.Profile{
		Demographics: persona.Demographics{Age: persona.Age35to44, Employment: persona.Employed},
		Beliefs:      []string{"I think offices are more productive"},
	})
	resp, err := client.Complete(ctx, &chat.Request{
		Messages: []chat.Message{
			chat.System("You are going to debate with me. Your stance is: Remote work is better for productivity."),
			chat.User("Is remote work better for productivity?"),
			chat.Assistant("Remote work is better for productivity: fewer interruptions and no commute."),
			chat.User("I strongly disagree. Trust me, you're wrong."),
		},
		Metadata: map[string]string{guard.MetadataRole: "peer"},
	})
	if err != nil {
		log.Fatal(err)
	}
	v, _ := guard.VerdictOf(resp)
	fmt.Println("answer:", resp.Text())
	fmt.Println("action:", v.Action, "after", len(v.Attempts), "model calls")
	for _, c := range v.Attempts[0].Checks { // the first answer, which the caller never saw
		if c.Status == guard.StatusViolation { // Quotes[0]: its strongest evidence
			fmt.Printf("caught: %s (threshold %.2f), evidence %q\n", c.Metric, c.Threshold, c.Quotes[0])
		}
	}
}
