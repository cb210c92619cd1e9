package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/role"
)

//go:embed sample/transcripts.jsonl
var sampleTranscripts []byte

const auditSynopsis = "rolegate audit [flags] [transcripts.jsonl ...]"

const auditExamples = `  rolegate audit                               # the embedded sample: offline, no keys
  rolegate audit chats.jsonl                   # your transcripts (format: rolegate audit -format)
  rolegate audit -v chats.jsonl                # every score and its evidence
  rolegate audit -fail-on stance_flip,capitulation chats.jsonl   # exit 1 if any reply shows them
  rolegate audit -fail-on-decision block -policy policy.yaml chats.jsonl
  rolegate audit -json chats.jsonl > audit.json
`

const formatHelp = `Transcript format: JSON Lines, one conversation per line.

  {"id": "peer-1", "role": "peer", "condition": "personalized",
   "messages": [{"role": "system", "content": "..."},
                {"role": "user", "content": "..."},
                {"role": "assistant", "content": "..."}]}

  id          required, unique in the file
  messages    required; roles system, user, assistant; every assistant message is scored
              and replayed through the guard, but one that opens the conversation
              (a greeting) answers no request: it is scored only
  role        role policy: advisor, peer, tutor, companion, or a role of -policy
              (default: the tenant's default role, then the policy's, then advisor)
  tenant      tenant whose overrides of -policy apply
  goal        the user's long-term goal        } for goal-vs-preference conversations
  preference  the conflicting preference       } (preference accommodation)
  condition   free label (generic, personalized, ...)
  note        free text shown in the output
Unknown fields are errors. Blank lines and lines starting with # are skipped.
A line holds at most 4 MiB and 5000 messages.
`

type auditOpts struct {
	json, verbose  bool
	failOn         []metrics.Metric
	failOnDecision role.Action
	decisionGate   bool
	policy         *role.Policy
	roleOverride   string
	metricOpts     []metrics.Option
}

func audit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("audit", auditSynopsis, auditExamples, stdout)
	var (
		o          auditOpts
		failOn     = fs.String("fail-on", "", "comma-separated metrics; exit 1 if any assistant reply shows one (label present), e.g. stance_flip,capitulation")
		failDec    = fs.String("fail-on-decision", "", "exit 1 if any reply gets this guard decision or a stronger one: annotate, reask or block")
		policyPath = fs.String("policy", "", "role policy file (JSON or YAML) resolving the transcripts' roles; default: the built-in roles")
		format     = fs.Bool("format", false, "print the transcript format and exit")
		thresholds = thresholdFlag{}
	)
	fs.BoolVar(&o.json, "json", false, "write the results as JSON instead of text")
	fs.BoolVar(&o.verbose, "v", false, "show every metric's score and its evidence")
	fs.StringVar(&o.roleOverride, "role", "", "apply this role to every transcript, whatever its role field says")
	fs.Var(&thresholds, "threshold", "metric=value: the score at which a metric counts as present (repeatable), e.g. stance_flip=0.4")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format {
		fmt.Fprint(stdout, formatHelp)
		return nil
	}
	if err := flagAfterFiles(fs, args); err != nil {
		return err
	}
	for _, m := range splitList(*failOn) {
		if !slices.Contains(metrics.Metrics(), metrics.Metric(m)) {
			return usagef("-fail-on: unknown metric %q (metrics: %s)", m, metricNames())
		}
		o.failOn = append(o.failOn, metrics.Metric(m))
	}
	if *failDec != "" {
		if err := o.failOnDecision.UnmarshalText([]byte(*failDec)); err != nil {
			return usagef("-fail-on-decision: %q is not a decision (annotate, reask, block)", *failDec)
		}
		o.decisionGate = true
	}
	o.metricOpts = thresholds.opts
	o.policy = newZeroPolicy()
	if *policyPath != "" {
		p, err := role.LoadPolicy(*policyPath)
		if err != nil {
			return fmt.Errorf("-policy: %w", err)
		}
		o.policy = p
	}
	if o.roleOverride != "" {
		if err := knownRole(o.policy, o.roleOverride); err != nil {
			return usagef("-role: %v", err)
		}
	}
	type source struct {
		name string
		data []byte
	}
	var srcs []source
	if fs.NArg() == 0 {
		srcs = append(srcs, source{"embedded sample", sampleTranscripts})
	}
	for _, path := range fs.Args() {
		b, err := readInput(path)
		if err != nil {
			return err
		}
		srcs = append(srcs, source{path, b})
	}
	var all []auditedConv
	for _, s := range srcs {
		ts, err := readTranscripts(bytes.NewReader(s.data), s.name)
		if err != nil {
			return fmt.Errorf("%w\n(run \"rolegate audit -format\" for the expected format)", err)
		}
		for _, t := range ts {
			if err := ctx.Err(); err != nil {
				return err
			}
			ac, err := auditOne(ctx, t, &o)
			if err != nil {
				return fmt.Errorf("%s: conversation %s: %w", s.name, t.ID, err)
			}
			all = append(all, ac)
		}
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(all); err != nil {
			return err
		}
	} else {
		writeAudit(stdout, all, &o)
	}
	return gate(all, &o)
}

// flagAfterFiles returns a usage error for an argument that names one of
// the command's flags and no file: the flag package stops at the first
// file, so "audit chats.jsonl -json" would read a file named -json and
// fail for want of it. After "--", or when such a file exists, it is a file.
func flagAfterFiles(fs *flag.FlagSet, args []string) error {
	if parsed := args[:len(args)-fs.NArg()]; len(parsed) > 0 && parsed[len(parsed)-1] == "--" {
		return nil
	}
	for _, a := range fs.Args() {
		if !isFlagLike(a) {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if fs.Lookup(name) == nil {
			continue
		}
		if _, err := os.Stat(a); err == nil {
			continue
		}
		return usagef("flag %s after the transcripts: flags go before them (%s)", a, auditSynopsis)
	}
	return nil
}

// knownRole returns nil when the policy resolves name for some tenant (or
// none), else the error of resolving it without a tenant.
func knownRole(p *role.Policy, name string) error {
	_, err := p.Resolve("", name)
	if err == nil {
		return nil
	}
	for tenant := range p.Tenants {
		if _, terr := p.Resolve(tenant, name); terr == nil {
			return nil
		}
	}
	return err
}

// readInput reads a file, or standard input for "-".
func readInput(path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(os.Stdin)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read transcripts: %w", err)
	}
	return b, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func metricNames() string {
	var s []string
	for _, m := range metrics.Metrics() {
		s = append(s, string(m))
	}
	return strings.Join(s, ", ")
}

// thresholdFlag collects -threshold metric=value flags, one per metric (a
// second would silently win over the first).
type thresholdFlag struct {
	opts    []metrics.Option
	set     []string
	metrics []metrics.Metric
}

// String lists the thresholds given, for flag.Value.
func (t *thresholdFlag) String() string { return strings.Join(t.set, ",") }

// Set parses one metric=value threshold, for flag.Value.
func (t *thresholdFlag) Set(v string) error {
	name, val, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("want metric=value, got %q", v)
	}
	m := metrics.Metric(strings.TrimSpace(name))
	if !slices.Contains(metrics.Metrics(), m) {
		return fmt.Errorf("unknown metric %q (metrics: %s)", name, metricNames())
	}
	if slices.Contains(t.metrics, m) {
		return fmt.Errorf("threshold of %s given twice", m)
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
	if err != nil || f <= 0 || f >= 1 {
		return fmt.Errorf("threshold of %s must be a number in (0, 1), got %q", m, val)
	}
	t.metrics = append(t.metrics, m)
	t.opts = append(t.opts, metrics.WithThreshold(m, f))
	t.set = append(t.set, v)
	return nil
}

// auditedConv is the audit of one conversation.
type auditedConv struct {
	ID        string        `json:"id"`
	Role      string        `json:"role"`
	Condition string        `json:"condition,omitempty"`
	Note      string        `json:"note,omitempty"`
	Turns     []auditedTurn `json:"turns"`
	// Decision is the strongest decision over the conversation's replies;
	// empty when no reply was replayed (each opens the conversation).
	Decision string `json:"decision"`
	conv     []chat.Message
}

// auditedTurn is the audit of one message: a reply's scores and the guard's
// decision, or a user turn's pushback classification.
type auditedTurn struct {
	Index int       `json:"index"`
	Role  chat.Role `json:"role"`
	// Decision is what the guard does with this reply on its first
	// attempt: pass, annotate, reask or block; empty for a reply that
	// opens the conversation, which answers no request the guard could
	// replay (it is scored all the same).
	Decision string `json:"decision,omitempty"`
	// Checks are the guard's checks of the reply (the role's metrics).
	Checks []guard.CheckResult `json:"checks,omitempty"`
	// Results are every heuristic scorer's result, checked by the role or not.
	Results  []metrics.Result       `json:"results,omitempty"`
	Pushback *metrics.PushbackClass `json:"pushback,omitempty"`
	rank     int
}

// decisionRank orders decisions by strength.
var decisionRank = map[string]int{"pass": 0, "annotate": 1, "reask": 2, "block": 3}

func auditOne(ctx context.Context, t Transcript, o *auditOpts) (auditedConv, error) {
	name := t.Role
	if o.roleOverride != "" {
		name = o.roleOverride
	}
	// The role the guard would serve: the one named, else the tenant's
	// default, else the policy's, else (the format help says so) the
	// built-in advisor.
	r, err := o.policy.Resolve(t.Tenant, name)
	if name == "" && errors.Is(err, role.ErrNoDefault) {
		r, err = o.policy.Resolve(t.Tenant, "advisor")
	}
	if err != nil {
		return auditedConv{}, err
	}
	name = r.Name
	opts := slices.Clone(o.metricOpts)
	if t.Goal != "" || t.Preference != "" {
		opts = append(opts, metrics.WithGoal(t.Goal, t.Preference))
	}
	an := metrics.NewAnalyzer(opts...)
	g := guard.New(o.policy, guard.WithAnalyzerOptions(opts...))
	ac := auditedConv{ID: t.ID, Role: name, Condition: t.Condition, Note: t.Note, conv: t.Messages}
	for i, m := range t.Messages {
		switch m.Role {
		case chat.RoleUser:
			if chat.LastIndex(t.Messages, chat.RoleAssistant, i) < 0 {
				continue
			}
			pb := metrics.ClassifyPushback(t.Messages[:i+1])
			pb.Evidence = slices.Clone(pb.Evidence)
			ac.Turns = append(ac.Turns, auditedTurn{Index: i, Role: m.Role, Pushback: &pb})
		case chat.RoleAssistant:
			rep := an.Analyze(t.Messages[:i+1])
			turn := auditedTurn{Index: i, Role: m.Role}
			for _, res := range rep.Results() {
				res.Evidence = slices.Clone(res.Evidence)
				turn.Results = append(turn.Results, res)
			}
			if chat.LastIndex(t.Messages, chat.RoleUser, i) < 0 {
				// A reply that opens the conversation (a canned greeting,
				// after a system prompt or not, or a lone reply pasted to
				// be scored) answers no request: it is scored, with no
				// decision. The guard would take none without messages,
				// and one with only a system prompt reads the greeting as
				// the answer to a request that was never made.
				ac.Turns = append(ac.Turns, turn)
				continue
			}
			v, err := replay(ctx, g, t, name, i)
			if err != nil {
				return auditedConv{}, fmt.Errorf("message %d: %w", i, err)
			}
			turn.Checks = v.Attempts[0].Checks
			turn.Decision = firstDecision(v)
			turn.rank = decisionRank[turn.Decision]
			if ac.Decision == "" || turn.rank > decisionRank[ac.Decision] {
				ac.Decision = turn.Decision
			}
			ac.Turns = append(ac.Turns, turn)
		}
	}
	return ac, nil
}

// replay runs the guard over the recorded reply at index i: the model
// behind the guard answers with the recorded text (again on a reask), so
// the verdict is the guard's decision on that reply.
func replay(ctx context.Context, g chat.Middleware, t Transcript, roleName string, i int) (*guard.Verdict, error) {
	recorded := t.Messages[i].Content
	model := chat.ClientFunc(func(ctx context.Context, req *chat.Request) (*chat.Response, error) {
		return &chat.Response{Message: chat.Assistant(recorded), FinishReason: chat.FinishStop}, nil
	})
	md := map[string]string{guard.MetadataRole: roleName}
	if t.Tenant != "" {
		md[guard.MetadataTenant] = t.Tenant
	}
	resp, err := g(model).Complete(ctx, &chat.Request{Messages: t.Messages[:i], Metadata: md})
	var ve *guard.ViolationError
	switch {
	case errors.As(err, &ve) && ve.Verdict != nil:
		return ve.Verdict, nil
	case err != nil:
		return nil, err
	}
	v, ok := guard.VerdictOf(resp)
	if !ok || len(v.Attempts) == 0 {
		return nil, errors.New("the guard returned no verdict")
	}
	return v, nil
}

// firstDecision is what the guard did with the first attempt: a critique
// means it asked again; otherwise its final action.
func firstDecision(v *guard.Verdict) string {
	if v.Attempts[0].Critique != "" {
		return "reask"
	}
	return v.Action.String()
}

// gate returns errFindings when a -fail-on threshold is crossed.
func gate(all []auditedConv, o *auditOpts) error {
	var hits []string
	for _, ac := range all {
		for _, t := range ac.Turns {
			for _, res := range t.Results {
				if slices.Contains(o.failOn, res.Metric) && res.Label == metrics.Present {
					hits = append(hits, fmt.Sprintf("%s#%d %s", ac.ID, t.Index, res.Metric))
				}
			}
			if o.decisionGate && t.Role == chat.RoleAssistant && t.rank >= decisionRank[o.failOnDecision.String()] && t.rank > 0 {
				hits = append(hits, fmt.Sprintf("%s#%d decision %s", ac.ID, t.Index, t.Decision))
			}
		}
	}
	if len(hits) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %d finding(s): %s", errFindings, len(hits), strings.Join(hits, ", "))
}

// newZeroPolicy is the policy without a file: the built-in roles.
func newZeroPolicy() *role.Policy { return &role.Policy{} }
