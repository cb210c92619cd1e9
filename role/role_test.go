package role

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/persona"
)

func TestZeroRole(t *testing.T) {
	var r Role
	if err := r.Validate(); err != nil {
		t.Fatalf("zero role invalid: %v", err)
	}
	if !r.Facets.Empty() || len(r.Checks) != 0 || r.Safeguards != "" {
		t.Error("zero role must personalize, inject and check nothing")
	}
	if r.Reasks() != DefaultMaxReasks || r.OnUnknown != FailOpen || r.Exhausted != Annotate {
		t.Error("zero role defaults are wrong")
	}
	if (Check{}).Limit() != DefaultThreshold || (Check{Threshold: 0.3}).Limit() != 0.3 {
		t.Error("Check.Limit is wrong")
	}
	p := persona.Profile{Narrative: "I am here."}
	if s, err := r.Personalize(&p); s != "" || err != nil {
		t.Errorf("zero role personalized: %q %v", s, err)
	}
}

func TestEnumsText(t *testing.T) {
	tests := []struct {
		name string
		v    interface {
			MarshalText() ([]byte, error)
		}
		want string
	}{
		{"annotate", Annotate, "annotate"},
		{"reask", Reask, "reask"},
		{"block", Block, "block"},
		{"open", FailOpen, "open"},
		{"closed", FailClosed, "closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.v.MarshalText()
			if err != nil || string(b) != tt.want {
				t.Errorf("got %s, %v", b, err)
			}
		})
	}
	var a Action
	if err := a.UnmarshalText([]byte("warn")); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown action: %v", err)
	}
	var f FailMode
	if err := f.UnmarshalText([]byte("ajar")); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown fail mode: %v", err)
	}
	if _, err := Action(9).MarshalText(); err == nil {
		t.Error("marshaled an unknown action")
	}
	if Action(9).String() != "Action(9)" || FailMode(-1).String() != "FailMode(-1)" {
		t.Error("String of unknown values")
	}
	// The first value past the last name is unknown too.
	if Block+1 != 3 || FailClosed+1 != 2 {
		t.Fatal("new values: update the checks below")
	}
	if s := Action(3).String(); s != "Action(3)" {
		t.Errorf("Action(3).String() = %q", s)
	}
	if s := FailMode(2).String(); s != "FailMode(2)" {
		t.Errorf("FailMode(2).String() = %q", s)
	}
	if Action(3).Valid() || FailMode(2).Valid() || Action(-1).Valid() || FailMode(-1).Valid() {
		t.Error("an unknown value is Valid")
	}
	if !Block.Valid() || !FailClosed.Valid() || !Annotate.Valid() || !FailOpen.Valid() {
		t.Error("a known value is not Valid")
	}
	if !(Annotate < Reask && Reask < Block) {
		t.Error("actions must be ordered by strength")
	}
}

func TestRoleJSONRoundTrip(t *testing.T) {
	for _, r := range BuiltIns() {
		t.Run(r.Name, func(t *testing.T) {
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var got Role
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			b2, _ := json.Marshal(got)
			if string(b) != string(b2) {
				t.Errorf("round trip changed the role:\n%s\n%s", b, b2)
			}
		})
	}
}

// TestBuiltIns holds the built-ins to the claims of their doc comments.
func TestBuiltIns(t *testing.T) {
	for _, r := range BuiltIns() {
		t.Run(r.Name, func(t *testing.T) {
			if err := r.Validate(); err != nil {
				t.Fatal(err)
			}
			if r.Safeguards == "" {
				t.Error("no safeguards")
			}
			for m, c := range r.Checks {
				if c.Threshold == 0 {
					t.Errorf("%s: built-ins state their thresholds", m)
				}
			}
			if r.Exhausted == Block && r.Fallback == "" {
				t.Error("a built-in that blocks must have a fallback")
			}
			got, ok := BuiltIn(r.Name)
			if !ok || got.Name != r.Name {
				t.Error("BuiltIn does not find it")
			}
		})
	}
	adv, peer, tutor, comp := Advisor(), Peer(), Tutor(), Companion()
	if adv.Facets != persona.AllFacets {
		t.Error("advisors use the full profile")
	}
	for _, r := range []Role{peer, tutor, comp} {
		if r.Facets.Has(persona.FacetBeliefs) {
			t.Errorf("%s must not receive stated beliefs", r.Name)
		}
	}
	if c, ok := peer.Checks[metrics.StanceFlip]; !ok || c.Action < Reask || c.Limit() > 0.55 {
		t.Error("peers get strict stance-flip checks")
	}
	if peer.OnUnknown != FailClosed || peer.Exhausted != Block {
		t.Error("peers fail closed and block when reasks run out")
	}
	for _, m := range []metrics.Metric{metrics.EmotionalValidation, metrics.Hedging} {
		if _, ok := comp.Checks[m]; ok {
			t.Errorf("companions get affect freely: %s must not be checked", m)
		}
	}
	if c, ok := comp.Checks[metrics.StanceFlip]; !ok || c.Action < Reask {
		t.Error("companions protect facts: they do not give up a position under pressure")
	}
	// Built-ins act (reask, block) only where the heuristic is precise
	// enough on independent labels: at or above metrics.PreciseThreshold,
	// and never on belief adoption, which reached no such precision.
	for _, r := range BuiltIns() {
		for m, c := range r.Checks {
			if c.Action < Reask {
				continue
			}
			if m == metrics.BeliefAdoption {
				t.Errorf("%s acts on belief_adoption, whose precision on labeled data is below 0.8", r.Name)
			}
			if p, ok := metrics.PreciseThreshold(m); ok && c.Limit() < p {
				t.Errorf("%s acts on %s at %.2f, below its precise threshold %.2f", r.Name, m, c.Limit(), p)
			}
		}
	}
	if _, ok := adv.Checks[metrics.FramingAcceptance]; !ok {
		t.Error("advisors are checked for challenge quality")
	}
	if _, ok := BuiltIn("judge"); ok {
		t.Error("unknown built-in found")
	}
	// Constructors return fresh values.
	a := Advisor()
	a.Checks[metrics.Hedging] = Check{Threshold: 1}
	if Advisor().Checks[metrics.Hedging].Threshold == 1 {
		t.Error("built-ins share their maps")
	}
}

func TestRoleValidate(t *testing.T) {
	tests := []struct {
		name     string
		r        Role
		wantPath string
	}{
		{"bad kind", Role{Kind: "boss"}, "kind"},
		{"pushback is not a check", Role{Checks: map[metrics.Metric]Check{metrics.Pushback: {}}}, "checks.pushback"},
		{"openness is not a check", Role{Checks: map[metrics.Metric]Check{metrics.Openness: {}}}, "checks.openness"},
		{"unknown metric", Role{Checks: map[metrics.Metric]Check{"vibes": {}}}, "checks.vibes"},
		{"threshold above 1", Role{Checks: map[metrics.Metric]Check{metrics.Hedging: {Threshold: 1.5}}}, "checks.hedging.threshold"},
		{"negative threshold", Role{Checks: map[metrics.Metric]Check{metrics.Hedging: {Threshold: -0.1}}}, "checks.hedging.threshold"},
		{"bad action", Role{Checks: map[metrics.Metric]Check{metrics.Hedging: {Action: 7}}}, "checks.hedging.action"},
		{"too many reasks", Role{MaxReasks: 99}, "max_reasks"},
		{"reasks below NoReasks", Role{MaxReasks: -2}, "max_reasks"},
		{"exhausted cannot be reask", Role{Exhausted: Reask}, "exhausted"},
		{"bad fail mode", Role{OnUnknown: 3}, "on_unknown"},
		{"invalid UTF-8 fallback", Role{Fallback: "\xff"}, "fallback"},
		{"huge safeguards", Role{Safeguards: strings.Repeat("x", MaxSafeguardsBytes+1)}, "safeguards"},
		{"huge fallback", Role{Fallback: strings.Repeat("x", MaxFallbackBytes+1)}, "fallback"},
		{"bad name", Role{Name: "a.b"}, ""},
		{"unknown facet bits", Role{Facets: 0x80}, "facets"},
		{"under_pressure on a check that does not measure giving ground", Role{Checks: map[metrics.Metric]Check{metrics.Hedging: {Threshold: 0.7, UnderPressure: 0.5}}},
			"checks.hedging.under_pressure"},
		{"under_pressure looser than the threshold", Role{Checks: map[metrics.Metric]Check{metrics.Capitulation: {Threshold: 0.5, UnderPressure: 0.6}}},
			"checks.capitulation.under_pressure"},
		{"under_pressure looser than the default threshold", Role{Checks: map[metrics.Metric]Check{metrics.StanceFlip: {UnderPressure: 0.55}}},
			"checks.stance_flip.under_pressure"},
		{"negative under_pressure", Role{Checks: map[metrics.Metric]Check{metrics.BeliefAdoption: {UnderPressure: -0.1}}},
			"checks.belief_adoption.under_pressure"},
		{"NaN under_pressure", Role{Checks: map[metrics.Metric]Check{metrics.Capitulation: {UnderPressure: math.NaN()}}},
			"checks.capitulation.under_pressure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.r.Validate()
			var fe *FieldError
			if !errors.As(err, &fe) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want a *FieldError wrapping ErrInvalid", err)
			}
			if fe.Path != tt.wantPath {
				t.Errorf("path %q, want %q (%v)", fe.Path, tt.wantPath, err)
			}
		})
	}
}

// TestUnderPressureAccepted: each check that measures giving ground may
// set a threshold under pressure up to its own threshold, the default
// one included.
func TestUnderPressureAccepted(t *testing.T) {
	for _, m := range []metrics.Metric{metrics.Capitulation, metrics.StanceFlip, metrics.BeliefAdoption} {
		for _, c := range []Check{
			{Threshold: 0.5, UnderPressure: 0.25},
			{Threshold: 0.5, UnderPressure: 0.5},
			{UnderPressure: DefaultThreshold},
			{Threshold: 0.3, UnderPressure: 0.01},
		} {
			r := Role{Checks: map[metrics.Metric]Check{m: c}}
			if err := r.Validate(); err != nil {
				t.Errorf("%s %+v: %v", m, c, err)
			}
		}
	}
}

func TestPressureLimit(t *testing.T) {
	tests := []struct {
		c    Check
		want float64
	}{
		{Check{}, DefaultThreshold},
		{Check{Threshold: 0.6}, 0.6},
		{Check{Threshold: 0.6, UnderPressure: 0.25}, 0.25},
		{Check{UnderPressure: 0.3}, 0.3},
		// Never looser than the threshold, even when built in code with a
		// value Validate refuses.
		{Check{Threshold: 0.4, UnderPressure: 0.9}, 0.4},
	}
	for _, tt := range tests {
		if got := tt.c.PressureLimit(); got != tt.want {
			t.Errorf("%+v.PressureLimit() = %v, want %v", tt.c, got, tt.want)
		}
	}
	if got := (Check{UnderPressure: math.NaN()}).PressureLimit(); !math.IsNaN(got) {
		t.Errorf("NaN UnderPressure: PressureLimit() = %v, want NaN (never fires, and the floor refuses it)", got)
	}
}

func TestRoleValidateTextsAtTheirMax(t *testing.T) {
	r := Role{Safeguards: strings.Repeat("x", MaxSafeguardsBytes), Fallback: strings.Repeat("x", MaxFallbackBytes)}
	if err := r.Validate(); err != nil {
		t.Errorf("safeguards and fallback of their max bytes: %v", err)
	}
}

func TestCloneAndMetrics(t *testing.T) {
	r := Peer()
	c := r.Clone()
	c.Checks[metrics.Hedging] = Check{}
	if _, ok := r.Checks[metrics.Hedging]; ok {
		t.Error("Clone shares its map")
	}
	ms := r.Metrics()
	for i := 1; i < len(ms); i++ {
		if ms[i-1] >= ms[i] {
			t.Fatalf("Metrics not sorted: %v", ms)
		}
	}
	if len(CheckableMetrics()) != 8 || Checkable(metrics.Pushback) {
		t.Error("checkable metrics are wrong")
	}
}

func TestReasks(t *testing.T) {
	tests := []struct {
		name      string
		maxReasks int
		want      int
	}{
		{"zero means the default", 0, DefaultMaxReasks},
		{"NoReasks means none", NoReasks, 0},
		{"one", 1, 1},
		{"the limit", MaxReasksLimit, MaxReasksLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Role{MaxReasks: tt.maxReasks}
			if got := r.Reasks(); got != tt.want {
				t.Errorf("Reasks() = %d, want %d", got, tt.want)
			}
			if err := r.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

// TestNoReasksInPolicyFiles: "max_reasks: -1" loads as NoReasks from both
// formats and survives a round trip.
func TestNoReasksInPolicyFiles(t *testing.T) {
	for _, tt := range []struct {
		name string
		f    Format
		doc  string
	}{
		{"json", JSON, `{"roles":{"fast":{"max_reasks":-1,"exhausted":"block","checks":{"stance_flip":{"action":"reask"}}}}}`},
		{"yaml", YAML, "roles:\n  fast:\n    max_reasks: -1\n    exhausted: block\n    checks:\n      stance_flip: {action: reask}\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DecodePolicy([]byte(tt.doc), tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if r := p.Roles["fast"]; r.MaxReasks != NoReasks || r.Reasks() != 0 {
				t.Fatalf("max_reasks %d, Reasks() %d; want %d, 0", r.MaxReasks, r.Reasks(), NoReasks)
			}
			b, err := p.Encode(tt.f)
			if err != nil {
				t.Fatal(err)
			}
			back, err := DecodePolicy(b, tt.f)
			if err != nil {
				t.Fatalf("round trip: %v\n%s", err, b)
			}
			if got := back.Roles["fast"].MaxReasks; got != NoReasks {
				t.Errorf("round trip: max_reasks %d, want %d", got, NoReasks)
			}
		})
	}
	_, err := DecodePolicy([]byte(`{"roles":{"fast":{"max_reasks":-2}}}`), JSON)
	if !hasPath(err, "roles.fast.max_reasks") {
		t.Errorf("max_reasks -2: got %v, want an error at roles.fast.max_reasks", err)
	}
}

// TestFloorNoReasks: a Reask check of a role without reasks acts as the
// role's Exhausted action, so it must meet a floor that requires a reask.
func TestFloorNoReasks(t *testing.T) {
	floor := Floor{All: Limits{Checks: map[metrics.Metric]Check{metrics.StanceFlip: {Action: Reask}}}}
	reask := map[metrics.Metric]Check{metrics.StanceFlip: {Action: Reask}}
	tests := []struct {
		name    string
		r       Role
		wantErr bool
	}{
		{"default reasks", Role{Checks: reask}, false},
		{"no reasks, then block", Role{Checks: reask, MaxReasks: NoReasks, Exhausted: Block}, false},
		{"no reasks, then annotate", Role{Checks: reask, MaxReasks: NoReasks, Exhausted: Annotate}, true},
		{"block directly", Role{Checks: map[metrics.Metric]Check{metrics.StanceFlip: {Action: Block}}, MaxReasks: NoReasks}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := floor.Check(tt.r)
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrBelowFloor) || !hasPath(err, "checks.stance_flip.action") {
				t.Fatalf("got %v, want checks.stance_flip.action below the floor", err)
			}
		})
	}
}
