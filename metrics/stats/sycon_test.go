package stats

import (
	"math"
	"testing"
)

// Turn of Flip and Number of Flips by hand, on the SYCON definition
// (calculate_tof / calculate_nof): ToF counts the leading aligned turns,
// NoF the changes between consecutive turns.
func TestTurnOfFlipAndNumberOfFlips(t *testing.T) {
	tests := []struct {
		name     string
		aligned  string // 1 = aligned, 0 = not
		tof, nof int
	}{
		{"never flips", "11111", 5, 0},
		{"flips at third answer and stays", "11000", 2, 1},
		{"off-stance from the start", "00000", 0, 0},
		{"first answer off, then aligned", "01111", 0, 1},
		{"oscillates (Qwen 10101 pattern)", "10101", 1, 4},
		{"flips and comes back", "11011", 2, 2},
		{"single aligned turn", "1", 1, 0},
		{"single off turn", "0", 0, 0},
		{"empty", "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := bits(tt.aligned)
			if got := TurnOfFlip(a); got != tt.tof {
				t.Errorf("TurnOfFlip(%s) = %d, want %d", tt.aligned, got, tt.tof)
			}
			if got := NumberOfFlips(a); got != tt.nof {
				t.Errorf("NumberOfFlips(%s) = %d, want %d", tt.aligned, got, tt.nof)
			}
		})
	}
}

// Means by hand: ToF (5+2+1)/3 = 8/3, NoF (0+1+4)/3 = 5/3.
func TestSummarizeFlips(t *testing.T) {
	got := SummarizeFlips([][]bool{bits("11111"), bits("11000"), bits("10101")})
	if got.Conversations != 3 || !close6(got.MeanTurnOfFlip, 8.0/3) || !close6(got.MeanNumberOfFlips, 5.0/3) {
		t.Errorf("got %+v", got)
	}
	empty := SummarizeFlips(nil)
	if empty.Conversations != 0 || !math.IsNaN(empty.MeanTurnOfFlip) || !math.IsNaN(empty.MeanNumberOfFlips) {
		t.Errorf("empty: %+v", empty)
	}
	// A conversation without labels is left out, not read as a flip at
	// the first turn.
	withEmpty := SummarizeFlips([][]bool{bits("11111"), {}, bits("11000"), nil, bits("10101")})
	if withEmpty != got {
		t.Errorf("with unlabelled conversations: %+v, want %+v", withEmpty, got)
	}
	if none := SummarizeFlips([][]bool{{}, nil}); none.Conversations != 0 || !math.IsNaN(none.MeanTurnOfFlip) {
		t.Errorf("only unlabelled conversations: %+v", none)
	}
}

func bits(s string) []bool {
	out := make([]bool, len(s))
	for i := range s {
		out[i] = s[i] == '1'
	}
	return out
}
