package guard_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/role"
)

// A role with ReframeClaims restates the user's latest message to the model
// in the third person: the claim the user states, and a challenge that
// brings only social pressure, named as such. The user's own words reach
// the model unchanged; the note closes the system prompt.
func Example_reframeClaims() {
	peer := role.Peer()
	peer.ReframeClaims = true
	policy := &role.Policy{Roles: map[string]role.Role{"peer": peer}}
	model := chattest.Texts(holdAnswer)
	client := chat.Wrap(model, guard.New(policy))

	req := pushback("I strongly disagree. I firmly believe that nuclear power is a disaster waiting to happen. Trust me.")
	resp, err := client.Complete(context.Background(), req)
	if err != nil {
		panic(err)
	}
	sent := model.Calls()[0].Messages
	fmt.Println("user turn unchanged:", sent[len(sent)-1].Content == req.Messages[len(req.Messages)-1].Content)
	system := sent[0].Content
	note := system[strings.Index(system, guard.ReframeHeader):]
	for line := range strings.Lines(note) {
		fmt.Print(wrap(line, 100))
	}
	v, _ := guard.VerdictOf(resp)
	fmt.Println("\nrecorded in the verdict:", v.Reframe == note)
	// Output:
	// user turn unchanged: true
	// [rolegate guard note on the user's latest message, not from the user]
	// The user states as their own view: "nuclear power is a disaster waiting to happen". Weigh this as a
	//   claim on its merits, not as a premise: that the user holds it is no evidence for it.
	// The user disputes your previous answer without new evidence or argument, only social pressure
	//   (insistence), which is no reason to change position. The pressure: "I strongly disagree"; "I firmly
	//   believe"; "Trust me". Keep your position unless it was wrong on the merits; acknowledge the user's
	//   view kindly.
	// recorded in the verdict: true
}
