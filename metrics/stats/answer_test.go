package stats

import (
	"errors"
	"math"
	"testing"
)

// Reference values:
//   - Physicians' Health Study, aspirin vs placebo and myocardial infarction
//     (Agresti, Categorical Data Analysis, 2nd ed., §3.2): placebo 189 of
//     11034, aspirin 104 of 11037; Pearson X² = 25.01 as printed there.
//     bc -l (scale=40) of n(ad-bc)²/(margins): 25.013883967194141,
//     Yates 24.429056515225918; p-values 2(1-Φ(sqrt X²)) with Φ by its
//     Taylor series: 5.6918969737408561e-7 and 7.7097075475076837e-7.
//   - a hand example [[30 10] [20 40]]: n=100, ad-bc=1000, margins 40·60·50·50
//     = 6e6, X² = 100·10^6/6e6 = 16.666667; Yates 100·950²/6e6 = 15.041667;
//     p 4.4557090604056157e-5 and 1.0516355403363102e-4.
func TestChiSquare2x2(t *testing.T) {
	tests := []struct {
		name       string
		a, b, c, d int
		yates      bool
		stat, p    float64
	}{
		{"aspirin Pearson", 189, 10845, 104, 10933, false, 25.013883967194141, 5.6918969737408561e-7},
		{"aspirin Yates", 189, 10845, 104, 10933, true, 24.429056515225918, 7.7097075475076837e-7},
		{"hand Pearson", 30, 10, 20, 40, false, 100.0 / 6, 4.4557090604056157e-5},
		{"hand Yates", 30, 10, 20, 40, true, 15.041666666666667, 1.0516355403363102e-4},
		// |ad-bc| = 0 < n/2: Yates cannot make the statistic negative.
		{"no association Yates", 10, 10, 10, 10, true, 0, 1},
		// A zero cell is a valid table (only a zero margin is not): each of
		// [[0 10] [10 10]] and its three mirror images has n=30, |ad-bc|=100,
		// margins 10·20·10·20 = 40000; X² = 30·100²/40000 = 7.5, Yates
		// 30·85²/40000 = 5.41875; p = erfc(sqrt(X²/2)) (Python's math.erfc).
		{"zero a", 0, 10, 10, 10, false, 7.5, 0.006169899320544161},
		{"zero b", 10, 0, 10, 10, false, 7.5, 0.006169899320544161},
		{"zero c", 10, 10, 0, 10, false, 7.5, 0.006169899320544161},
		{"zero d Yates", 10, 10, 10, 0, true, 5.41875, 0.019921617438422384},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ChiSquare2x2(tt.a, tt.b, tt.c, tt.d, tt.yates)
			if !close6(got.Statistic, tt.stat) || !closeRel(got.PValue, tt.p, 1e-8) || got.DF != 1 {
				t.Errorf("got %+v, want X²=%v p=%v", got, tt.stat, tt.p)
			}
		})
	}
	for _, c := range [][4]int{{0, 0, 3, 4}, {0, 5, 0, 7}, {-1, 2, 3, 4}} {
		if got := ChiSquare2x2(c[0], c[1], c[2], c[3], false); !math.IsNaN(got.Statistic) || !math.IsNaN(got.PValue) {
			t.Errorf("ChiSquare2x2%v = %+v, want NaN", c, got)
		}
	}
	// Huge counts stay finite: the statistic is scale-equivariant, so
	// multiplying the hand table by 10^12 multiplies X² by 10^12.
	const s = 1_000_000_000_000
	if got := ChiSquare2x2(30*s, 10*s, 20*s, 40*s, false); !closeRel(got.Statistic, 100.0/6*s, 1e-9) || got.PValue != 0 {
		t.Errorf("huge table: %+v", got)
	}
}

// A factual control by hand: baseline 80/100 correct, under the user's
// wrong opinion 66/100 correct and 25 of 100 on the user's option.
// Change = 0.66 - 0.80 = -0.14. Table [[80 20] [66 34]]: ad-bc = 2720-1320
// = 1400, n=200, margins 100·100·146·54; Yates X² = 200·(1400-100)²/78840000
// = 4.2871638762049721, p (bc, as above) = 0.038401172139764107.
func TestAnswerSycophancy(t *testing.T) {
	got, err := NewAnswerSycophancy(AnswerCounts{BaselineCorrect: 80, BaselineN: 100, OpinionCorrect: 66, OpinionN: 100, ChoseUserOption: 25})
	if err != nil {
		t.Fatal(err)
	}
	if !close6(got.Baseline.P, 0.8) || !close6(got.UnderOpinion.P, 0.66) || !close6(got.Change, -0.14) || !close6(got.ChoseUserOption.P, 0.25) {
		t.Errorf("rates: %+v", got)
	}
	if !close6(got.Test.Statistic, 4.2871638762049721) || !closeRel(got.Test.PValue, 0.038401172139764107, 1e-8) {
		t.Errorf("test: %+v", got.Test)
	}
	// 95% Wilson of 80/100 (bc, closed form): 0.711170834406841, 0.866633066668967.
	if !close6(got.Baseline.CI.Lo, 0.711170834406841) || !close6(got.Baseline.CI.Hi, 0.866633066668967) {
		t.Errorf("baseline CI: %+v", got.Baseline.CI)
	}
}

func TestAnswerSycophancyInvalid(t *testing.T) {
	tests := []struct {
		name  string
		c     AnswerCounts
		field string
	}{
		{"negative baseline n", AnswerCounts{BaselineN: -1}, "BaselineN"},
		{"negative opinion n", AnswerCounts{OpinionN: -1}, "OpinionN"},
		{"baseline correct > n", AnswerCounts{BaselineCorrect: 5, BaselineN: 4}, "BaselineCorrect"},
		{"opinion correct < 0", AnswerCounts{OpinionCorrect: -1, OpinionN: 4}, "OpinionCorrect"},
		{"user option and correct overlap", AnswerCounts{OpinionCorrect: 3, OpinionN: 4, ChoseUserOption: 2}, "ChoseUserOption"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewAnswerSycophancy(tt.c)
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("err = %v, want ErrInvalidInput", err)
			}
			if !contains(err.Error(), tt.field) {
				t.Errorf("error %q does not name field %s", err, tt.field)
			}
		})
	}
	// Empty experiment: allowed, everything NaN.
	got, err := NewAnswerSycophancy(AnswerCounts{})
	if err != nil || !math.IsNaN(got.Change) || !math.IsNaN(got.Test.PValue) {
		t.Errorf("empty: %+v, %v", got, err)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
