package judge

import (
	"context"
	"errors"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/stats"
)

// Single is one response to label on its own (ELEPHANT-style absolute
// judgement).
type Single struct {
	// ID identifies the item for the caller; it is copied to the result.
	ID string `json:"id,omitempty"`
	// Context is the user message the response answers (optional).
	Context string `json:"context,omitempty"`
	// Goal is the user's long-term goal; required for [GoalAlignment],
	// ignored otherwise.
	Goal string `json:"goal,omitempty"`
	// Response is the text to label (required).
	Response string `json:"response"`
}

// LabelResult is the judge's 0/1 label of one response on one dimension,
// from an absolute ([Judge.Label]) or per-round ([Judge.JudgeRound])
// judgement.
type LabelResult struct {
	Index     int       `json:"index"`
	ID        string    `json:"id,omitempty"`
	Dimension Dimension `json:"dimension"`
	// Round is the round judged by a per-round judge; 0 for absolute labels.
	Round int `json:"round,omitempty"`
	// Label is Present (the judge said 1), Absent (0), or Unknown when the
	// reply was invalid or the call failed.
	Label  metrics.Label `json:"label"`
	Reason string        `json:"reason,omitempty"`
	Mode   ParseMode     `json:"mode"`
	// Invalid is true when the judge replied but no label could be read;
	// Problem says why and Raw keeps the reply.
	Invalid bool   `json:"invalid,omitempty"`
	Problem string `json:"problem,omitempty"`
	Raw     string `json:"raw,omitempty"`
	Spend   Spend  `json:"spend"`
	// Err is the call's error when the judge could not be asked.
	Err error `json:"-"`
}

// Result converts the label to the heuristic scorers' [metrics.Result], so
// judge labels and heuristic scores can be compared (for example with
// stats.Confusion): Score is 1 for Present and 0 otherwise, the threshold
// 0.5, and Note carries the judge's reason, or why the label is Unknown.
func (r LabelResult) Result() metrics.Result {
	out := metrics.Result{Metric: r.Dimension.Metric(), Label: r.Label, Threshold: 0.5, Note: r.Reason}
	switch {
	case r.Label == metrics.Present:
		out.Score = 1
	case r.Err != nil:
		out.Label, out.Note = metrics.Unknown, "judge call failed: "+r.Err.Error()
	case r.Invalid:
		out.Label, out.Note = metrics.Unknown, "judge reply invalid: "+r.Problem
	}
	return out
}

// Label asks the judge whether response s shows dimension d, a one-turn
// dimension (1 = present). index identifies the item in its batch. An
// unreadable reply is not an error: the result is Invalid with Label
// Unknown. The error reports bad input, an unknown dimension, a failed call
// after retries, or ctx's error.
func (j *Judge) Label(ctx context.Context, d Dimension, index int, s Single) (LabelResult, error) {
	res := LabelResult{Index: index, ID: s.ID, Dimension: d}
	err := j.label(ctx, &res, s)
	res.Err = err
	return res, err
}

func (j *Judge) label(ctx context.Context, res *LabelResult, s Single) error {
	d := res.Dimension
	if err := d.oneTurn(); err != nil {
		return err
	}
	if err := errors.Join(
		j.checkField("Single.Context", s.Context, false),
		j.checkField("Single.Goal", s.Goal, d == GoalAlignment),
		j.checkField("Single.Response", s.Response, true),
	); err != nil {
		return err
	}
	def, _ := d.Definition()
	data := promptData{Title: def.Title, Nonce: nonce(j.itemRand(d, res.Index))}
	data.Context = neutralize(s.Context, data.Nonce)
	if d == GoalAlignment {
		data.Goal = neutralize(s.Goal, data.Nonce)
	}
	data.Response = neutralize(s.Response, data.Nonce)
	return j.askLabel(ctx, res, "absolute", data)
}

// askLabel renders the frame, calls the judge and reads a 0/1 label.
func (j *Judge) askLabel(ctx context.Context, res *LabelResult, frame string, data promptData) error {
	a, err := ask(ctx, j, frame, res.Dimension, data, labelFormat(), ParseLabel)
	res.Spend, res.Raw, res.Invalid, res.Problem = a.spend, a.raw, a.invalid, a.problem
	if err != nil || a.invalid {
		return err
	}
	res.Reason, res.Mode, res.Label = a.answer.Reason, a.mode, metrics.Absent
	if a.answer.Label == 1 {
		res.Label = metrics.Present
	}
	return nil
}

// Score labels the last assistant reply of conv on dimension d, with the
// last user message before it as context, and returns it as a
// [metrics.Result]: the judge counterpart of a heuristic [metrics.Scorer]
// on the same conversation. It needs ctx and can fail, so it is not itself
// a Scorer. A conversation without an assistant reply fails with a
// [*FieldError] naming "Single.Response".
func (j *Judge) Score(ctx context.Context, d Dimension, conv []chat.Message) (metrics.Result, error) {
	t := chat.LastTurn(conv)
	r, err := j.Label(ctx, d, 0, Single{Context: t.User, Response: t.Reply})
	return r.Result(), err
}

// LabelReport is the outcome of [Judge.LabelAll].
type LabelReport struct {
	// Results holds one result per item and dimension, item-major: the
	// result of items[i] on dims[k] is Results[i*len(dims)+k].
	Results []LabelResult `json:"results"`
	// Summaries aggregates Results per dimension, in the order of dims.
	Summaries []LabelSummary `json:"summaries"`
	Spend     Spend          `json:"spend"`
}

// LabelSummary aggregates the absolute labels of one dimension.
type LabelSummary struct {
	Dimension Dimension `json:"dimension"`
	// Present is the share of valid labels that are Present, with its
	// Wilson interval.
	Present stats.Proportion `json:"present"`
	// Invalid counts unreadable replies.
	Invalid int `json:"invalid"`
	// Failed counts items with no reply (bad input, failed call, cancelled).
	Failed int `json:"failed"`
}

// InvalidRate is Invalid over all replies (valid and invalid); NaN when
// there were none.
func (s LabelSummary) InvalidRate() float64 { return ratio(s.Invalid, s.Present.N+s.Invalid) }

// LabelAll labels every item on every dimension (all one-turn dimensions
// when dims is empty), at most WithConcurrency calls at once. As in
// [Judge.ComparePairs], failed items do not stop the others; the error
// joins their errors, each an [*ItemError].
func (j *Judge) LabelAll(ctx context.Context, items []Single, dims ...Dimension) (*LabelReport, error) {
	rs, dims, err := judgeAll(ctx, j, len(items), dims, func(ctx context.Context, d Dimension, i int) LabelResult {
		r, _ := j.Label(ctx, d, i, items[i])
		return r
	})
	if err != nil {
		return nil, err
	}
	rep := &LabelReport{Results: rs, Spend: spendOf(rs), Summaries: SummarizeLabels(rs, dims...)}
	return rep, itemErrors(rs)
}

// SummarizeLabels aggregates labels per dimension, in the order of dims (or
// of first appearance when dims is empty).
func SummarizeLabels(results []LabelResult, dims ...Dimension) []LabelSummary {
	if len(dims) == 0 {
		dims = dimensionsOf(results, func(r LabelResult) Dimension { return r.Dimension })
	}
	out := make([]LabelSummary, len(dims))
	for i, d := range dims {
		var ds []LabelResult
		for _, r := range results {
			if r.Dimension == d {
				ds = append(ds, r)
			}
		}
		k, n, invalid, failed := countLabels(ds)
		out[i] = LabelSummary{Dimension: d, Present: stats.NewProportion(k, n), Invalid: invalid, Failed: failed}
	}
	return out
}

// countLabels counts Present labels k among valid labels n, invalid replies
// and failed items.
func countLabels(rs []LabelResult) (k, n, invalid, failed int) {
	for _, r := range rs {
		switch {
		case r.Err != nil:
			failed++
		case r.Invalid:
			invalid++
		case r.Label == metrics.Present:
			k++
			n++
		case r.Label == metrics.Absent:
			n++
		}
	}
	return k, n, invalid, failed
}
