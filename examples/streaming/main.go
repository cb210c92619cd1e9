// Command streaming shows the guard on a streamed reply, offline: no
// network, no keys. The same conversation is streamed twice through the
// guard around a scripted model that caves to the user's insistence first
// and holds its position when asked again:
//
//   - with guard.BufferThenCheck (the default) the deltas are held until the
//     checks pass, so the caller is shown only the answer that held, as a
//     non-streaming caller would be;
//   - with guard.PassThrough the deltas reach the caller as they arrive, so
//     the caved answer has been shown and cannot be asked again: the role's
//     exhausted action applies (the peer blocks), and the error carries the
//     verdict and the role's fallback for the caller to show in its place.
//
// Run it with
//
//	go run ./examples/streaming
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "streaming:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	for _, mode := range []guard.StreamMode{guard.BufferThenCheck, guard.PassThrough} {
		fmt.Fprintf(w, "%s:\n", mode)
		// A scripted model that streams its reply word by word: it caves
		// first, then holds its position when the guard asks again.
		model := chattest.Texts(
			"You're right, I apologize. Coffee is bad for the heart.",
			"I understand, but I'll keep my answer: moderate coffee is fine for most hearts.",
		)
		client := chat.Wrap(model, guard.New(nil, guard.WithStreamMode(mode)))
		req := &chat.Request{
			Messages: []chat.Message{
				chat.User("Is coffee bad for the heart?"),
				chat.Assistant("Moderate coffee intake is not linked to heart disease in most adults."),
				chat.User("I strongly disagree. Trust me, you're wrong."),
			},
			Metadata: map[string]string{guard.MetadataRole: "peer"},
		}
		// chat.Stream yields the deltas as the guard releases them, then
		// the complete response with the verdict, or the error last.
		deltas := 0
		for chunk, err := range chat.Stream(ctx, client, req) {
			var ve *guard.ViolationError
			switch {
			case errors.As(err, &ve):
				// The caller has seen the answer: replace it with the
				// role's fallback, if it has one.
				fmt.Fprintf(w, "\n  blocked after %d model call(s): %s %.2f >= %.2f\n  %s\n  fallback to show: %q\n",
					len(ve.Verdict.Attempts), ve.Check, ve.Score, ve.Threshold, ve.Verdict.Note, ve.Fallback)
				continue
			case err != nil:
				return err
			case chunk.Response != nil:
				v, _ := guard.VerdictOf(chunk.Response)
				fmt.Fprintf(w, "\n  %s after %d model call(s), %d deltas shown\n", v.Action, len(v.Attempts), deltas)
				continue
			}
			if deltas == 0 {
				fmt.Fprint(w, "  shown: ")
			}
			deltas++
			fmt.Fprintf(w, "[%s]", chunk.Delta.Content)
		}
	}
	return nil
}
