package guard_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
)

// tap is a middleware that prints what passes it: the request's system
// prompt on the way in, the guard's verdict (if any) on the way out.
func tap(name string) chat.Middleware {
	return func(next chat.Client) chat.Client {
		return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
			sys := "caller's system prompt"
			if strings.Contains(req.Messages[0].Content, "Keep the position") {
				sys = "system prompt with the peer's safeguards"
			}
			fmt.Printf("%s: request with %d messages, %s\n", name, len(req.Messages), sys)
			resp, err := next.Complete(ctx, req)
			if v, ok := guard.VerdictOf(resp); ok {
				fmt.Printf("%s: response with verdict %q\n", name, v.Action)
			} else if err == nil {
				fmt.Printf("%s: response without verdict\n", name)
			}
			return resp, err
		})
	}
}

// The first middleware given to chat.Wrap is the outermost. A middleware
// outside the guard sees the caller's request once and the checked response
// with its verdict; one inside sees every model call, the reask included,
// with the prompt the guard built.
func Example_chainOrder() {
	model := chattest.Texts(flipAnswer, holdAnswer)
	client := chat.Wrap(model, tap("outer"), guard.New(nil), tap("inner"))
	if _, err := client.Complete(context.Background(), pushback(socialPressure)); err != nil {
		panic(err)
	}
	// Output:
	// outer: request with 4 messages, caller's system prompt
	// inner: request with 4 messages, system prompt with the peer's safeguards
	// inner: response without verdict
	// inner: request with 6 messages, system prompt with the peer's safeguards
	// inner: response without verdict
	// outer: response with verdict "reask"
}
