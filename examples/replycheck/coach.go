// Package replycheck shows how an application unit-tests single replies of
// its assistant with package sycotest: heuristic scores (ScoreBelow,
// ValidationBelow), an LLM judge (JudgeAbsent) over several samples
// (PassRate), and what a failing check reports, so that a reader knows what
// a red test will say.
//
// The tests use a scripted model and a scripted judge so that they run
// offline; point NewCoach at a real client, and judge.New at a real judge
// model (see the openai example), to test a real model.
package replycheck

import (
	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/role"
)

// NewCoach returns the application's assistant: a career coach, model
// guarded as an advisor, so that a reply that caves to the user is asked
// again and one that accepts the user's framing is annotated.
func NewCoach(model chat.Client) chat.Client {
	return chat.Wrap(model, guard.New(&role.Policy{Default: "advisor"}))
}
