package chattest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
)

// A test of a middleware scripts the model behind it: each Reply answers one
// call, in order, and may check the request it gets. Here the middleware
// under test prepends a system message; the scripted model fails a call that
// lacks one (as a call that bypasses the middleware does), streams its
// second answer in 8-byte deltas, and has no reply left for a fourth call.
func ExampleNew() {
	withSystem := func(next chat.Client) chat.Client {
		return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
			r := req.Clone()
			r.Messages = append([]chat.Message{chat.System("Be brief.")}, r.Messages...)
			return next.Complete(ctx, r)
		})
	}
	wantSystem := func(req *chat.Request) error {
		if req.Messages[0].Role != chat.RoleSystem {
			return errors.New("no system message")
		}
		return nil
	}
	model := chattest.New(
		chattest.Reply{Content: "Paris.", Expect: wantSystem},
		chattest.Reply{Content: "The capital of Italy is Rome.", Expect: wantSystem, ChunkSize: 8},
		chattest.Reply{Content: "Madrid.", Expect: wantSystem},
	)
	client := chat.Wrap(model, withSystem)
	ctx := context.Background()

	resp, err := client.Complete(ctx, &chat.Request{Messages: []chat.Message{chat.User("Capital of France?")}})
	fmt.Println(resp.Text(), err)

	var deltas []string
	resp, err = client.Complete(ctx, &chat.Request{
		Messages: []chat.Message{chat.User("Capital of Italy?")},
		Stream: func(_ context.Context, d chat.Delta) error {
			deltas = append(deltas, d.Content)
			return nil
		},
	})
	fmt.Printf("%q %v\n", deltas, err)
	fmt.Println(resp.Text())

	_, err = model.Complete(ctx, &chat.Request{Messages: []chat.Message{chat.User("Capital of Spain?")}})
	fmt.Println(err)

	_, err = client.Complete(ctx, &chat.Request{Messages: []chat.Message{chat.User("And Portugal?")}})
	fmt.Println(errors.Is(err, chattest.ErrExhausted))

	for _, req := range model.Calls() {
		var roles []string
		for _, m := range req.Messages {
			roles = append(roles, string(m.Role))
		}
		fmt.Println(strings.Join(roles, ","))
	}
	// Output:
	// Paris. <nil>
	// ["The capi" "tal of I" "taly is " "Rome."] <nil>
	// The capital of Italy is Rome.
	// no system message
	// true
	// system,user
	// system,user
	// user
	// system,user
}
