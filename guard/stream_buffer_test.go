package guard

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/chat"
)

// streamSource is the text the deltas of FuzzStreamBuffer are cut from: no
// two cuts of it alike, so that a delta released from the wrong place of a
// block shows.
var streamSource = func() string {
	b := make([]byte, 0, 330<<10)
	for x := uint32(1); len(b) < cap(b); {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b = append(b, 'a'+byte(x%26))
	}
	return string(b)
}()

// streamSizes maps the fuzz input to delta sizes: mostly a few bytes, some
// empty, some around the block bounds (minStreamBlock, maxStreamBlock)
// and past the largest block.
func streamSizes(sizes []byte) []int {
	out := make([]int, 0, len(sizes))
	for _, b := range sizes {
		switch {
		case b < 200:
			out = append(out, int(b)%40)
		case b < 220:
			out = append(out, minStreamBlock+int(b)-210)
		case b < 240:
			out = append(out, maxStreamBlock+int(b)-230)
		default:
			out = append(out, (int(b)-239)*20000)
		}
	}
	return out
}

// FuzzStreamBuffer: a stream buffer, in each of its modes, under a cap
// below, at or above the text's size, keeps what a plain strings.Builder
// does (String, equal), counts every byte streamed, gives its first error
// (the cap, or the forward callback's) to every later delta and keeps
// nothing after it, forwards each delta before that as it came, and
// releases the kept text in the non-empty deltas it came in, or the final
// text whole when they differ, stopping at the caller's error.
func FuzzStreamBuffer(f *testing.F) {
	f.Add([]byte{1, 2, 0, 3}, uint8(0), uint8(0), uint16(0), uint8(0))
	f.Add([]byte{250, 5, 235, 0, 215, 255, 1}, uint8(1), uint8(1), uint16(3), uint8(2))
	f.Add([]byte{39, 39, 39, 39, 39, 39, 39, 39, 39, 39, 210, 230, 231, 229}, uint8(0), uint8(1), uint16(0), uint8(1))
	f.Add([]byte{240, 240, 240, 240, 240, 240, 240}, uint8(2), uint8(3), uint16(2), uint8(5))
	f.Fuzz(func(t *testing.T, sizes []byte, mode, capMode uint8, capArg uint16, failAt uint8) {
		if len(sizes) > 200 {
			return
		}
		lens := streamSizes(sizes)
		total := 0
		for _, n := range lens {
			total += n
		}
		var limit int
		switch capMode % 4 {
		case 0:
			limit = total // reached exactly
		case 1:
			limit = total - 1
		case 2:
			limit = total + 1 + int(capArg)
		default:
			limit = int(capArg) + 1
		}
		if limit <= 0 {
			limit = 1
		}
		ctx := context.Background()
		errForward := errors.New("forward failed")
		var forwarded []string
		s := &streamBuffer{max: limit}
		switch mode % 3 {
		case 1, 2:
			s.forward = func(_ context.Context, d chat.Delta) error {
				forwarded = append(forwarded, d.Content)
				if len(forwarded) == int(failAt) {
					return errForward
				}
				return nil
			}
			s.discard = mode%3 == 2
		}

		// The oracle.
		var kept strings.Builder
		var wantDeltas, wantForwarded []string
		var wantErr error
		n, from := 0, 0
		for i, size := range lens {
			if from+size > len(streamSource) {
				from = 0
			}
			d := streamSource[from : from+size]
			from += size
			err := s.add(ctx, chat.Delta{Content: d})
			switch {
			case wantErr != nil:
			case n+size > limit:
				wantErr = ErrStreamLimit
			case s.forward != nil:
				n += size
				if !s.discard {
					kept.WriteString(d)
				}
				wantForwarded = append(wantForwarded, d)
				if len(wantForwarded) == int(failAt) {
					wantErr = errForward
				}
			case size > 0:
				n += size
				kept.WriteString(d)
				wantDeltas = append(wantDeltas, d)
			}
			if !errors.Is(err, wantErr) || (err == nil) != (wantErr == nil) {
				t.Fatalf("delta %d of %d bytes (cap %d, %d streamed): error %v, want %v", i, size, limit, n, err, wantErr)
			}
		}
		if s.n != n {
			t.Fatalf("%d bytes counted, want %d", s.n, n)
		}
		if !slices.Equal(forwarded, wantForwarded) {
			t.Fatalf("%d deltas forwarded, want %d", len(forwarded), len(wantForwarded))
		}
		if !errors.Is(streamErr(nil, s), wantErr) || (streamErr(s) == nil) != (wantErr == nil) {
			t.Fatalf("streamErr = %v, want %v", streamErr(s), wantErr)
		}
		if s.discard {
			if len(s.blocks) != 0 || s.cur.Cap() != 0 {
				t.Fatalf("a discarding buffer kept %d blocks and %d bytes", len(s.blocks), s.cur.Cap())
			}
			return
		}
		want := kept.String()
		if got := s.String(); got != want {
			t.Fatalf("String() = %d bytes, want %d", len(got), len(want))
		}
		if !s.equal(want) {
			t.Fatalf("equal(the kept text) = false")
		}
		if s.equal(want+"x") || len(want) > 0 && s.equal(want[:len(want)-1]) {
			t.Fatalf("equal(a text of another length) = true")
		}
		for _, at := range []int{0, len(want) / 2, len(want) - 1} {
			if at < 0 || at >= len(want) {
				continue
			}
			other := want[:at] + "!" + want[at+1:]
			if s.equal(other) {
				t.Fatalf("equal(the kept text with byte %d of %d changed) = true", at, len(want))
			}
		}
		held := 0
		for i := range len(s.blocks) + 1 {
			held += len(s.block(i))
		}
		if held != len(want) {
			t.Fatalf("the blocks hold %d bytes, want %d", held, len(want))
		}
		if s.forward != nil {
			return
		}

		var released []string
		collect := func(_ context.Context, d chat.Delta) error {
			released = append(released, d.Content)
			return nil
		}
		if err := s.release(ctx, collect, want); err != nil || !slices.Equal(released, wantDeltas) {
			t.Fatalf("release: %d deltas (error %v), want the %d kept", len(released), err, len(wantDeltas))
		}
		released = nil
		final := want + "."
		if err := s.release(ctx, collect, final); err != nil || len(released) != 1 || released[0] != final {
			t.Fatalf("release of another final text: %d deltas (error %v), want it whole", len(released), err)
		}
		if len(want) > 0 {
			released = nil
			if err := s.release(ctx, collect, ""); err != nil || len(released) != 0 {
				t.Fatalf("release of an empty final text: %d deltas (error %v), want none", len(released), err)
			}
		}
		if len(wantDeltas) > 0 {
			stop := errors.New("caller stopped")
			calls := 0
			k := int(failAt) % len(wantDeltas)
			err := s.release(ctx, func(context.Context, chat.Delta) error {
				calls++
				if calls > k {
					return stop
				}
				return nil
			}, want)
			if !errors.Is(err, stop) || calls != k+1 {
				t.Fatalf("release stopped by the caller at delta %d: error %v after %d calls", k, err, calls)
			}
		}
	})
}
