package stats

import (
	"encoding/json"
	"math"
	"testing"
)

func TestJSON(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"empty pairwise encodes NaN as null", Pairwise(0, 0, 2),
			`{"k":0,"n":0,"invalid":2,"p":null,"ci":{"lo":null,"hi":null},"z":null,"p_value":null}`},
		// Wilson 50/100 in bc: 0.40383153036599563, 0.59616846963400437.
		{"pairwise", Pairwise(50, 100, 1),
			`{"k":50,"n":100,"invalid":1,"p":0.5,"ci":{"lo":0.4038315303659957,"hi":0.5961684696340043},"z":0,"p_value":1}`},
		{"proportion", NewProportion(0, 0), `{"k":0,"n":0,"p":null,"ci":{"lo":null,"hi":null}}`},
		{"round rate keeps condition and round", RoundRate{Condition: "generic", Round: 3, Proportion: NewProportion(0, 0)},
			`{"condition":"generic","round":3,"k":0,"n":0,"p":null,"ci":{"lo":null,"hi":null}}`},
		{"chi-square", ChiSquare2x2(0, 0, 1, 1, false), `{"statistic":null,"df":1,"p_value":null}`},
		{"flips", SummarizeFlips(nil), `{"conversations":0,"mean_turn_of_flip":null,"mean_number_of_flips":null}`},
		{"logit", LogitTest(0, 5), `{"log_odds":null,"se":null,"ci":{"lo":null,"hi":null},"z":null,"p_value":null}`},
		{"logistic fit", &LogisticFit{Coefficients: []Coefficient{{Name: "x", CI: Interval{0, 1}}}, N: 3, Deviance: 1.5, Iterations: 4},
			`{"coefficients":[{"name":"x","estimate":0,"se":0,"z":0,"p_value":0,"ci":{"lo":0,"hi":1}}],"n":3,"deviance":1.5,"iterations":4}`},
		{"cluster bootstrap", &ClusterBootstrapResult{Names: []string{"x"}, CI: []Interval{nanInterval}, Clusters: 2,
			BootstrapResult: BootstrapResult{Replicates: [][]float64{{0.5}}, Failed: 1}},
			`{"names":["x"],"ci":[{"lo":null,"hi":null}],"clusters":2,"replicates":[[0.5]],"failed":1}`},
		{"coefficient", Coefficient{Name: "round", Estimate: 0.5, SE: 0.25, Z: 2, PValue: 0.0455, CI: Interval{0, 1}},
			`{"name":"round","estimate":0.5,"se":0.25,"z":2,"p_value":0.0455,"ci":{"lo":0,"hi":1}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("got  %s\nwant %s", b, tt.want)
			}
		})
	}
	s, _ := NewAnswerSycophancy(AnswerCounts{})
	if _, err := json.Marshal(s); err != nil {
		t.Errorf("empty answer sycophancy: %v", err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for _, r := range []PairwiseRate{Pairwise(60, 100, 3), Pairwise(0, 0, 1)} {
		b, _ := json.Marshal(r)
		var got PairwiseRate
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if !sameFloats(got.P, r.P) || !sameFloats(got.Z, r.Z) || !sameFloats(got.PValue, r.PValue) ||
			!sameFloats(got.CI.Lo, r.CI.Lo) || !sameFloats(got.CI.Hi, r.CI.Hi) || got.K != r.K || got.N != r.N || got.Invalid != r.Invalid {
			t.Errorf("round trip: got %+v, want %+v", got, r)
		}
	}
	rr := RoundRate{Condition: "p+", Round: 2, Proportion: NewProportion(3, 8)}
	b, _ := json.Marshal(rr)
	var got RoundRate
	if err := json.Unmarshal(b, &got); err != nil || got != rr {
		t.Errorf("round rate round trip: %+v, %v", got, err)
	}
	var p Proportion
	if err := json.Unmarshal([]byte(`{"k":1,"n":2,"p":"x"}`), &p); err == nil {
		t.Error("malformed p accepted")
	}
}

// Every result type reads back what it writes: re-encoding the decoded
// value gives the same JSON, nulls (NaN) and snake_case fields included.
func TestJSONRoundTripAll(t *testing.T) {
	as, _ := NewAnswerSycophancy(AnswerCounts{BaselineCorrect: 80, BaselineN: 100, OpinionCorrect: 65, OpinionN: 100, ChoseUserOption: 20})
	empty, _ := NewAnswerSycophancy(AnswerCounts{})
	tests := []struct {
		name string
		v    any
		into func() any
	}{
		{"chi-square", ChiSquare2x2(10, 20, 30, 5, true), func() any { return new(ChiSquareTest) }},
		{"chi-square undefined", ChiSquare2x2(0, 0, 1, 1, false), func() any { return new(ChiSquareTest) }},
		{"flips", SummarizeFlips([][]bool{{true, false}, {true, true}}), func() any { return new(FlipSummary) }},
		{"flips empty", SummarizeFlips(nil), func() any { return new(FlipSummary) }},
		{"answer sycophancy", as, func() any { return new(AnswerSycophancy) }},
		{"answer sycophancy empty", empty, func() any { return new(AnswerSycophancy) }},
		{"logit", LogitTest(30, 50), func() any { return new(LogOddsTest) }},
		{"logit undefined", LogitTest(0, 5), func() any { return new(LogOddsTest) }},
		{"coefficient", Coefficient{Name: "round", Estimate: 0.5, SE: 0.25, Z: 2, PValue: 0.0455, CI: Interval{0, 1}}, func() any { return new(Coefficient) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			back := tt.into()
			if err := json.Unmarshal(b, back); err != nil {
				t.Fatal(err)
			}
			b2, err := json.Marshal(back)
			if err != nil {
				t.Fatal(err)
			}
			if string(b2) != string(b) {
				t.Errorf("round trip:\ngot  %s\nwant %s", b2, b)
			}
		})
	}
}

func sameFloats(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
