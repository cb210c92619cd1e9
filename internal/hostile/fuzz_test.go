package hostile_test

import (
	"bytes"
	"testing"

	"github.com/rolegate/rolegate/bench"
)

// FuzzReadReport is the fuzz target for a parser whose package has none.
// Run it with
//
//	go test -run='^$' -fuzz='^FuzzReadReport$' -fuzztime=10s ./internal/hostile
//
// bench.ReadReport never panics; a report it accepts writes
// back as JSON that it reads again.
func FuzzReadReport(f *testing.F) {
	var b bytes.Buffer
	if err := bench.Summarize(bench.RunInfo{}, nil).WriteJSON(&b); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`{"version":99}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := bench.ReadReport(bytes.NewReader(data))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := r.WriteJSON(&out); err != nil {
			t.Fatalf("an accepted report does not write: %v", err)
		}
		if _, err := bench.ReadReport(&out); err != nil {
			t.Fatalf("a written report does not read back: %v", err)
		}
	})
}
