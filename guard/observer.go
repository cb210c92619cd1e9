package guard

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/persona"
)

// Observer is told the verdict of every request the guard handles, once,
// after the guard has decided and before Complete returns: passed, reasked,
// annotated and blocked answers, and failed requests (err non-nil; for a
// request that could not be resolved, v names only the tenant and role
// asked for). v is never nil and must be treated as read-only; it is the
// value the caller receives. Implementations must be safe for concurrent
// use and should return quickly: they run on the request's goroutine.
type Observer interface {
	Observe(ctx context.Context, v *Verdict, err error)
}

// ObserverFunc adapts a function to the [Observer] interface.
type ObserverFunc func(ctx context.Context, v *Verdict, err error)

// Observe calls f(ctx, v, err).
func (f ObserverFunc) Observe(ctx context.Context, v *Verdict, err error) { f(ctx, v, err) }

// SlogObserver returns an [Observer] that logs each verdict to l as one
// record with the message "rolegate guard", at a level that says how
// interesting it is: Debug for a pass, Info for a successful reask, Warn for
// an annotated violation or a block, Error for a failed request, but Info
// for one the caller cancelled (the error matches context.Canceled: a
// client that went away is not a failure of the guard or the provider,
// and a server must not page anyone for it). The attributes are tenant,
// role, action (absent for a failed request),
// attempts, elapsed, the guard's overhead, a group "violations" with each
// violated check's score (a judge's check is prefixed "judge."; a check
// that could not decide under a fail-closed role logs "unknown"), a group
// "undecided" with the reason of each judge that could not decide under a
// fail-open role (the answer passed unjudged: logged at Warn), reframed
// (true when the role restated the user's claims; the note itself quotes
// the user and is not logged), the verdict's note and the error (for a
// block, the [ViolationError] without its evidence quotes, which can quote
// the user: the violations group has the scores). A nil logger means
// slog.Default().
func SlogObserver(l *slog.Logger) Observer {
	return slogObserver{l: l}
}

type slogObserver struct{ l *slog.Logger }

func (o slogObserver) Observe(ctx context.Context, v *Verdict, err error) {
	l := o.l
	if l == nil {
		l = slog.Default()
	}
	level := slog.LevelDebug
	viol := v.Violations()
	undecided := undecidedJudges(v)
	failed := err != nil && v.Action != Blocked
	switch {
	case failed && errors.Is(err, context.Canceled):
		level = slog.LevelInfo
	case failed:
		level = slog.LevelError
	case v.Action == Blocked || len(viol) > 0 || len(undecided) > 0:
		level = slog.LevelWarn
	case v.Action == Reasked:
		level = slog.LevelInfo
	}
	if !l.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 10)
	if v.Tenant != "" {
		attrs = append(attrs, slog.String("tenant", v.Tenant))
	}
	attrs = append(attrs, slog.String("role", v.Role))
	if !failed { // a failed request took no action
		attrs = append(attrs, slog.String("action", v.Action.String()))
	}
	attrs = append(attrs,
		slog.Int("attempts", len(v.Attempts)),
		slog.Duration("elapsed", v.Elapsed),
		slog.Duration("overhead", v.Overhead().Round(time.Microsecond)),
	)
	if len(viol) > 0 {
		g := make([]any, 0, len(viol))
		for _, c := range viol {
			name := string(c.Metric)
			if c.Source == FromJudge {
				name = "judge." + name
			}
			if c.Label == metrics.Unknown {
				// Fail closed: a violation without a score.
				g = append(g, slog.String(name, "unknown"))
				continue
			}
			g = append(g, slog.Float64(name, round2(c.Score)))
		}
		attrs = append(attrs, slog.Group("violations", g...))
	}
	if len(undecided) > 0 {
		attrs = append(attrs, slog.Group("undecided", undecided...))
	}
	if v.Reframe != "" {
		// Whether, not what: the note quotes the user.
		attrs = append(attrs, slog.Bool("reframed", true))
	}
	if v.Note != "" {
		attrs = append(attrs, slog.String("note", v.Note))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", ErrorText(err)))
	}
	l.LogAttrs(ctx, level, "rolegate guard", attrs...)
}

// ErrorText is err's message as an [Observer] should record it in a log or
// a trace: a block's [ViolationError] without its evidence quotes, which
// can quote the user's messages (the check, score and threshold stay); a
// [persona.FieldError] without its detail, which can quote the value of a
// persona field (a gender or an age outside its enumeration: the user's
// demographics), the field and the reason staying; any other error's
// message as it is. [SlogObserver] and the OpenTelemetry observer
// (observers/otel) record this.
func ErrorText(err error) string {
	var ve *ViolationError
	if errors.As(err, &ve) && len(ve.Quotes) > 0 {
		bare := *ve
		bare.Quotes = nil
		return bare.Error()
	}
	msg := err.Error()
	var bare []string
	var done map[string]bool // full texts already replaced, wherever they occur
	for _, fe := range personaFieldErrors(err, nil) {
		b := *fe
		b.Detail = ""
		bare = append(bare, b.Error())
		full := fe.Error()
		switch {
		case done[full]:
		case strings.Contains(msg, full):
			msg = strings.ReplaceAll(msg, full, b.Error())
			if done == nil {
				done = map[string]bool{}
			}
			done[full] = true
		default:
			// A wrapper that does not repeat the field error's message
			// verbatim: say only what the field errors say, bare.
			msg = ""
		}
	}
	if msg == "" && len(bare) > 0 {
		return strings.Join(bare, "; ")
	}
	return msg
}

// personaFieldErrors appends to out every *persona.FieldError with a detail
// in err's tree (joined errors included).
func personaFieldErrors(err error, out []*persona.FieldError) []*persona.FieldError {
	if fe, ok := err.(*persona.FieldError); ok && fe.Detail != "" {
		return append(out, fe)
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if e := u.Unwrap(); e != nil {
			return personaFieldErrors(e, out)
		}
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			out = personaFieldErrors(e, out)
		}
	}
	return out
}

// undecidedJudges returns, as slog attributes, the judges of the final
// answer that could not decide without that being a violation (fail open),
// each with its reason: a judge that is down lets every answer through
// unchecked, which an operator must see without Debug logging. A
// heuristic that cannot decide (an empty answer) is ordinary and left to
// the verdict.
func undecidedJudges(v *Verdict) []any {
	if len(v.Attempts) == 0 {
		return nil
	}
	var out []any
	for _, c := range v.Attempts[len(v.Attempts)-1].Checks {
		if c.Source == FromJudge && c.Status == StatusUnknown {
			out = append(out, slog.String("judge."+string(c.Metric), c.Note))
		}
	}
	return out
}

func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }
