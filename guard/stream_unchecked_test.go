package guard_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/role"
)

// TestStreamUncheckedRole: the stream guarantees of the guard's doc hold
// for a role with no checks too, whose stream is forwarded live: once the
// caller's StreamFunc returns an error, or the text passes the cap, a
// client that streams on shows the caller nothing more, and the call ends
// with that error rather than a response.
func TestStreamUncheckedRole(t *testing.T) {
	// plain has nothing to do (the guard passes the request on); guarded
	// has safeguards to add, so its request is rewritten and run.
	policy := &role.Policy{Roles: map[string]role.Role{
		"plain":   {Kind: role.KindCompanion},
		"guarded": {Kind: role.KindCompanion, Safeguards: "Be honest."},
	}}
	// rude streams on after its callback fails, then answers.
	rude := chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
		for _, d := range []string{"one ", "two ", "three"} {
			_ = req.Stream(ctx, chat.Delta{Content: d})
		}
		return &chat.Response{Message: chat.Assistant("one two three")}, nil
	})
	errStop := errors.New("caller stops")
	for _, tc := range []struct {
		name string
		mode guard.StreamMode
	}{{"plain", guard.BufferThenCheck}, {"guarded", guard.BufferThenCheck}, {"guarded", guard.PassThrough}} {
		mode, name := tc.mode, tc.name
		t.Run(name+"/caller's error/"+mode.String(), func(t *testing.T) {
			var got []string
			req := &chat.Request{Messages: []chat.Message{chat.User("hi")}, Metadata: map[string]string{guard.MetadataRole: name},
				Stream: func(_ context.Context, d chat.Delta) error {
					got = append(got, d.Content)
					return errStop
				}}
			resp, err := chat.Wrap(rude, guard.New(policy, guard.WithStreamMode(mode))).Complete(context.Background(), req)
			assert.ErrorIs(t, err, errStop)
			assert.Nil(t, resp)
			assert.Equal(t, []string{"one "}, got, "no delta after the caller's error")
		})
		t.Run(name+"/cap/"+mode.String(), func(t *testing.T) {
			var got []string
			req := &chat.Request{Messages: []chat.Message{chat.User("hi")}, Metadata: map[string]string{guard.MetadataRole: name},
				Stream: func(_ context.Context, d chat.Delta) error {
					got = append(got, d.Content)
					return nil
				}}
			_, err := chat.Wrap(rude, guard.New(policy, guard.WithStreamMode(mode), guard.WithMaxStreamBytes(6))).Complete(context.Background(), req)
			require.ErrorIs(t, err, guard.ErrStreamLimit)
			assert.Equal(t, []string{"one "}, got, "no delta past the cap")
		})
	}
}
