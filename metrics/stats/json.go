package stats

import (
	"encoding/json"
	"math"
	"strconv"
)

// The result types marshal to JSON with snake_case names, and with null
// for the NaN of an undefined statistic (encoding/json rejects NaN), so a
// report with an empty cell still encodes. Each type that has a
// MarshalJSON here has the matching UnmarshalJSON, which reads null back as
// NaN (an infinite value, also written as null, comes back as NaN too).

// Num is a float64 that encodes NaN and ±Inf as JSON null, so that an
// undefined statistic (a rate of no valid pair) is written as "no value"
// instead of making encoding/json fail. It is the number type of the result
// types' JSON, exported for reports built on them.
type Num float64

// MarshalJSON writes f, or null for NaN and ±Inf.
func (f Num) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// UnmarshalJSON reads a number, or null as NaN.
func (f *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Num(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Num(v)
	return nil
}

type intervalJSON struct {
	Lo Num `json:"lo"`
	Hi Num `json:"hi"`
}

// MarshalJSON encodes {"lo":…,"hi":…}, null for NaN bounds.
func (i Interval) MarshalJSON() ([]byte, error) {
	return json.Marshal(intervalJSON{Num(i.Lo), Num(i.Hi)})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (i *Interval) UnmarshalJSON(b []byte) error {
	v := intervalJSON{Num(math.NaN()), Num(math.NaN())}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*i = Interval{float64(v.Lo), float64(v.Hi)}
	return nil
}

type proportionJSON struct {
	K  int      `json:"k"`
	N  int      `json:"n"`
	P  Num      `json:"p"`
	CI Interval `json:"ci"`
}

// MarshalJSON encodes {"k","n","p","ci"}, null for an undefined rate.
func (p Proportion) MarshalJSON() ([]byte, error) {
	return json.Marshal(proportionJSON{p.K, p.N, Num(p.P), p.CI})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (p *Proportion) UnmarshalJSON(b []byte) error {
	v := proportionJSON{P: Num(math.NaN()), CI: nanInterval}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = Proportion{K: v.K, N: v.N, P: float64(v.P), CI: v.CI}
	return nil
}

type pairwiseJSON struct {
	K       int      `json:"k"`
	N       int      `json:"n"`
	Invalid int      `json:"invalid"`
	P       Num      `json:"p"`
	CI      Interval `json:"ci"`
	Z       Num      `json:"z"`
	PValue  Num      `json:"p_value"`
}

// MarshalJSON encodes {"k","n","invalid","p","ci","z","p_value"}.
func (r PairwiseRate) MarshalJSON() ([]byte, error) {
	return json.Marshal(pairwiseJSON{r.K, r.N, r.Invalid, Num(r.P), r.CI, Num(r.Z), Num(r.PValue)})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (r *PairwiseRate) UnmarshalJSON(b []byte) error {
	nan := Num(math.NaN())
	v := pairwiseJSON{P: nan, CI: nanInterval, Z: nan, PValue: nan}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = PairwiseRate{K: v.K, N: v.N, Invalid: v.Invalid, P: float64(v.P), CI: v.CI, Z: float64(v.Z), PValue: float64(v.PValue)}
	return nil
}

type roundRateJSON struct {
	Condition string `json:"condition"`
	Round     int    `json:"round"`
	proportionJSON
}

// MarshalJSON encodes {"condition","round","k","n","p","ci"}. (Without it
// the embedded Proportion's method would drop Condition and Round.)
func (r RoundRate) MarshalJSON() ([]byte, error) {
	p := r.Proportion
	return json.Marshal(roundRateJSON{r.Condition, r.Round, proportionJSON{p.K, p.N, Num(p.P), p.CI}})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (r *RoundRate) UnmarshalJSON(b []byte) error {
	v := roundRateJSON{proportionJSON: proportionJSON{P: Num(math.NaN()), CI: nanInterval}}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = RoundRate{Condition: v.Condition, Round: v.Round, Proportion: Proportion{K: v.K, N: v.N, P: float64(v.P), CI: v.CI}}
	return nil
}

type chiSquareJSON struct {
	Statistic Num `json:"statistic"`
	DF        int `json:"df"`
	PValue    Num `json:"p_value"`
}

// MarshalJSON encodes {"statistic","df","p_value"}, null when undefined.
func (t ChiSquareTest) MarshalJSON() ([]byte, error) {
	return json.Marshal(chiSquareJSON{Num(t.Statistic), t.DF, Num(t.PValue)})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (t *ChiSquareTest) UnmarshalJSON(b []byte) error {
	nan := Num(math.NaN())
	v := chiSquareJSON{Statistic: nan, PValue: nan}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*t = ChiSquareTest{Statistic: float64(v.Statistic), DF: v.DF, PValue: float64(v.PValue)}
	return nil
}

type flipSummaryJSON struct {
	Conversations     int `json:"conversations"`
	MeanTurnOfFlip    Num `json:"mean_turn_of_flip"`
	MeanNumberOfFlips Num `json:"mean_number_of_flips"`
}

// MarshalJSON encodes the summary with null means when there are no
// conversations.
func (s FlipSummary) MarshalJSON() ([]byte, error) {
	return json.Marshal(flipSummaryJSON{s.Conversations, Num(s.MeanTurnOfFlip), Num(s.MeanNumberOfFlips)})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (s *FlipSummary) UnmarshalJSON(b []byte) error {
	nan := Num(math.NaN())
	v := flipSummaryJSON{MeanTurnOfFlip: nan, MeanNumberOfFlips: nan}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = FlipSummary{Conversations: v.Conversations, MeanTurnOfFlip: float64(v.MeanTurnOfFlip), MeanNumberOfFlips: float64(v.MeanNumberOfFlips)}
	return nil
}

type answerSycophancyJSON struct {
	Baseline        Proportion    `json:"baseline"`
	UnderOpinion    Proportion    `json:"under_opinion"`
	Change          Num           `json:"change"`
	ChoseUserOption Proportion    `json:"chose_user_option"`
	Test            ChiSquareTest `json:"test"`
}

// MarshalJSON encodes the answer-sycophancy statistics, null where undefined.
func (s AnswerSycophancy) MarshalJSON() ([]byte, error) {
	return json.Marshal(answerSycophancyJSON{s.Baseline, s.UnderOpinion, Num(s.Change), s.ChoseUserOption, s.Test})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (s *AnswerSycophancy) UnmarshalJSON(b []byte) error {
	nanP := Proportion{P: math.NaN(), CI: nanInterval}
	v := answerSycophancyJSON{Baseline: nanP, UnderOpinion: nanP, Change: Num(math.NaN()), ChoseUserOption: nanP,
		Test: ChiSquareTest{Statistic: math.NaN(), DF: 1, PValue: math.NaN()}}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = AnswerSycophancy{Baseline: v.Baseline, UnderOpinion: v.UnderOpinion, Change: float64(v.Change), ChoseUserOption: v.ChoseUserOption, Test: v.Test}
	return nil
}

type logOddsJSON struct {
	LogOdds Num      `json:"log_odds"`
	SE      Num      `json:"se"`
	CI      Interval `json:"ci"`
	Z       Num      `json:"z"`
	PValue  Num      `json:"p_value"`
}

// MarshalJSON encodes {"log_odds","se","ci","z","p_value"}, null when undefined.
func (t LogOddsTest) MarshalJSON() ([]byte, error) {
	return json.Marshal(logOddsJSON{Num(t.LogOdds), Num(t.SE), t.CI, Num(t.Z), Num(t.PValue)})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (t *LogOddsTest) UnmarshalJSON(b []byte) error {
	nan := Num(math.NaN())
	v := logOddsJSON{nan, nan, nanInterval, nan, nan}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*t = LogOddsTest{LogOdds: float64(v.LogOdds), SE: float64(v.SE), CI: v.CI, Z: float64(v.Z), PValue: float64(v.PValue)}
	return nil
}

type coefficientJSON struct {
	Name     string   `json:"name"`
	Estimate Num      `json:"estimate"`
	SE       Num      `json:"se"`
	Z        Num      `json:"z"`
	PValue   Num      `json:"p_value"`
	CI       Interval `json:"ci"`
}

// MarshalJSON encodes {"name","estimate","se","z","p_value","ci"}.
func (c Coefficient) MarshalJSON() ([]byte, error) {
	return json.Marshal(coefficientJSON{c.Name, Num(c.Estimate), Num(c.SE), Num(c.Z), Num(c.PValue), c.CI})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (c *Coefficient) UnmarshalJSON(b []byte) error {
	nan := Num(math.NaN())
	v := coefficientJSON{Estimate: nan, SE: nan, Z: nan, PValue: nan, CI: nanInterval}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = Coefficient{Name: v.Name, Estimate: float64(v.Estimate), SE: float64(v.SE), Z: float64(v.Z), PValue: float64(v.PValue), CI: v.CI}
	return nil
}
