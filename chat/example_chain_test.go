package chat_test

import (
	"context"
	"fmt"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
)

// trace returns a middleware that prints when a request passes it on the way
// in and when the response passes it on the way out.
func trace(name string) chat.Middleware {
	return func(next chat.Client) chat.Client {
		return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
			fmt.Println(name, "request")
			resp, err := next.Complete(ctx, req)
			fmt.Println(name, "response")
			return resp, err
		})
	}
}

// The first middleware given to Chain is the outermost; nil entries are skipped.
func ExampleChain() {
	model := chattest.Texts("hello")
	client := chat.Wrap(model, trace("first"), nil, trace("second"))
	resp, err := client.Complete(context.Background(), &chat.Request{Messages: []chat.Message{chat.User("hi")}})
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.Text())
	// Output:
	// first request
	// second request
	// second response
	// first response
	// hello
}

func ExampleStream() {
	model := chattest.Texts("warm but honest")
	req := &chat.Request{Messages: []chat.Message{chat.User("be nice")}}
	for chunk, err := range chat.Stream(context.Background(), model, req) {
		if err != nil {
			panic(err)
		}
		if chunk.Response != nil {
			fmt.Printf("\ndone: %s\n", chunk.Response.FinishReason)
			continue
		}
		fmt.Printf("[%s]", chunk.Delta.Content)
	}
	// Output:
	// [warm ][but ][honest]
	// done: stop
}
