package judge

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics/stats"
)

// Side is one of the two conditions of a pair.
type Side int8

// Sides. NoSide is the zero value: no side was picked (invalid reply or
// failed call).
const (
	NoSide Side = iota
	Generic
	Personalized
)

var sideNames = [...]string{NoSide: "none", Generic: "generic", Personalized: "personalized"}

// String returns "none", "generic" or "personalized".
func (s Side) String() string {
	if s >= 0 && int(s) < len(sideNames) {
		return sideNames[s]
	}
	return fmt.Sprintf("Side(%d)", int8(s))
}

// MarshalText encodes the side as its name.
func (s Side) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a side's name, so a result read back from JSON keeps
// its side.
func (s *Side) UnmarshalText(b []byte) error {
	for i, n := range sideNames {
		if n == string(b) {
			*s = Side(i)
			return nil
		}
	}
	return fmt.Errorf("judge: unknown side %q", b)
}

// Order records which answer of a pair the judge saw as response A.
type Order int8

// Orders. The zero value is no order: the item was never shown.
const (
	PersonalizedFirst Order = iota + 1 // response A is the personalized answer
	GenericFirst                       // response A is the generic answer
)

// String returns "personalized-first", "generic-first" or "none".
func (o Order) String() string {
	switch o {
	case PersonalizedFirst:
		return "personalized-first"
	case GenericFirst:
		return "generic-first"
	}
	return "none"
}

// MarshalText encodes the order as its name.
func (o Order) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText decodes an order's name ("none" is the zero value).
func (o *Order) UnmarshalText(b []byte) error {
	for _, v := range [...]Order{0, PersonalizedFirst, GenericFirst} {
		if v.String() == string(b) {
			*o = v
			return nil
		}
	}
	return fmt.Errorf("judge: unknown order %q", b)
}

// Side maps a verdict ("A" or "B") back to the condition shown at that
// position; anything else maps to [NoSide].
func (o Order) Side(verdict string) Side {
	switch {
	case o == PersonalizedFirst && verdict == "A", o == GenericFirst && verdict == "B":
		return Personalized
	case o == GenericFirst && verdict == "A", o == PersonalizedFirst && verdict == "B":
		return Generic
	}
	return NoSide
}

// OrderFor returns the A/B order of item index on dimension d under seed:
// a fair coin drawn from a PCG keyed by (seed, d, index). The same inputs
// always give the same order, whatever the concurrency.
func OrderFor(seed uint64, d Dimension, index int) Order {
	return orderFrom(itemRand(seed, d, index))
}

func orderFrom(r interface{ IntN(int) int }) Order {
	if r.IntN(2) == 0 {
		return PersonalizedFirst
	}
	return GenericFirst
}

// Pair is one item of a pairwise comparison: the same user message answered
// once without and once with the user's profile.
type Pair struct {
	// ID identifies the item for the caller; it is copied to the result.
	ID string `json:"id,omitempty"`
	// Context is the user message both answers respond to. Optional, but the
	// judge sees it, and framing acceptance is hard to judge without it.
	Context string `json:"context,omitempty"`
	// Goal is the user's long-term goal; required for [GoalAlignment],
	// ignored otherwise.
	Goal string `json:"goal,omitempty"`
	// Generic is the answer given without the profile (required).
	Generic string `json:"generic"`
	// Personalized is the answer given with the profile (required).
	Personalized string `json:"personalized"`
}

// PairwiseResult is the judge's decision on one pair and one dimension.
type PairwiseResult struct {
	Index     int       `json:"index"`
	ID        string    `json:"id,omitempty"`
	Dimension Dimension `json:"dimension"`
	// Order is which answer the judge saw as response A.
	Order Order `json:"order"`
	// Verdict is the judge's answer, "A" or "B"; empty when invalid.
	Verdict string `json:"verdict,omitempty"`
	// Picked is the condition the verdict maps to through Order: the answer
	// that shows more of the dimension. NoSide when invalid or failed.
	Picked Side   `json:"picked"`
	Reason string `json:"reason,omitempty"`
	// Mode is how the verdict was read; ParseInvalid when there was none.
	Mode ParseMode `json:"mode"`
	// Invalid is true when the judge replied but no verdict could be read;
	// Problem says why and Raw keeps the reply.
	Invalid bool   `json:"invalid,omitempty"`
	Problem string `json:"problem,omitempty"`
	// Raw is the judge's reply exactly as received.
	Raw   string `json:"raw,omitempty"`
	Spend Spend  `json:"spend"`
	// Err is the call's error when the judge could not be asked (bad input,
	// failed call, cancelled); such a result is neither valid nor invalid.
	Err error `json:"-"`
}

// Pairwise asks the judge which answer of p shows more of dimension d, a
// one-turn dimension. index identifies the item within its batch and fixes
// the A/B order through [OrderFor]. An unreadable reply is not an error: the
// result is Invalid. The error reports bad input (a [*FieldError]), an
// unknown dimension, a failed call after retries, or ctx's error.
func (j *Judge) Pairwise(ctx context.Context, d Dimension, index int, p Pair) (PairwiseResult, error) {
	res := PairwiseResult{Index: index, ID: p.ID, Dimension: d}
	err := j.pairwise(ctx, &res, p)
	res.Err = err
	return res, err
}

func (j *Judge) pairwise(ctx context.Context, res *PairwiseResult, p Pair) error {
	d := res.Dimension
	if err := d.oneTurn(); err != nil {
		return err
	}
	if err := errors.Join(
		j.checkField("Pair.Context", p.Context, false),
		j.checkField("Pair.Goal", p.Goal, d == GoalAlignment),
		j.checkField("Pair.Generic", p.Generic, true),
		j.checkField("Pair.Personalized", p.Personalized, true),
	); err != nil {
		return err
	}
	def, _ := d.Definition()
	r := j.itemRand(d, res.Index)
	res.Order = orderFrom(r)
	data := promptData{Title: def.Title, Nonce: nonce(r)}
	data.Context = neutralize(p.Context, data.Nonce)
	if d == GoalAlignment {
		data.Goal = neutralize(p.Goal, data.Nonce)
	}
	a, b := p.Personalized, p.Generic
	if res.Order == GenericFirst {
		a, b = b, a
	}
	data.A, data.B = neutralize(a, data.Nonce), neutralize(b, data.Nonce)
	ans, err := ask(ctx, j, "pairwise", d, data, pairwiseFormat(), ParsePairwise)
	res.Spend, res.Raw, res.Invalid, res.Problem = ans.spend, ans.raw, ans.invalid, ans.problem
	if err != nil || ans.invalid {
		return err
	}
	res.Verdict, res.Reason, res.Mode = ans.answer.Verdict, ans.answer.Reason, ans.mode
	res.Picked = res.Order.Side(ans.answer.Verdict)
	return nil
}

// PairwiseReport is the outcome of [Judge.ComparePairs].
type PairwiseReport struct {
	// Results holds one result per pair and dimension, pair-major: the
	// result of pairs[i] on dims[k] is Results[i*len(dims)+k].
	Results []PairwiseResult `json:"results"`
	// Summaries aggregates Results per dimension, in the order of dims.
	Summaries []PairwiseSummary `json:"summaries"`
	// Spend is what this batch cost.
	Spend Spend `json:"spend"`
}

// PairwiseSummary aggregates the pairwise results of one dimension.
type PairwiseSummary struct {
	Dimension Dimension `json:"dimension"`
	// Rate is the share of valid pairs where the personalized answer was
	// picked: K picks among N valid pairs, Invalid pairs dropped, with its
	// Wilson interval and test against 50%.
	Rate stats.PairwiseRate `json:"rate"`
	// Failed counts items with no judge reply at all (bad input, failed
	// call, cancelled); they are in neither N nor Invalid.
	Failed int `json:"failed"`
}

// InvalidRate is Rate.Invalid/(Rate.N+Rate.Invalid): the share of judge
// replies that could not be read; NaN when there were no replies.
func (s PairwiseSummary) InvalidRate() float64 { return ratio(s.Rate.Invalid, s.Rate.N+s.Rate.Invalid) }

// ComparePairs judges every pair on every dimension (all of the one-turn
// dimensions when dims is empty), at most WithConcurrency calls at once.
// A failed item does not stop the others: its result carries Err, and the
// returned error joins every item's error, each an [*ItemError]. The report is
// complete either way; check the error to know whether every item was
// judged. An unknown dimension fails the whole call before any request.
func (j *Judge) ComparePairs(ctx context.Context, pairs []Pair, dims ...Dimension) (*PairwiseReport, error) {
	return j.ComparePairsAt(ctx, pairs, nil, dims...)
}

// ComparePairsAt is [Judge.ComparePairs] for pairs drawn from a longer
// list: pairs[k] is item at[k] of that list, which sets its A/B order
// ([OrderFor]) and delimiter nonce and its results' Index. A batch that
// judges only the items a cache lacks thus sees each in the order a batch
// of the whole list would, and a resumed run decides as an uninterrupted
// one, even with a judge that favours a position. A nil at means 0, 1, 2,
// ...; otherwise it needs one index >= 0 per pair, or the call fails
// before any request.
func (j *Judge) ComparePairsAt(ctx context.Context, pairs []Pair, at []int, dims ...Dimension) (*PairwiseReport, error) {
	if at != nil {
		if len(at) != len(pairs) {
			return nil, fmt.Errorf("judge: ComparePairsAt: %d indexes for %d pairs", len(at), len(pairs))
		}
		if i := slices.IndexFunc(at, func(x int) bool { return x < 0 }); i >= 0 {
			return nil, fmt.Errorf("judge: ComparePairsAt: index %d of pair %d is negative", at[i], i)
		}
	}
	rs, dims, err := judgeAll(ctx, j, len(pairs), dims, func(ctx context.Context, d Dimension, i int) PairwiseResult {
		index := i
		if at != nil {
			index = at[i]
		}
		r, _ := j.Pairwise(ctx, d, index, pairs[i])
		return r
	})
	if err != nil {
		return nil, err
	}
	rep := &PairwiseReport{Results: rs, Spend: spendOf(rs), Summaries: SummarizePairwise(rs, dims...)}
	return rep, itemErrors(rs)
}

// SummarizePairwise aggregates pairwise results per dimension, in the
// order of dims (or of first appearance when dims is empty): personalized
// picks K among valid results N, invalid replies, failed items.
func SummarizePairwise(results []PairwiseResult, dims ...Dimension) []PairwiseSummary {
	if len(dims) == 0 {
		dims = dimensionsOf(results, func(r PairwiseResult) Dimension { return r.Dimension })
	}
	out := make([]PairwiseSummary, len(dims))
	for i, d := range dims {
		k, n, invalid, failed := 0, 0, 0, 0
		for _, r := range results {
			if r.Dimension != d {
				continue
			}
			switch {
			case r.Err != nil:
				failed++
			case r.Invalid:
				invalid++
			case r.Picked != NoSide:
				n++
				if r.Picked == Personalized {
					k++
				}
			}
		}
		out[i] = PairwiseSummary{Dimension: d, Rate: stats.Pairwise(k, n, invalid), Failed: failed}
	}
	return out
}

// pairwiseDimensions returns the one-turn dimensions the study measured
// pairwise, in definition order.
func pairwiseDimensions() []Dimension {
	var ds []Dimension
	for _, def := range definitions {
		if def.Kind == OneTurn && def.Pairwise {
			ds = append(ds, def.Dimension)
		}
	}
	return ds
}

func dimensionsOf[T any](rs []T, dim func(T) Dimension) []Dimension {
	var ds []Dimension
	seen := map[Dimension]bool{}
	for _, r := range rs {
		if d := dim(r); !seen[d] {
			seen[d] = true
			ds = append(ds, d)
		}
	}
	return ds
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// problem describes an unreadable reply, noting a truncated one.
func problem(err error, finish chat.FinishReason) string {
	var re *ReplyError
	msg := err.Error()
	if errors.As(err, &re) {
		msg = re.Problem
	}
	if finish == chat.FinishLength {
		msg += " (reply cut off at the token limit)"
	}
	return msg
}
