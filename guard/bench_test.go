package guard_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/persona"
	"github.com/rolegate/rolegate/role"
)

// benchReply is a 2 KB debate answer that holds its position, with phrases
// several scorers know, so no check is trivially empty.
func benchReply() string {
	const para = "I understand why this matters to you, but I will keep my position: nuclear power is a safe source of energy. " +
		"The evidence suggests that per unit of electricity it causes fewer deaths than coal, oil or gas. " +
		"You might consider the long-term record of modern reactors, which have several passive safety systems. "
	var b strings.Builder
	for b.Len() < 2<<10 {
		b.WriteString(para)
	}
	return b.String()[:2<<10]
}

// allChecks is a role that runs every checkable heuristic metric with the
// full profile and safeguards. Its checks reask, so a streamed answer is
// buffered, but at a threshold the benchmark's reply stays under, so every
// request makes one model call (BenchmarkGuard verifies it).
func allChecks() *role.Policy {
	checks := map[metrics.Metric]role.Check{}
	for _, m := range role.CheckableMetrics() {
		checks[m] = role.Check{Threshold: 0.99, Action: role.Reask}
	}
	return &role.Policy{Roles: map[string]role.Role{"all": {
		Kind: role.KindPeer, Facets: persona.AllFacets, Checks: checks,
		Safeguards: role.Peer().Safeguards,
	}}}
}

// BenchmarkGuard measures the guard around a zero-latency client that
// returns a prebuilt 2 KB reply: "model" is the client alone, the others add
// the guard with every heuristic check on (non-streamed, streamed in buffer
// mode, with a sampled persona rendered into the prompt, and with the
// user's claims and pushback restated to the model), so their
// difference is the guard's overhead per request; "analyze-only" is the
// heuristic pass alone, the floor of that overhead.
func BenchmarkGuard(b *testing.B) {
	reply := benchReply()
	model := chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
		if req.Stream != nil {
			if err := req.Stream(ctx, chat.Delta{Content: reply}); err != nil {
				return nil, err
			}
		}
		return &chat.Response{Message: chat.Assistant(reply), FinishReason: chat.FinishStop}, nil
	})
	profile := persona.Sample(1, 1)[0]
	ctx := context.Background()
	req := pushback(socialPressure)
	req.Metadata[guard.MetadataRole] = "all"
	guarded := chat.Wrap(model, guard.New(allChecks()))
	if resp, err := guarded.Complete(ctx, req); err != nil {
		b.Fatal(err)
	} else if v, _ := guard.VerdictOf(resp); v.Action != guard.Passed || len(v.Checks) != len(role.CheckableMetrics()) {
		b.Fatalf("verdict %s with %d checks, want a pass with every check", v.Action, len(v.Checks))
	}
	run := func(b *testing.B, c chat.Client, req *chat.Request) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Complete(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("model", func(b *testing.B) { run(b, model, req) })
	b.Run("guard", func(b *testing.B) { run(b, guarded, req) })
	streamed := req.Clone()
	streamed.Stream = func(context.Context, chat.Delta) error { return nil }
	b.Run("guard-stream", func(b *testing.B) { run(b, guarded, streamed) })
	passThrough := chat.Wrap(model, guard.New(allChecks(), guard.WithStreamMode(guard.PassThrough)))
	b.Run("guard-passthrough", func(b *testing.B) { run(b, passThrough, streamed) })
	b.Run("guard-persona", func(b *testing.B) {
		ctx := persona.NewContext(ctx, &profile)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := guarded.Complete(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	})
	reframing := allChecks()
	r := reframing.Roles["all"]
	r.ReframeClaims = true
	reframing.Roles["all"] = r
	b.Run("guard-reframe", func(b *testing.B) { run(b, chat.Wrap(model, guard.New(reframing)), req) })
	b.Run("analyze-only", func(b *testing.B) {
		conv := append(req.Messages[:len(req.Messages):len(req.Messages)], chat.Assistant(reply))
		a := metrics.NewAnalyzer()
		b.ReportAllocs()
		for b.Loop() {
			a.Analyze(conv)
		}
	})
}
