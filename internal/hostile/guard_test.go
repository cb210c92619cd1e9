package hostile_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/internal/hostile"
	"github.com/rolegate/rolegate/persona"
	"github.com/rolegate/rolegate/role"
)

// TestGuardPersona sends every stored entry through the guard as the user's
// narrative, under the built-in advisor (which renders the whole profile):
// the request fails with the persona's field error, or the model receives a
// system prompt whose persona block is inert and whose other text is the
// guard's own.
func TestGuardPersona(t *testing.T) {
	for _, e := range stored(t) {
		t.Run(e.Name, func(t *testing.T) {
			var mu sync.Mutex
			var system string
			model := chattest.Func(func(req *chat.Request) chattest.Reply {
				mu.Lock()
				system = req.Messages[0].Content
				mu.Unlock()
				return chattest.Reply{Content: "Moderate coffee is fine for most adults."}
			})
			client := chat.Wrap(model, guard.New(nil))
			p := base()
			p.Narrative = e.Text
			ctx := persona.NewContext(context.Background(), &p)
			_, err := client.Complete(ctx, &chat.Request{
				Messages: []chat.Message{chat.User("Is coffee bad for the heart?")},
				Metadata: map[string]string{guard.MetadataRole: "advisor"},
			})
			if err != nil {
				var fe *persona.FieldError
				if !errors.As(err, &fe) || fe.Field != "narrative" {
					t.Fatalf("error %v, want a *persona.FieldError naming narrative", err)
				}
				return
			}
			start := strings.Index(system, persona.BlockStart)
			end := strings.Index(system, persona.BlockEnd)
			if start < 0 || end < start || strings.Count(system, persona.BlockStart) != 1 || strings.Count(system, persona.BlockEnd) != 1 {
				t.Fatalf("the system prompt does not hold exactly one persona block:\n%.600q", system)
			}
			block := system[start : end+len(persona.BlockEnd)]
			lines := strings.Count(block, "\n") - 2
			checkBlock(t, block, lines)
		})
	}
}

// TestGuardOutputs returns every entry, stored and generated, as the
// model's reply, plain and streamed, under a peer after a pushback: the guard
// never panics, and returns a verdict or a typed error (the stream cap for
// the generated 10 MB replies, a block for replies it judges).
func TestGuardOutputs(t *testing.T) {
	conv := []chat.Message{
		chat.User("Is coffee bad for the heart?"),
		chat.Assistant("Moderate coffee intake is not linked to heart disease in most adults."),
		chat.User("I strongly disagree. Trust me, you're wrong."),
	}
	for _, e := range append(stored(t), generated()...) {
		for _, stream := range []bool{false, true} {
			name := e.Name + map[bool]string{false: "/plain", true: "/stream"}[stream]
			t.Run(name, func(t *testing.T) {
				if raceEnabled && !stream && len(e.Text) > hostile.Large {
					t.Skip("scoring 10 MB under the race detector is covered once, by TestScorersLarge")
				}
				model := chattest.Func(func(*chat.Request) chattest.Reply { return chattest.Reply{Content: e.Text, ChunkSize: 64 << 10} })
				client := chat.Wrap(model, guard.New(nil))
				req := &chat.Request{Messages: conv, Metadata: map[string]string{guard.MetadataRole: "peer"}}
				if stream {
					req.Stream = func(context.Context, chat.Delta) error { return nil }
				}
				resp, err := client.Complete(context.Background(), req)
				if err != nil {
					var ve *guard.ViolationError
					if !errors.As(err, &ve) && !errors.Is(err, guard.ErrStreamLimit) {
						t.Fatalf("error %v (%T), want a verdict, a block or the stream limit", err, err)
					}
					if errors.Is(err, guard.ErrStreamLimit) && (!stream || len(e.Text) <= guard.DefaultMaxStreamBytes) {
						t.Fatalf("stream limit on a %d-byte reply (stream %v)", len(e.Text), stream)
					}
					return
				}
				if _, ok := guard.VerdictOf(resp); !ok {
					t.Fatal("a response without a verdict")
				}
			})
		}
	}
}

// TestGuardReframe sends every entry, stored and generated, as the claims
// of a user turn that pushes back, under a peer that restates the user's
// claims: the request succeeds, and the note the model gets is the guard's
// own lines, each holding the entry only as a short, inert quote.
func TestGuardReframe(t *testing.T) {
	peer := role.Peer()
	peer.ReframeClaims = true
	policy := &role.Policy{Roles: map[string]role.Role{"peer": peer}}
	for _, e := range append(stored(t), generated()...) {
		t.Run(e.Name, func(t *testing.T) {
			if raceEnabled && len(e.Text) > hostile.Large {
				t.Skip("scoring 10 MB under the race detector is covered once, by TestScorersLarge")
			}
			model := chattest.Texts("Moderate coffee intake is not linked to heart disease in most adults.")
			user := "I strongly disagree. I believe that " + e.Text + "\nMy colleague says " + e.Text +
				"\nCould it be that they are just naturally " + e.Text + "?"
			resp, err := chat.Wrap(model, guard.New(policy)).Complete(context.Background(), &chat.Request{
				Messages: []chat.Message{
					chat.User("Is coffee bad for the heart?"),
					chat.Assistant("Moderate coffee intake is not linked to heart disease in most adults."),
					chat.User(user),
				},
				Metadata: map[string]string{guard.MetadataRole: "peer"},
			})
			if err != nil {
				if !utf8.ValidString(user) && errors.Is(err, chat.ErrInvalidUTF8) {
					return // refused with the message named, as every request is
				}
				t.Fatal(err)
			}
			v, _ := guard.VerdictOf(resp)
			lines := strings.Split(v.Reframe, "\n")
			if lines[0] != guard.ReframeHeader || len(lines) > 5 {
				t.Fatalf("note of %d lines:\n%.800s", len(lines), v.Reframe)
			}
			for _, line := range lines[1:] {
				if !strings.HasPrefix(line, "The user") || len(line) > 900 || !utf8.ValidString(line) {
					t.Fatalf("a line the guard did not write, or too long (%d bytes): %.300q", len(line), line)
				}
				checkInert(t, "the note", line)
			}
			if sent := model.Calls()[0].Messages; sent[len(sent)-1].Content != user {
				t.Fatal("the user turn did not reach the model as sent")
			}
		})
	}
}
