package guard

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/persona"
	"github.com/rolegate/rolegate/role"
)

// Request metadata keys the guard reads (chat.Request.Metadata) to resolve
// the policy: the tenant, then the role by name. A request without a role
// gets the tenant's default role, else the policy's default; without either
// it fails with a [*ResolveError] wrapping role.ErrNoDefault. A tenant the
// policy does not list gets the operator's roles, or, under a policy with
// StrictTenants, fails with a [*ResolveError] wrapping role.ErrUnknownTenant
// (see role.Policy.Resolve).
//
// The guard trusts these values: whoever sets them chooses among every
// tenant's roles (each still held to the operator floor). Set them from
// the application's own authentication and routing, never from a field an
// end user controls.
const (
	MetadataTenant = "rolegate.tenant"
	MetadataRole   = "rolegate.role"
)

// heuristicOrder is the order in which heuristic checks run and appear in a
// verdict: the metrics package's fixed order.
var heuristicOrder = metrics.Metrics()

// New returns the guard middleware for policy: for each request it resolves
// the role (tenant, then role, then defaults, from the request's metadata),
// renders the user's profile as far as the role allows, adds the role's
// safeguards, calls the model, checks the answer and acts on the checks:
// annotate, reask with a critique, or block. See the package documentation
// for each step.
//
// A nil policy is the zero policy: the built-in roles by name and no
// default. The policy must not be modified while the middleware is in use.
// A policy that does not validate makes every request fail with an error
// wrapping [ErrInvalidPolicy] and the policy's own errors.
//
// The returned middleware, and every client it wraps, is safe for
// concurrent use: it keeps no state between requests (all memory of a
// conversation comes from the request), never modifies the caller's
// request nor the response the next client returned (it annotates a copy),
// starts no goroutine that outlives a call (only several judges run on
// goroutines of their own) and honours ctx throughout. New compiles the
// heuristics' language if no guard or scorer of the process has yet
// (about 14 ms, once), so that the first request does not pay for it.
func New(policy *role.Policy, opts ...Option) chat.Middleware {
	g := &guard{policy: policy, cfg: buildConfig(opts)}
	if err := policy.Validate(); err != nil {
		g.err = fmt.Errorf("%w: %w", ErrInvalidPolicy, err)
	} else if err := judgeConfigError(g.cfg.judges); err != nil {
		g.err = err
	}
	g.analyzers = metrics.NewPool(g.cfg.metricsOpts...)
	// The heuristics' language compiles once per process (about 14 ms):
	// here, at construction, rather than in the first request's latency.
	g.analyzers.Put(g.analyzers.Get())
	return func(next chat.Client) chat.Client {
		return &client{g: g, next: next}
	}
}

// guard is the shared, immutable part of the middleware.
type guard struct {
	policy    *role.Policy
	cfg       config
	err       error
	analyzers *metrics.Pool // an Analyzer is not safe for concurrent use: one per call
}

type client struct {
	g    *guard
	next chat.Client
}

// Complete implements chat.Client.
func (c *client) Complete(ctx context.Context, req *chat.Request) (*chat.Response, error) {
	g := c.g
	start := g.cfg.now()
	v := &Verdict{}
	if req == nil {
		return g.fail(ctx, v, start, ErrNilRequest)
	}
	for _, key := range [...]string{MetadataTenant, MetadataRole} {
		if val := req.Metadata[key]; len(val) > role.MaxTenantName || !utf8.ValidString(val) {
			return g.fail(ctx, v, start, fmt.Errorf("%w: %s: want valid UTF-8 of at most %d bytes, got %d bytes",
				ErrInvalidMetadata, key, role.MaxTenantName, len(val)))
		}
	}
	v.Tenant, v.Role = req.Metadata[MetadataTenant], req.Metadata[MetadataRole]
	if c.next == nil {
		return g.fail(ctx, v, start, ErrNoClient)
	}
	if g.err != nil {
		return g.fail(ctx, v, start, g.err)
	}
	r, err := g.policy.Resolve(v.Tenant, v.Role)
	if err != nil {
		return g.fail(ctx, v, start, &ResolveError{Tenant: v.Tenant, Role: v.Role, Err: err})
	}
	v.Role, v.Kind = r.Name, r.Kind
	if err := chat.ValidateMessages(req.Messages); err != nil {
		return g.fail(ctx, v, start, fmt.Errorf("guard: request: %w", err))
	}

	var block string
	if p, ok := persona.FromContext(ctx); ok && !r.Facets.Empty() {
		if block, err = r.Personalize(p); err != nil {
			return g.fail(ctx, v, start, fmt.Errorf("%w for role %q: %w", errPersonalize, r.Name, err))
		}
		if block != "" {
			v.Personalized = r.Facets
		}
	}
	if r.ReframeClaims {
		v.Reframe = g.reframe(req.Messages)
	}
	if block == "" && r.Safeguards == "" && v.Reframe == "" && len(r.Checks) == 0 {
		// Nothing to do: pass the caller's request on as it is, but for
		// a stream, whose cap and callback errors hold in every role.
		t0 := g.cfg.now()
		call, pass := req, (*streamBuffer)(nil)
		if req.Stream != nil {
			pass = &streamBuffer{max: g.cfg.maxStream, forward: req.Stream, discard: true}
			shallow := *req
			shallow.Stream = pass.add
			call = &shallow
		}
		resp, err := c.next.Complete(ctx, call)
		if err == nil {
			err = streamErr(pass)
		}
		if err == nil && resp != nil {
			v.Attempts = []Attempt{{ModelTime: g.cfg.now().Sub(t0)}}
			own := *resp
			resp = &own
		} else {
			v.FailedModelTime = g.cfg.now().Sub(t0)
		}
		return g.finish(ctx, v, start, resp, err)
	}

	base := req.Clone()
	base.Stream = nil
	base.Messages = withSystem(base.Messages, block, r.Safeguards, v.Reframe)
	return c.run(ctx, v, start, &r, req, base)
}

// withSystem returns msgs with the user-context block, the safeguards and
// the reframing note put into the system message that opens the
// conversation: block first (where the study put the persona in its goal
// scenarios, the top of the system prompt), then the caller's system text,
// then the safeguards and the note, closest to the conversation. A
// conversation that does not open with a system message gets one inserted
// first; a system message later in the conversation is one of the caller's
// turns (per-turn context, which providers keep in place or, like
// Anthropic's, outside the system prompt) and is left as it is. msgs is a
// copy the caller owns.
func withSystem(msgs []chat.Message, block, safeguards, note string) []chat.Message {
	if block == "" && safeguards == "" && note == "" {
		return msgs
	}
	opens := len(msgs) > 0 && msgs[0].Role == chat.RoleSystem
	sys := ""
	if opens {
		sys = msgs[0].Content
	}
	var b strings.Builder
	b.Grow(len(block) + len(sys) + len(safeguards) + len(note) + 6)
	for _, part := range [...]string{block, sys, safeguards, note} {
		if part == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(part)
	}
	if opens {
		msgs[0].Content = b.String()
		return msgs
	}
	return slices.Insert(msgs, 0, chat.System(b.String()))
}

// run calls the model, checks and acts, attempt after attempt.
func (c *client) run(ctx context.Context, v *Verdict, start time.Time, r *role.Role, req, base *chat.Request) (*chat.Response, error) {
	g := c.g
	now := g.cfg.now
	callerStream := req.Stream
	checked := len(r.Checks) > 0
	// Buffering only matters when an answer can be withheld: a role whose
	// every check only annotates streams live in either mode.
	withhold := false
	for _, c := range r.Checks {
		withhold = withhold || c.Action != role.Annotate
	}
	live := callerStream != nil && (g.cfg.mode == PassThrough || !withhold)
	maxReasks := min(max(r.Reasks(), 0), role.MaxReasksLimit)

	msgs := base.Messages
	var usage chat.Usage
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return g.fail(ctx, v, start, err)
		}
		call := *base
		call.Messages = msgs
		var buf, seen, pass *streamBuffer
		switch {
		case callerStream == nil:
		case live && checked:
			// What the caller is shown is what gets checked: keep a copy.
			seen = &streamBuffer{max: g.cfg.maxStream, forward: callerStream}
			call.Stream = seen.add
		case live:
			// Nothing is checked, so no copy is kept; the cap and the
			// finality of a callback's error still hold.
			pass = &streamBuffer{max: g.cfg.maxStream, forward: callerStream, discard: true}
			call.Stream = pass.add
		default:
			buf = &streamBuffer{max: g.cfg.maxStream}
			call.Stream = buf.add
		}
		t0 := now()
		resp, err := c.next.Complete(ctx, &call)
		t1 := now()
		if err == nil && resp == nil {
			err = ErrNoResponse
		}
		if err == nil {
			// A client that streamed on and returned a response after a
			// stream callback failed broke the StreamFunc contract; the
			// callback's error (the cap, or the caller's own) still ends
			// the call.
			err = streamErr(buf, seen, pass)
		}
		if err != nil {
			v.FailedModelTime = t1.Sub(t0)
			return g.fail(ctx, v, start, err)
		}
		// The response is the next client's; a caching client may share it,
		// so the guard changes only its own copy.
		usage = usage.Add(resp.Usage)
		own := *resp
		own.Usage = usage
		if seen != nil && seen.n > 0 && !seen.equal(own.Message.Content) {
			// The client's deltas and its final text disagree; the caller
			// saw the deltas, so they are the answer that is checked and
			// returned.
			own.Message.Content = seen.String()
			v.Note = joinNote(v.Note, noteStreamMismatch)
		}
		// shown: the caller has seen this attempt's text, which cannot be
		// taken back.
		shown := seen != nil && seen.n > 0
		if seen != nil && !shown {
			// The client streamed nothing (it should have sent its text as
			// one delta): the caller has seen nothing yet, so the attempt
			// is withheld as a buffered one is (it can be reasked or
			// replaced by the fallback), and an accepted answer is
			// released as one delta.
			buf = seen
		}
		resp = &own
		if !checked {
			v.Attempts = []Attempt{{ModelTime: t1.Sub(t0)}}
			return g.accept(ctx, v, start, Passed, resp, buf, callerStream)
		}
		checks, err := g.check(ctx, r, req.Messages, resp.Message.Content, &v.Pushback)
		if err == nil {
			err = ctx.Err() // the caller gave up while the answer was checked
		}
		if err != nil {
			v.FailedModelTime = t1.Sub(t0)
			return g.fail(ctx, v, start, err)
		}
		v.Attempts = append(v.Attempts, Attempt{Checks: checks, ModelTime: t1.Sub(t0), CheckTime: now().Sub(t1)})
		v.Checks = checks

		worst, primary := decide(checks)
		switch {
		case attempt > 0 && worst == role.Annotate:
			// The reask did its job; violations to annotate stay recorded.
			return g.accept(ctx, v, start, Reasked, resp, buf, callerStream)
		case primary < 0:
			return g.accept(ctx, v, start, Passed, resp, buf, callerStream)
		}
		if worst == role.Reask {
			switch {
			case attempt >= maxReasks:
				worst = r.Exhausted
			case shown:
				v.Note = joinNote(v.Note, "pass-through streaming cannot take back text the caller has seen: the reask was not made and the role's exhausted action applied")
				worst = r.Exhausted
			default:
				crit := critique(checks, &v.Pushback, req.Messages, resp.Message.Content)
				v.Attempts[attempt].Critique = crit
				next := make([]chat.Message, len(base.Messages), len(base.Messages)+2)
				copy(next, base.Messages)
				if strings.TrimSpace(resp.Message.Content) != "" {
					next = append(next, chat.Assistant(resp.Message.Content))
				}
				// An empty answer (which a fail-closed role reasks) is
				// not sent back as an assistant turn with no text, which
				// some providers reject (Anthropic's Messages API): the
				// critique follows the user's turn.
				msgs = append(next, chat.User(crit))
				continue
			}
		}
		if worst == role.Block {
			return g.block(ctx, v, start, r, &checks[primary], resp, usage, buf != nil, shown, callerStream)
		}
		return g.accept(ctx, v, start, Annotated, resp, buf, callerStream)
	}
}

// decide returns the strongest action among the violations and the index of
// the first violation with that action, or -1 when nothing is violated.
func decide(checks []CheckResult) (role.Action, int) {
	worst, primary := role.Annotate, -1
	for i := range checks {
		c := &checks[i]
		if c.Status != StatusViolation {
			continue
		}
		if primary < 0 || c.Action > worst {
			worst, primary = c.Action, i
		}
	}
	return worst, primary
}

// accept returns resp with the verdict, releasing a buffered stream first.
func (g *guard) accept(ctx context.Context, v *Verdict, start time.Time, a Action, resp *chat.Response, buf *streamBuffer, fn chat.StreamFunc) (*chat.Response, error) {
	v.Action = a
	if buf != nil {
		if err := buf.release(ctx, fn, resp.Message.Content); err != nil {
			return g.fail(ctx, v, start, err)
		}
	}
	return g.finish(ctx, v, start, resp, nil)
}

// block withholds the answer: the role's fallback as the reply, or a
// *ViolationError. When the caller has been shown the answer (shown), the
// error carries the fallback for the caller to display instead.
func (g *guard) block(ctx context.Context, v *Verdict, start time.Time, r *role.Role, c *CheckResult, resp *chat.Response, usage chat.Usage, buffered, shown bool, fn chat.StreamFunc) (*chat.Response, error) {
	v.Action = Blocked
	if r.Fallback == "" || shown {
		fallback := ""
		if shown {
			fallback = r.Fallback
		}
		return g.fail(ctx, v, start, newViolationError(v, c, fallback))
	}
	out := &chat.Response{
		Message:      chat.Assistant(r.Fallback),
		Model:        resp.Model,
		ID:           resp.ID,
		FinishReason: chat.FinishStop,
		Usage:        usage,
	}
	if buffered {
		if err := fn(ctx, chat.Delta{Content: r.Fallback}); err != nil {
			return g.fail(ctx, v, start, err)
		}
	}
	return g.finish(ctx, v, start, out, nil)
}

// finish annotates a successful response and tells the observers.
func (g *guard) finish(ctx context.Context, v *Verdict, start time.Time, resp *chat.Response, err error) (*chat.Response, error) {
	if err == nil && resp == nil {
		err = ErrNoResponse
	}
	if err != nil {
		return g.fail(ctx, v, start, err)
	}
	v.Elapsed = g.cfg.now().Sub(start)
	resp.Annotations = append(slices.Clip(resp.Annotations), v) // never into a shared backing array
	g.observe(ctx, v, nil)
	return resp, nil
}

// fail records a failed request and tells the observers.
func (g *guard) fail(ctx context.Context, v *Verdict, start time.Time, err error) (*chat.Response, error) {
	v.Elapsed = g.cfg.now().Sub(start)
	g.observe(ctx, v, err)
	return nil, err
}

func (g *guard) observe(ctx context.Context, v *Verdict, err error) {
	for _, o := range g.cfg.observers {
		o.Observe(ctx, v, err)
	}
}

// noteStreamMismatch is the verdict's note when a live stream's deltas do
// not add up to the client's final text.
const noteStreamMismatch = "the streamed deltas differ from the client's final text: the streamed text, which the caller saw, was checked and returned"

// joinNote appends note to a verdict's earlier note.
func joinNote(prev, note string) string {
	if prev == "" {
		return note
	}
	return prev + "; " + note
}
