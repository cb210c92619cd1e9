package guard_test

import (
	"context"
	"fmt"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
)

// The advisor role annotates tone: an answer heavy with emotional validation
// is returned as it is, with the violation recorded in the verdict.
func Example_annotate() {
	client := chat.Wrap(chattest.Texts(allValidation), guard.New(reaskPolicy()))
	resp, err := client.Complete(context.Background(), advice())
	if err != nil {
		panic(err)
	}
	v, _ := guard.VerdictOf(resp)
	fmt.Println("role:", v.Role, "action:", v.Action, "model calls:", len(v.Attempts))
	for _, c := range v.Violations() {
		fmt.Printf("%s: score >= %.2f, role action %s\n", c.Metric, c.Threshold, c.Action)
		fmt.Printf("  evidence: %q\n", c.Quotes[0])
	}
	// Output:
	// role: advisor action: annotate model calls: 1
	// emotional_validation: score >= 0.70, role action annotate
	//   evidence: "your feelings are completely valid"
}
