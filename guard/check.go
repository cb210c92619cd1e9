package guard

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/role"
)

// Notes the guard writes on checks whose status the score alone does not
// explain.
const (
	noteNotPushback = "not a pushback turn: the stance-flip check runs when the user challenges the previous answer"
	noteEvidence    = "the position changed after a user turn that brought new evidence or an argument: allowed"
	noteSocialOnly  = "the position changed under social pressure only, with no new evidence or argument"
	notePressure    = "held to the role's stricter threshold under social pressure (under_pressure %v; %v otherwise)"
	noteNoScorer    = "no heuristic scorer for this metric"
)

// inapplicable returns why check m does not apply to a reply whose last
// user turn is classified pb, or "" when it applies: the stance flip needs
// a challenge, since with none there is no earlier position under
// pressure.
func inapplicable(m metrics.Metric, pb *metrics.PushbackClass) string {
	if m == metrics.StanceFlip && !(pb.Known && pb.Challenge) {
		return noteNotPushback
	}
	return ""
}

// check runs the role's checks on reply, the answer to the caller's
// conversation conv, and stores the classification of the last user turn in
// pb. It fails only when ctx ends during a judge call.
func (g *guard) check(ctx context.Context, r *role.Role, conv []chat.Message, reply string, pb *metrics.PushbackClass) ([]CheckResult, error) {
	full := make([]chat.Message, len(conv)+1)
	copy(full, conv)
	full[len(conv)] = chat.Assistant(reply)
	undecidable := strings.TrimSpace(reply) == ""

	nj := 0
	for _, j := range g.cfg.judges {
		if _, ok := r.Checks[j.metric]; ok {
			nj++
		}
	}
	checks := make([]CheckResult, 0, len(r.Checks)+nj)

	a := g.analyzers.Get()
	rep := a.Analyze(full)
	*pb = rep.Pushback
	nspans := len(pb.Evidence)
	for _, m := range heuristicOrder {
		cfg, ok := r.Checks[m]
		if !ok {
			continue
		}
		res, _ := rep.Get(m)
		nspans += len(res.Evidence)
		checks = append(checks, decideCheck(res, cfg, r.OnUnknown, Heuristic, pb, undecidable))
	}
	// The report's evidence lives in the analyzer's buffers: copy it out,
	// in one allocation, before the analyzer goes back to the pool. A
	// check's evidence is kept in the order that explains it (strongest
	// support first, spans against last), so that Quotes[0] is its reason.
	spans := make([]metrics.Span, 0, nspans)
	quotes := make([]string, 0, nspans)
	detach := func(ev []metrics.Span, explain bool) ([]metrics.Span, []string) {
		if len(ev) == 0 {
			return nil, nil
		}
		from := len(spans)
		spans = append(spans, ev...)
		if explain {
			metrics.SortBySupport(spans[from:])
		}
		for _, s := range spans[from:] {
			quotes = append(quotes, s.Text(full))
		}
		return spans[from:len(spans):len(spans)], quotes[from:len(quotes):len(quotes)]
	}
	pb.Evidence, _ = detach(pb.Evidence, false)
	for i := range checks {
		checks[i].Evidence, checks[i].Quotes = detach(checks[i].Evidence, true)
	}
	g.analyzers.Put(a) // dropped when a huge answer grew it

	if len(checks) < len(r.Checks) {
		// A metric without a heuristic scorer (a role built in code that
		// skipped validation) is reported, not dropped.
		for _, m := range r.Metrics() {
			if !slices.Contains(heuristicOrder, m) {
				res := metrics.Result{Metric: m, Note: noteNoScorer}
				checks = append(checks, decideCheck(res, r.Checks[m], r.OnUnknown, Heuristic, pb, true))
			}
		}
	}

	var calls []judgeCall
	for _, j := range g.cfg.judges {
		cfg, ok := r.Checks[j.metric]
		if !ok {
			continue
		}
		if note := inapplicable(j.metric, pb); note != "" {
			checks = append(checks, CheckResult{
				Result: metrics.Result{Metric: j.metric, Threshold: cfg.Limit(), Note: note},
				Source: FromJudge, Action: cfg.Action, Status: StatusSkipped,
			})
			continue
		}
		calls = append(calls, judgeCall{slot: len(checks), judge: j, cfg: cfg})
		checks = append(checks, CheckResult{}) // filled in by runJudges
	}
	if err := g.runJudges(ctx, full, checks, calls, r.OnUnknown, pb); err != nil {
		return nil, err
	}
	return checks, nil
}

// judgeCall is a judge to call and the index in the checks of its result.
type judgeCall struct {
	slot  int
	judge judgeEntry
	cfg   role.Check
}

// runJudges calls the judges and puts each result in its slot of checks,
// so that the verdict lists judges in the order they were installed
// whatever order they finish in. One judge, or a limit of one, runs on the
// caller's goroutine. Several run concurrently, at most
// g.cfg.judgeLimit at a time, in an errgroup whose Wait returns only after
// every one of them has: no goroutine outlives the call. A failed judge is
// a check that could not decide and does not stop the others; the end of
// ctx stops them all and is the error. A judge that panics panics the
// call, on the caller's goroutine, once the others have returned.
func (g *guard) runJudges(ctx context.Context, full []chat.Message, checks []CheckResult, calls []judgeCall,
	mode role.FailMode, pb *metrics.PushbackClass) error {
	run := func(ctx context.Context, c judgeCall) error {
		res, err := c.judge.judge.Check(ctx, full)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			res = metrics.Result{Note: "judge failed: " + err.Error()}
		} else if math.IsNaN(res.Score) || res.Score < 0 || res.Score > 1 {
			res = metrics.Result{Note: fmt.Sprintf("judge returned a score outside [0, 1]: %v", res.Score)}
		}
		res.Metric = c.judge.metric
		var quotes []string
		res.Evidence, quotes = quoteSpans(res.Evidence, full)
		checks[c.slot] = decideCheck(res, c.cfg, mode, FromJudge, pb, true)
		checks[c.slot].Quotes = quotes
		return nil
	}
	if len(calls) == 1 || g.cfg.judgeLimit == 1 {
		for _, c := range calls {
			if err := run(ctx, c); err != nil {
				return err
			}
		}
		return nil
	}
	eg, gctx := errgroup.WithContext(ctx)
	eg.SetLimit(g.cfg.judgeLimit)
	var (
		mu       sync.Mutex
		panicked []any // the first panic, if any
	)
	for _, c := range calls {
		eg.Go(func() (err error) {
			defer func() {
				if p := recover(); p != nil {
					mu.Lock()
					if panicked == nil {
						panicked = []any{p}
					}
					mu.Unlock()
					err = errJudgePanicked // stops the other judges
				}
			}()
			if err := gctx.Err(); err != nil {
				return err // a judge failed the call before this one started
			}
			return run(gctx, c)
		})
	}
	err := eg.Wait()
	if panicked != nil {
		panic(panicked[0])
	}
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// quoteSpans returns a copy of a judge's evidence spans that point at text
// of conv, in the order that explains the check (metrics.SortBySupport),
// and that text: the verdict's spans index the checked conversation and
// each has its quote, whichever scorer produced it. A span outside conv,
// or of no text, is no evidence and is dropped.
func quoteSpans(ev []metrics.Span, conv []chat.Message) ([]metrics.Span, []string) {
	var spans []metrics.Span
	for _, s := range ev {
		if s.Text(conv) != "" {
			spans = append(spans, s)
		}
	}
	metrics.SortBySupport(spans)
	var quotes []string
	for _, s := range spans {
		quotes = append(quotes, s.Text(conv))
	}
	return spans, quotes
}

// errJudgePanicked cancels the other judges when one panics; the panic
// itself is re-raised on the caller's goroutine.
var errJudgePanicked = errors.New("guard: judge panicked")

// decideCheck turns a scorer's result into a check against the role's
// threshold: for a check that measures giving ground after a challenge with
// social pressure only, the check's threshold under pressure
// (role.Check.PressureLimit). undecidable says whether an Unknown label
// means the check could not decide (an empty answer; any judge's Unknown)
// rather than that it does not apply (a heuristic that lacks what it
// compares against, such as a goal).
func decideCheck(res metrics.Result, cfg role.Check, mode role.FailMode, src Source, pb *metrics.PushbackClass, undecidable bool) CheckResult {
	c := CheckResult{Result: res, Source: src, Action: cfg.Action}
	c.Threshold = cfg.Limit()
	socialOnly := role.Yielding(res.Metric) && pb.Known && pb.SocialOnly
	pressured := socialOnly && cfg.PressureLimit() != c.Threshold
	if pressured {
		c.Threshold = cfg.PressureLimit()
	}
	if res.Label == metrics.Unknown {
		switch {
		case !undecidable:
			c.Status = StatusSkipped
		case mode == role.FailClosed:
			c.Status = StatusViolation
		default:
			c.Status = StatusUnknown
		}
		if c.Note == "" {
			c.Note = "the check could not decide"
		}
		return c
	}
	present := c.Score >= c.Threshold
	c.Label = metrics.Absent
	if present {
		c.Label = metrics.Present
	}
	if note := inapplicable(c.Metric, pb); note != "" {
		c.Status, c.Note = StatusSkipped, note
		return c
	}
	switch {
	case !present:
		c.Status = StatusPass
	case role.Yielding(c.Metric) && pb.Known && pb.Argument:
		// An argument allows giving ground whether or not the classifier
		// also found a disagreement phrase: a correction that brings its
		// evidence politely ("The docs say 120 g, not 240 g") must not be
		// held to a stricter standard than the same evidence after "I
		// disagree". A judge's reason stays, before the guard's own note.
		c.Status, c.Note = StatusAllowed, joinNote(c.Note, noteEvidence)
	default:
		c.Status = StatusViolation
		if socialOnly {
			c.Note = joinNote(c.Note, noteSocialOnly)
		}
		if pressured {
			c.Note = joinNote(c.Note, fmt.Sprintf(notePressure, c.Threshold, cfg.Limit()))
		}
	}
	return c
}
