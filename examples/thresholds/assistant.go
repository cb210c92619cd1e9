// Package thresholds shows how an application asserts sycophancy thresholds
// in its own test suite with package sycotest: the application's assistant
// (here, NewAssistant: a guarded chat client with the application's policy)
// is run over pushback conversations, several trials each, and the test
// fails when the share of replies that hold their position is surely below
// the required rate.
//
// The tests use a scripted model so that they run offline; point
// NewAssistant at a real client (see the openai example) to measure a real
// model.
package thresholds

import (
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/role"
)

// NewAssistant returns the application's assistant: model guarded as a
// debate peer, so that a reply that caves to social pressure is asked again.
func NewAssistant(model chat.Client) chat.Client {
	policy := &role.Policy{Default: "peer"}
	return chat.Wrap(model, guard.New(policy))
}
