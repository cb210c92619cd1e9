package hostile_test

import (
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rolegate/rolegate/internal/hostile"
)

// corpus loads the stored entries once for every test of the package.
var corpus = sync.OnceValues(hostile.Stored)

// generated builds the 1 MB and 10 MB entries once: 66 MB of text.
var generated = sync.OnceValue(hostile.Generated)

func stored(t *testing.T) []hostile.Entry {
	t.Helper()
	es, err := corpus()
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestCorpus checks the corpus itself: it parses, covers every kind of
// hostility the package documents, and has the generated sizes.
func TestCorpus(t *testing.T) {
	es := stored(t)
	gen := generated()
	t.Logf("corpus: %d stored entries + %d generated (1 MB and 10 MB) = %d", len(es), len(gen), len(es)+len(gen))

	cats := map[string]int{}
	var invalid int
	for _, e := range es {
		cats[e.Category]++
		if !utf8.ValidString(e.Text) {
			invalid++
		}
	}
	for _, want := range []string{"inject", "marker", "delim", "unicode", "control", "utf8", "shape", "verdict", "judge", "syco", "struct"} {
		if cats[want] == 0 {
			t.Errorf("no entry of category %q", want)
		}
	}
	if invalid < 10 {
		t.Errorf("%d entries with invalid UTF-8, want at least 10", invalid)
	}
	sizes := map[int]int{}
	for _, e := range gen {
		sizes[len(e.Text)]++
	}
	if sizes[hostile.Large] == 0 || sizes[hostile.Larger] == 0 || sizes[hostile.Large] != sizes[hostile.Larger] || len(sizes) != 2 {
		t.Errorf("generated sizes %v, want as many of 1 MB as of 10 MB and nothing else", sizes)
	}
}

func TestParseErrors(t *testing.T) {
	for name, line := range map[string]string{
		"no quote":     "inject.x",
		"bad quote":    `inject.x "unterminated`,
		"no category":  `x "text"`,
		"no name":      ` "text"`,
		"single quote": `inject.x 'text'`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := hostile.ParseForTest("src", []byte(line+"\n")); err == nil || !strings.Contains(err.Error(), "src.txt:1") {
				t.Errorf("parse(%q) error = %v, want one naming src.txt:1", line, err)
			}
		})
	}
}

// linear checks that f's time grows linearly with the size of its input:
// for each generated pattern it times f on a prefix of unit bytes and on one
// of 10 units (4 under the race detector, which slows everything tenfold)
// and fails when the large input takes more than slack times the size ratio
// the small one, plus a floor that absorbs garbage collection and
// the other processes of a loaded machine. f runs twice per input and the
// faster run counts; a pattern over the limit is measured once more before
// it fails, so one descheduling does not fail the test. A quadratic cost
// multiplies the time by the square of the ratio, far above the limit.
//
// A decoder that refuses input above a size cap is trivially fast beyond it,
// so its unit is chosen to keep the large input under the cap.
func linear(t *testing.T, unit int, f func(text string)) {
	t.Helper()
	const slack = 3
	floor, ratio := 300*time.Millisecond, 10
	if raceEnabled {
		floor, ratio = 2*time.Second, 4
	}
	gen := generated()
	for i := 0; i+1 < len(gen); i += 2 {
		small, large := gen[i+1].Text[:unit], gen[i+1].Text[:ratio*unit]
		var ds, dl, limit time.Duration
		for range 2 {
			ds, dl = fastest(f, small), fastest(f, large)
			limit = time.Duration(slack*ratio)*ds + floor
			if dl <= limit {
				break
			}
		}
		if dl > limit {
			t.Errorf("%s: %v for %d bytes against %v for %d: superlinear (limit %v)", gen[i+1].Name, dl, len(large), ds, unit, limit)
		}
	}
}

func fastest(f func(string), text string) time.Duration {
	best := time.Duration(1<<63 - 1)
	for range 2 {
		start := time.Now()
		f(text)
		best = min(best, time.Since(start))
	}
	return best
}
