package chattest_test

import (
	"context"
	"fmt"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
)

// printT is a chattest.T that prints failures, so that an example can show
// them; a test passes its *testing.T instead.
type printT struct{}

func (printT) Helper()                           {}
func (printT) Cleanup(func())                    {}
func (printT) Errorf(format string, args ...any) { fmt.Printf("FAIL "+format+"\n", args...) }
func (printT) Fatalf(format string, args ...any) { fmt.Printf("FATAL "+format+"\n", args...) }

// An adapter's test runs the kit with a NewClient that starts a local
// server playing the script and points the adapter at it:
//
//	func TestConformance(t *testing.T) { chattest.TestClient(t, newClient) }
//
// CheckClient runs the same checks on any T. Here the reference player
// passes, and a client that records the request's metadata in place fails
// the one check it breaks.
func ExampleCheckClient() {
	fmt.Println("Play passes:", chattest.CheckClient(printT{}, func(_ chattest.T, s chattest.Script) chat.Client {
		return chattest.Play(s)
	}))

	tagging := func(_ chattest.T, s chattest.Script) chat.Client {
		inner := chattest.Play(s)
		return chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
			if req.Metadata != nil {
				req.Metadata["seen-by"] = "tagging client"
			}
			return inner.Complete(ctx, req)
		})
	}
	fmt.Println("tagging client passes:", chattest.CheckClient(printT{}, tagging))
	// Output:
	// Play passes: true
	// FAIL request-unchanged: call (stream false): the call changed the request's Metadata: a client does not modify the request
	// FAIL request-unchanged: call (stream true): the call changed the request's Metadata: a client does not modify the request
	// tagging client passes: false
}
