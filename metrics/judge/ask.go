package judge

import (
	"context"
	"errors"

	"github.com/rolegate/rolegate/chat"
)

// asked is one judge reply read by a parser: what the call cost, the reply's
// text, and either the answer or why the reply could not be read.
type asked[A any] struct {
	spend   Spend
	raw     string
	answer  A
	mode    ParseMode
	invalid bool
	problem string
}

// ask renders frame for dimension d, calls the judge with format and reads
// the reply with parse. An unreadable reply is not an error: the result is
// invalid, with the problem. The error reports a failed render or call.
// Absolute labels and pairwise verdicts share it; only the frame, the
// format and the parser differ.
func ask[A any](ctx context.Context, j *Judge, frame string, d Dimension, data promptData, format *chat.ResponseFormat,
	parse func(string) (A, ParseMode, error)) (asked[A], error) {
	var out asked[A]
	msgs, err := render(frame, d, data)
	if err != nil {
		return out, err
	}
	rep, err := j.complete(ctx, msgs, format)
	out.spend = rep.spend
	if err != nil {
		return out, err
	}
	out.raw = rep.text
	ans, mode, perr := parse(rep.text)
	if perr != nil {
		out.invalid, out.problem = true, problem(perr, rep.finish)
		return out, nil
	}
	out.answer, out.mode = ans, mode
	return out, nil
}

// judgeAll checks dims (all one-turn dimensions when empty) and calls judge
// once per item and dimension, at most WithConcurrency at once. The results
// are item-major: item i on dims[k] is at i*len(dims)+k. An unknown or
// multi-turn dimension fails the whole batch before any call.
func judgeAll[R any](ctx context.Context, j *Judge, items int, dims []Dimension,
	judge func(ctx context.Context, d Dimension, i int) R) ([]R, []Dimension, error) {
	if len(dims) == 0 {
		dims = pairwiseDimensions()
	}
	for _, d := range dims {
		if err := d.oneTurn(); err != nil {
			return nil, nil, err
		}
	}
	rs := make([]R, items*len(dims))
	j.each(ctx, len(rs), func(ctx context.Context, k int) {
		rs[k] = judge(ctx, dims[k%len(dims)], k/len(dims))
	})
	return rs, dims, nil
}

// itemResult is a batch result: an absolute label or a pairwise verdict.
type itemResult interface {
	outcome() (Spend, *ItemError)
}

func (r LabelResult) outcome() (Spend, *ItemError) {
	return r.Spend, itemError(r.Index, r.ID, r.Dimension, r.Err)
}

func (r PairwiseResult) outcome() (Spend, *ItemError) {
	return r.Spend, itemError(r.Index, r.ID, r.Dimension, r.Err)
}

func itemError(index int, id string, d Dimension, err error) *ItemError {
	if err == nil {
		return nil
	}
	return &ItemError{Index: index, ID: id, Dimension: d, Err: err}
}

// spendOf adds up what the results cost.
func spendOf[R itemResult](rs []R) Spend {
	var s Spend
	for _, r := range rs {
		sp, _ := r.outcome()
		s = s.Add(sp)
	}
	return s
}

// itemErrors joins the results' errors, each an [*ItemError]; nil when every
// item was judged.
func itemErrors[R itemResult](rs []R) error {
	var errs []error
	for _, r := range rs {
		if _, e := r.outcome(); e != nil {
			errs = append(errs, e)
		}
	}
	return errors.Join(errs...)
}
