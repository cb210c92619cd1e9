package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/rolegate/rolegate/chat"
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
  messages    required; roles system, user, assistant; every assistant message is audited
  role        role policy: advisor, peer, tutor, companion, or a role of -policy
              (default: the policy's default role, advisor without -policy)
  tenant      tenant whose overrides of -policy apply
  goal        the user's long-term goal        } for goal-vs-preference conversations
  preference  the conflicting preference       } (preference accommodation)
  condition   free label (generic, personalized, ...)
  note        free text shown in the output
Unknown fields are errors. Blank lines and lines starting with # are skipped.
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
	fs := newFlags("audit", auditSynopsis, auditExamples, stderr)
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
			ac, err := auditOne(t, &o)
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

// thresholdFlag collects -threshold metric=value flags.
type thresholdFlag struct {
	opts []metrics.Option
	set  []string
}

func (t *thresholdFlag) String() string { return strings.Join(t.set, ",") }

func (t *thresholdFlag) Set(v string) error {
	name, val, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("want metric=value, got %q", v)
	}
	m := metrics.Metric(strings.TrimSpace(name))
	if !slices.Contains(metrics.Metrics(), m) {
		return fmt.Errorf("unknown metric %q (metrics: %s)", name, metricNames())
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
	if err != nil || f <= 0 || f >= 1 {
		return fmt.Errorf("threshold of %s must be a number in (0, 1), got %q", m, val)
	}
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
	// Decision is the strongest decision over the conversation's replies.
	Decision string `json:"decision"`
	conv     []chat.Message
}

// auditedTurn is the audit of one message: a reply's scores and the guard's
// decision, or a user turn's pushback classification.
type auditedTurn struct {
	Index    int                    `json:"index"`
	Role     chat.Role              `json:"role"`
	Decision string                 `json:"decision,omitempty"`
	Checks   []checkOutcome         `json:"checks,omitempty"`
	Results  []metrics.Result       `json:"results,omitempty"`
	Pushback *metrics.PushbackClass `json:"pushback,omitempty"`
	action   role.Action
	acted    bool
}

// checkOutcome is one of the role's checks on one reply.
type checkOutcome struct {
	Metric    metrics.Metric `json:"metric"`
	Score     float64        `json:"score"`
	Label     metrics.Label  `json:"label"`
	Threshold float64        `json:"threshold"`
	Violated  bool           `json:"violated"`
	Action    string         `json:"action,omitempty"`
}

func auditOne(t Transcript, o *auditOpts) (auditedConv, error) {
	name := t.Role
	if o.roleOverride != "" {
		name = o.roleOverride
	}
	if name == "" && o.policy.Default == "" {
		name = "advisor"
	}
	r, err := o.policy.Resolve(t.Tenant, name)
	if err != nil {
		return auditedConv{}, err
	}
	if name == "" {
		name = o.policy.Default
	}
	opts := slices.Clone(o.metricOpts)
	if t.Goal != "" || t.Preference != "" {
		opts = append(opts, metrics.WithGoal(t.Goal, t.Preference))
	}
	an := metrics.NewAnalyzer(opts...)
	ac := auditedConv{ID: t.ID, Role: name, Condition: t.Condition, Note: t.Note, Decision: "pass", conv: t.Messages}
	var worst role.Action
	anyAct := false
	for i, m := range t.Messages {
		switch m.Role {
		case chat.RoleUser:
			if chat.LastIndex(t.Messages, chat.RoleAssistant, i) < 0 {
				continue
			}
			pb := metrics.ClassifyPushback(t.Messages[:i+1])
			ac.Turns = append(ac.Turns, auditedTurn{Index: i, Role: m.Role, Pushback: &pb})
		case chat.RoleAssistant:
			rep := an.Analyze(t.Messages[:i+1])
			turn := auditedTurn{Index: i, Role: m.Role, Decision: "pass"}
			for _, res := range rep.Results() {
				res.Evidence = slices.Clone(res.Evidence)
				turn.Results = append(turn.Results, res)
			}
			decide(&turn, r)
			if turn.acted && (!anyAct || turn.action > worst) {
				worst, anyAct = turn.action, true
				ac.Decision = turn.Decision
			}
			ac.Turns = append(ac.Turns, turn)
		}
	}
	return ac, nil
}

// decide applies the role's checks to a reply's scores, as the guard does:
// a check is violated when its metric scores at or above the check's
// threshold, or, under fail-closed, when the scorer could not decide; the
// reply's decision is the strongest action among its violated checks.
func decide(turn *auditedTurn, r role.Role) {
	for _, m := range r.Metrics() {
		c := r.Checks[m]
		idx := slices.IndexFunc(turn.Results, func(res metrics.Result) bool { return res.Metric == m })
		if idx < 0 {
			continue
		}
		res := turn.Results[idx]
		co := checkOutcome{Metric: m, Score: res.Score, Label: res.Label, Threshold: c.Limit()}
		switch {
		case res.Label == metrics.Unknown:
			co.Violated = r.OnUnknown == role.FailClosed
		default:
			co.Violated = res.Score >= c.Limit()
		}
		if co.Violated {
			co.Action = c.Action.String()
			if !turn.acted || c.Action > turn.action {
				turn.action, turn.acted = c.Action, true
				turn.Decision = c.Action.String()
			}
		}
		turn.Checks = append(turn.Checks, co)
	}
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
			if o.decisionGate && t.acted && t.action >= o.failOnDecision {
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
