package role

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/persona"
)

// Role is what the assistant is to the user, as plain data: which parts of
// the user's profile it may use, what the guard tells the model, which
// checks it runs on each answer and what it does when one fails.
//
// The zero Role is a custom role that personalizes nothing, adds no
// safeguards and runs no checks: the guard passes such requests through
// untouched. Roles are values; a Role returned by [Policy.Resolve] shares
// its Checks map with the policy, so treat it as read-only or [Role.Clone]
// it first.
type Role struct {
	// Name identifies the role in a policy. In Policy.Roles and
	// Tenant.Roles it may be left empty: the map key names it.
	Name string `json:"name,omitempty"`
	// Kind says which family the role belongs to; the operator floor can
	// set limits per kind. The zero value is KindCustom.
	Kind Kind `json:"kind,omitempty"`
	// Facets are the persona facets the role may render into the prompt.
	// The zero value allows none: the model gets no user information.
	Facets persona.FacetSet `json:"facets,omitzero"`
	// Safeguards is text the guard adds to the system prompt: the role's
	// independence instructions. Empty adds nothing.
	Safeguards string `json:"safeguards,omitempty"`
	// ReframeClaims makes the guard restate, after the safeguards, what the
	// user's latest message asserts, in the third person and as claims to
	// weigh rather than premises: the user's own views ("I believe X"),
	// views the user reports, a premise a leading question presupposes,
	// and a challenge of the previous answer with whether it brought an
	// argument or only social pressure (metrics.UserClaims,
	// metrics.ClassifyPushback). The user's own words reach the model
	// unchanged. Turns with nothing to restate get no note. Off by
	// default: see the guard package's documentation for what it costs.
	ReframeClaims bool `json:"reframe_claims,omitempty"`
	// Checks maps each metric the guard checks to its threshold and action.
	// A metric that is absent is not checked.
	Checks map[metrics.Metric]Check `json:"checks,omitempty"`
	// MaxReasks bounds the reasks of one request, over all checks. Zero means
	// DefaultMaxReasks; NoReasks (-1) means none, so a violated Reask check
	// takes the Exhausted action at once; at most MaxReasksLimit.
	MaxReasks int `json:"max_reasks,omitempty" jsonschema:"minimum=-1,maximum=5"`
	// Exhausted is what the guard does when the answer still violates a
	// Reask check after MaxReasks reasks: Annotate (the zero value: return
	// the last answer with its verdict) or Block.
	Exhausted Action `json:"exhausted"`
	// Fallback is the reply the guard returns instead of a blocked answer.
	// Empty means a blocked request fails with an error (guard.ErrBlocked).
	Fallback string `json:"fallback,omitempty"`
	// OnUnknown says what a check that cannot decide (label Unknown, or a
	// judge that failed) counts as. The zero value FailOpen records it in
	// the verdict and takes no action; FailClosed treats it as a violation.
	OnUnknown FailMode `json:"on_unknown"`
}

// Role names are 1-64 ASCII letters, digits, '_' and '-', starting with a
// letter or digit; the dot is excluded because error paths use it.
const namePattern = `^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`

var nameRE = regexp.MustCompile(namePattern)

// MaxTenantName is the longest tenant name, in bytes; any other non-empty
// valid UTF-8 string is a tenant name.
const MaxTenantName = 128

// Check is the configuration of one check of a [Role].
type Check struct {
	// Threshold is the score at or above which the checked behaviour counts
	// as present (a violation). Zero means DefaultThreshold; otherwise it
	// is in (0, 1], and lower is stricter.
	Threshold float64 `json:"threshold,omitempty" jsonschema:"minimum=0,maximum=1"`
	// UnderPressure is a stricter threshold for when the user's last turn
	// challenged the previous answer with social pressure only
	// (insistence, emotion, credentials, loyalty, no argument: see
	// metrics.ClassifyPushback): giving ground then, with no reason
	// offered, is what a role exists to stop, so one concession can be
	// enough. It applies only to the checks that measure giving ground
	// ([Yielding]: capitulation, stance_flip, belief_adoption) and may
	// only be stricter: in (0, Threshold]. Zero means the check's own
	// threshold applies under pressure too. After no challenge, or after
	// a challenge that brought an argument, Threshold applies. Like
	// Threshold it applies to the check's score whatever computed it, a
	// judge's included; the built-in roles' values are set on the
	// heuristic scorers' scale.
	UnderPressure float64 `json:"under_pressure,omitempty" jsonschema:"minimum=0,maximum=1"`
	// Action is what the guard does about a violation. The zero value is
	// Annotate.
	Action Action `json:"action"`
}

// Limits on a role's texts, in bytes.
const (
	MaxSafeguardsBytes = 8192
	MaxFallbackBytes   = 4096
)

// Defaults that zero values stand for.
const (
	DefaultThreshold = 0.5
	DefaultMaxReasks = 1
	MaxReasksLimit   = 5
)

// NoReasks is the MaxReasks of a role that never reasks: a violated Reask
// check takes the role's Exhausted action on the first answer. It is -1
// because the zero value of MaxReasks means DefaultMaxReasks, as zero
// values mean defaults throughout; in a policy file it is "max_reasks: -1".
//
// A role that should never reask can also give its checks the action it
// wants directly (Block or Annotate); NoReasks keeps the checks as they
// are, for instance to turn reasks off for a latency-bound tenant.
const NoReasks = -1

// Limit returns the threshold the check applies: Threshold, or
// DefaultThreshold when Threshold is zero.
func (c Check) Limit() float64 {
	if c.Threshold == 0 {
		return DefaultThreshold
	}
	return c.Threshold
}

// PressureLimit returns the threshold a check of a [Yielding] metric
// applies after a challenge with social pressure only: UnderPressure, or
// Limit() when UnderPressure is zero. It is never looser than Limit()
// for any number UnderPressure holds (Validate refuses a looser one); a
// NaN UnderPressure, which Validate and the floor refuse, makes it NaN,
// which no score reaches.
func (c Check) PressureLimit() float64 {
	if c.UnderPressure == 0 {
		return c.Limit()
	}
	return min(c.UnderPressure, c.Limit())
}

// Reasks returns the reask bound the role applies: MaxReasks,
// DefaultMaxReasks when MaxReasks is zero, or 0 when it is negative
// ([NoReasks]).
func (r Role) Reasks() int {
	switch {
	case r.MaxReasks == 0:
		return DefaultMaxReasks
	case r.MaxReasks < 0:
		return 0
	}
	return r.MaxReasks
}

// Clone returns a copy of r that shares no map with r.
func (r Role) Clone() Role {
	r.Checks = maps.Clone(r.Checks)
	return r
}

// Metrics returns the checked metrics in sorted order, for deterministic
// iteration.
func (r Role) Metrics() []metrics.Metric {
	return slices.Sorted(maps.Keys(r.Checks))
}

// Personalize renders the parts of p that the role may use as prompt text
// in the third person (see [persona.Profile.Render]); "" when the role
// allows no facets or p has nothing in them. An invalid p is an error
// naming the field, whatever the role allows.
func (r Role) Personalize(p *persona.Profile) (string, error) {
	return p.Render(r.Facets, persona.ThirdPerson)
}

// Kind is the family of a role.
type Kind string

// Kinds. The study measured advisors (informational influence) and peers
// (normative influence); tutors and companions extend it.
const (
	KindCustom    Kind = "custom"
	KindAdvisor   Kind = "advisor"
	KindPeer      Kind = "peer"
	KindTutor     Kind = "tutor"
	KindCompanion Kind = "companion"
)

var kinds = []Kind{KindCustom, KindAdvisor, KindPeer, KindTutor, KindCompanion}

// Valid reports whether k is empty (custom) or a known kind.
func (k Kind) Valid() bool { return k == "" || slices.Contains(kinds, k) }

// JSONSchema lists the kinds.
func (Kind) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Enum: anys(kinds)}
}

// Action is what the guard does about a violated check. Actions are ordered
// by strength: Annotate < Reask < Block. In JSON and YAML an action is its
// name; the zero value is Annotate.
type Action int8

// Actions.
const (
	Annotate Action = iota // record the violation in the verdict; return the answer
	Reask                  // ask the model again with a critique, up to the role's bound
	Block                  // do not return the answer: return the role's fallback or an error
)

var actionNames = []string{Annotate: "annotate", Reask: "reask", Block: "block"}

// String returns "annotate", "reask" or "block".
func (a Action) String() string {
	if a >= 0 && int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("Action(%d)", int8(a))
}

// Valid reports whether a is a known action.
func (a Action) Valid() bool { return a >= 0 && int(a) < len(actionNames) }

// MarshalText encodes the action as its name.
func (a Action) MarshalText() ([]byte, error) {
	if !a.Valid() {
		return nil, fmt.Errorf("%w: action %d", ErrInvalid, int8(a))
	}
	return []byte(a.String()), nil
}

// UnmarshalText decodes an action name.
func (a *Action) UnmarshalText(b []byte) error {
	i := slices.Index(actionNames, string(b))
	if i < 0 {
		return fmt.Errorf("%w: action %q, want one of %s", ErrInvalid, b, strings.Join(actionNames, ", "))
	}
	*a = Action(i)
	return nil
}

// JSONSchema lists the action names.
func (Action) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Enum: anys(actionNames)}
}

// FailMode says what a check that cannot decide counts as.
type FailMode int8

// Fail modes. In JSON and YAML they are "open" and "closed".
const (
	FailOpen   FailMode = iota // record Unknown in the verdict, take no action
	FailClosed                 // treat Unknown as a violation and take the check's action
)

var failNames = []string{FailOpen: "open", FailClosed: "closed"}

// String returns "open" or "closed".
func (f FailMode) String() string {
	if f >= 0 && int(f) < len(failNames) {
		return failNames[f]
	}
	return fmt.Sprintf("FailMode(%d)", int8(f))
}

// Valid reports whether f is a known fail mode.
func (f FailMode) Valid() bool { return f >= 0 && int(f) < len(failNames) }

// MarshalText encodes the fail mode as its name.
func (f FailMode) MarshalText() ([]byte, error) {
	if !f.Valid() {
		return nil, fmt.Errorf("%w: fail mode %d", ErrInvalid, int8(f))
	}
	return []byte(f.String()), nil
}

// UnmarshalText decodes "open" or "closed".
func (f *FailMode) UnmarshalText(b []byte) error {
	i := slices.Index(failNames, string(b))
	if i < 0 {
		return fmt.Errorf("%w: fail mode %q, want open or closed", ErrInvalid, b)
	}
	*f = FailMode(i)
	return nil
}

// JSONSchema lists the fail mode names.
func (FailMode) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Enum: anys(failNames)}
}

// checkable are the metrics a check may name: those whose higher scores are
// the sycophantic side, so that "score at or above the threshold" is a
// violation. metrics.Openness (higher is more open, the independent side)
// and metrics.Pushback (a property of the user's turn, not of the answer)
// are not checks; the guard uses pushback to decide when to run the
// stance-flip check.
var checkable = []metrics.Metric{
	metrics.EmotionalValidation, metrics.Hedging, metrics.Capitulation, metrics.Flattery,
	metrics.FramingAcceptance, metrics.BeliefAdoption, metrics.StanceFlip,
	metrics.PreferenceAccommodation,
}

// yielding are the metrics that measure giving ground to the user.
var yielding = []metrics.Metric{metrics.Capitulation, metrics.StanceFlip, metrics.BeliefAdoption}

// Yielding reports whether m measures giving ground to the user
// (capitulation, stance_flip, belief_adoption): the checks the guard
// allows after a user turn that brings an argument, and the only ones
// that may set [Check.UnderPressure].
func Yielding(m metrics.Metric) bool { return slices.Contains(yielding, m) }

// Checkable reports whether a check may name m.
func Checkable(m metrics.Metric) bool { return slices.Contains(checkable, m) }

// CheckableMetrics returns the metrics a check may name.
func CheckableMetrics() []metrics.Metric { return slices.Clone(checkable) }

func anys[S ~string](ss []S) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}
