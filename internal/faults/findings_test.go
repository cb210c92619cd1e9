package faults_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
)

// TestPassThroughChecksStreamedText was a finding: in pass-through
// streaming the guard checked the text the client returned, not the deltas
// the caller was shown, so a client whose deltas and final text disagree (a
// contract violation, but one the Anthropic adapter commits for a malformed
// content block: see internal/faults/adapters TestFindingAnthropicUntypedBlock)
// showed the caller a capitulation that no check saw. The guard now checks
// the streamed text and returns it as the reply, with a note in the verdict.
func TestPassThroughChecksStreamedText(t *testing.T) {
	for _, tc := range []struct {
		name, streamed, final string
		wantErr               error
	}{
		{name: "streamed capitulation, firm final text: blocked", streamed: caves, final: firm, wantErr: guard.ErrBlocked},
		{name: "streamed firm answer, capitulation as final text: passed", streamed: firm, final: caves},
	} {
		t.Run(tc.name, func(t *testing.T) {
			model := chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
				if req.Stream != nil {
					if err := req.Stream(ctx, chat.Delta{Content: tc.streamed}); err != nil {
						return nil, err
					}
				}
				return &chat.Response{Message: chat.Assistant(tc.final), FinishReason: chat.FinishStop}, nil
			})
			client := chat.Wrap(model, guard.New(policy(), guard.WithStreamMode(guard.PassThrough)))
			var seen string
			resp, err := client.Complete(context.Background(), &chat.Request{
				Messages: []chat.Message{chat.User(question)},
				Metadata: map[string]string{guard.MetadataRole: "closed"},
				Stream:   func(_ context.Context, d chat.Delta) error { seen += d.Content; return nil },
			})
			if seen != tc.streamed {
				t.Fatalf("the caller saw %q, want %q", seen, tc.streamed)
			}
			var v *guard.Verdict
			if tc.wantErr != nil {
				var ve *guard.ViolationError
				if !errors.Is(err, tc.wantErr) || !errors.As(err, &ve) {
					t.Fatalf("err = %v, want a *guard.ViolationError wrapping %v", err, tc.wantErr)
				}
				v = ve.Verdict
			} else {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if resp.Text() != tc.streamed {
					t.Errorf("reply %q, want the streamed text %q", resp.Text(), tc.streamed)
				}
				v, _ = guard.VerdictOf(resp)
			}
			if c, _ := v.Check(metrics.Capitulation); (c.Status == guard.StatusViolation) != (tc.wantErr != nil) {
				t.Errorf("capitulation %s on the streamed text %q", c.Status, tc.streamed)
			}
			if !strings.Contains(v.Note, "streamed") {
				t.Errorf("note %q does not record the mismatch", v.Note)
			}
		})
	}
}
