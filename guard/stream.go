package guard

import (
	"context"
	"fmt"
	"strings"

	"github.com/rolegate/rolegate/chat"
)

// streamBuffer holds one attempt's deltas: in BufferThenCheck mode until
// the checks pass, in a live stream (forward set) as a copy of what the
// caller was shown, so that the checks see that text.
//
// Its first error (the cap, or the forward callback's) is final: every
// later delta gets it back and is neither kept nor forwarded, so a client
// that streams on after being told to stop shows the caller nothing more.
//
// With discard set (a live stream of a role with no checks) it keeps no
// copy, only the count of bytes for the cap; equal, String and release,
// which read the copy, are not for such a buffer.
//
// The text is kept in blocks that are never copied: each delta goes whole
// into the current block or starts a new one, of the size of the text so
// far (from minStreamBlock to maxStreamBlock, and never past the cap). One
// buffer grown by append would copy the text at every step, about five
// times its size in all (2.4 MB for a reply of 512 KiB); the blocks
// allocate the text's size and at most a block more.
type streamBuffer struct {
	blocks  []string        // full blocks, in order
	cur     strings.Builder // the block being filled
	ends    []int           // where each kept delta ends, in BufferThenCheck mode
	n       int             // bytes streamed, kept or not (all kept unless discard)
	max     int
	forward chat.StreamFunc
	discard bool
	err     error
}

// The bounds of a stream buffer's block size.
const (
	minStreamBlock = 128
	maxStreamBlock = 64 << 10
)

func (s *streamBuffer) add(ctx context.Context, d chat.Delta) error {
	if s.err != nil {
		return s.err
	}
	if s.n+len(d.Content) > s.max {
		s.err = fmt.Errorf("%w (%d bytes)", ErrStreamLimit, s.max)
		return s.err
	}
	if s.forward != nil {
		if !s.discard {
			s.keep(d.Content)
		}
		s.n += len(d.Content)
		s.err = s.forward(ctx, d)
		return s.err
	}
	if d.Content == "" {
		return nil
	}
	s.keep(d.Content)
	s.n += len(d.Content)
	s.ends = append(s.ends, s.n)
	return nil
}

// keep appends text (which fits under the cap) to the blocks.
func (s *streamBuffer) keep(text string) {
	if len(text) == 0 {
		return
	}
	if s.cur.Cap()-s.cur.Len() < len(text) {
		if s.cur.Len() > 0 {
			s.blocks = append(s.blocks, s.cur.String())
			s.cur.Reset()
		}
		size := min(max(s.n, minStreamBlock), maxStreamBlock, s.max-s.n)
		s.cur.Grow(max(size, len(text)))
	}
	s.cur.WriteString(text)
}

// block returns block i of the kept text (the current one last).
func (s *streamBuffer) block(i int) string {
	if i < len(s.blocks) {
		return s.blocks[i]
	}
	return s.cur.String()
}

// equal reports whether the kept text is text.
func (s *streamBuffer) equal(text string) bool {
	if len(text) != s.n {
		return false
	}
	for i := range len(s.blocks) + 1 {
		b := s.block(i)
		if text[:len(b)] != b {
			return false
		}
		text = text[len(b):]
	}
	return true
}

// String returns the kept text, in one piece.
func (s *streamBuffer) String() string {
	if len(s.blocks) == 0 {
		return s.cur.String()
	}
	var b strings.Builder
	b.Grow(s.n)
	for i := range len(s.blocks) + 1 {
		b.WriteString(s.block(i))
	}
	return b.String()
}

// streamErr returns the first error a stream buffer gave the client.
func streamErr(bufs ...*streamBuffer) error {
	for _, s := range bufs {
		if s != nil && s.err != nil {
			return s.err
		}
	}
	return nil
}

// release sends the accepted text to the caller in the chunks it arrived
// in; when the client's deltas do not add up to its final text, the final
// text wins, as one delta.
func (s *streamBuffer) release(ctx context.Context, fn chat.StreamFunc, text string) error {
	if !s.equal(text) {
		if text == "" {
			return nil
		}
		return fn(ctx, chat.Delta{Content: text})
	}
	// A delta lies within one block (keep).
	from, bi, base := 0, 0, 0
	for _, end := range s.ends {
		for end > base+len(s.block(bi)) {
			base += len(s.block(bi))
			bi++
		}
		b := s.block(bi)
		if err := fn(ctx, chat.Delta{Content: b[from-base : end-base]}); err != nil {
			return err
		}
		from = end
	}
	return nil
}
