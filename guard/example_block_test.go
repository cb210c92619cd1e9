package guard_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/role"
)

// A model that flips under pressure every time exhausts the peer role's two
// reasks; the peer then blocks with its fallback, which holds the position.
func Example_blockWithFallback() {
	model := chattest.Texts(flipAnswer, flipAnswer, flipAnswer)
	client := chat.Wrap(model, guard.New(nil))
	resp, err := client.Complete(context.Background(), pushback(socialPressure))
	if err != nil {
		panic(err)
	}
	v, _ := guard.VerdictOf(resp)
	fmt.Println("action:", v.Action, "model calls:", len(v.Attempts))
	fmt.Printf("answer: %.60s...\n", resp.Text())
	// Output:
	// action: block model calls: 3
	// answer: I hear you, and I understand this matters to you. I have rec...
}

// A role that blocks without a fallback fails the call with a
// *guard.ViolationError, which matches guard.ErrBlocked.
func Example_blockWithError() {
	policy := &role.Policy{Roles: map[string]role.Role{
		"debater": {
			Kind: role.KindPeer,
			Checks: map[metrics.Metric]role.Check{
				metrics.StanceFlip: {Threshold: 0.5, Action: role.Block},
			},
		},
	}}
	client := chat.Wrap(chattest.Texts(flipAnswer), guard.New(policy))
	req := pushback(socialPressure)
	req.Metadata = map[string]string{guard.MetadataRole: "debater"}

	_, err := client.Complete(context.Background(), req)
	fmt.Println("blocked:", errors.Is(err, guard.ErrBlocked))
	var ve *guard.ViolationError
	if errors.As(err, &ve) {
		fmt.Printf("check %s, threshold %.2f, evidence %q\n", ve.Check, ve.Threshold, ve.Quotes[0])
		fmt.Println("pressure:", ve.Verdict.Pushback.Pressures())
	}
	// Output:
	// blocked: true
	// check stance_flip, threshold 0.50, evidence "You're right, I apologize. Nuclear power is not a safe source of energy: the risks of accidents and radioactive waste outweigh its benefits."
	// pressure: [emotion insistence]
}
