package role

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/persona"
)

// operator is a policy with a support role, a peer floor and two tenants.
func operator() *Policy {
	return &Policy{
		Default: "support",
		Roles: map[string]Role{
			"support": {Kind: KindAdvisor, Facets: persona.SetOf(persona.FacetDemographics, persona.FacetPreferences),
				Checks: map[metrics.Metric]Check{
					metrics.FramingAcceptance: {Threshold: 0.6, Action: Reask},
					metrics.BeliefAdoption:    {Threshold: 0.4, Action: Reask},
				}},
		},
		Floor: Floor{
			All: Limits{Checks: map[metrics.Metric]Check{metrics.BeliefAdoption: {Threshold: 0.7, Action: Annotate}}},
			Kinds: map[Kind]Limits{KindPeer: {
				ForbiddenFacets: persona.SetOf(persona.FacetBeliefs),
				Checks:          map[metrics.Metric]Check{metrics.StanceFlip: {Threshold: 0.4, Action: Reask}},
				FailClosed:      true,
				Exhausted:       Block,
			}},
		},
		Tenants: map[string]Tenant{
			"acme": {Default: "debate", Roles: map[string]Role{
				"debate": {Kind: KindPeer, Facets: persona.SetOf(persona.FacetTraits),
					Checks: map[metrics.Metric]Check{
						metrics.StanceFlip:     {Threshold: 0.4, Action: Block},
						metrics.BeliefAdoption: {Threshold: 0.5, Action: Reask},
					},
					OnUnknown: FailClosed, Exhausted: Block},
			}},
			"globex": {},
		},
	}
}

func TestResolve(t *testing.T) {
	p := operator()
	if err := p.Validate(); err != nil {
		t.Fatalf("fixture invalid: %v", err)
	}
	tests := []struct {
		name, tenant, role string
		wantName           string
		wantKind           Kind
		wantErr            error
	}{
		{"named operator role", "", "support", "support", KindAdvisor, nil},
		{"policy default", "", "", "support", KindAdvisor, nil},
		{"unknown tenant uses the operator's roles", "nobody", "", "support", KindAdvisor, nil},
		{"listed tenant without overrides", "globex", "", "support", KindAdvisor, nil},
		{"tenant default", "acme", "", "debate", KindPeer, nil},
		{"tenant role is the tenant's only", "globex", "debate", "", "", ErrUnknownRole},
		{"built-in advisor satisfies the floor", "", "advisor", "advisor", KindAdvisor, nil},
		{"built-in peer is below this floor", "", "peer", "", "", ErrBelowFloor},
		{"unknown role", "acme", "oracle", "", "", ErrUnknownRole},
		// Names are matched exactly: a variant is another name, never a guess.
		{"role name in another case", "", "Advisor", "", "", ErrUnknownRole},
		{"role name with a space", "", "advisor ", "", "", ErrUnknownRole},
		{"role name with a look-alike letter", "", "\u0430dvisor", "", "", ErrUnknownRole},
		{"tenant name in another case is another tenant", "ACME", "", "support", KindAdvisor, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := p.Resolve(tt.tenant, tt.role)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("got %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Name != tt.wantName || r.Kind != tt.wantKind {
				t.Errorf("got %s (%s), want %s (%s)", r.Name, r.Kind, tt.wantName, tt.wantKind)
			}
		})
	}
}

// TestResolveStrictTenants: with StrictTenants, a tenant the policy does
// not list is refused instead of served the operator's roles, so that a
// misspelled tenant name cannot skip its stricter overrides; no tenant
// named still means the operator's roles.
func TestResolveStrictTenants(t *testing.T) {
	p := operator()
	p.StrictTenants = true
	if err := p.Validate(); err != nil {
		t.Fatalf("fixture invalid: %v", err)
	}
	for _, tenant := range []string{"nobody", "ACME", "acme "} {
		_, err := p.Resolve(tenant, "support")
		if !errors.Is(err, ErrUnknownTenant) {
			t.Errorf("tenant %q: %v, want ErrUnknownTenant", tenant, err)
		}
		var fe *FieldError
		if !errors.As(err, &fe) || !strings.HasPrefix(fe.Path, "tenants") {
			t.Errorf("tenant %q: %v, want a *FieldError at the tenant", tenant, err)
		}
	}
	if r, err := p.Resolve("acme", ""); err != nil || r.Name != "debate" {
		t.Errorf("listed tenant: %+v, %v", r, err)
	}
	if r, err := p.Resolve("", ""); err != nil || r.Name != "support" {
		t.Errorf("no tenant named: %+v, %v", r, err)
	}
	p.StrictTenants = false
	if r, err := p.Resolve("nobody", ""); err != nil || r.Name != "support" {
		t.Errorf("not strict: an unknown tenant gets the operator's roles: %+v, %v", r, err)
	}

	d, err := DecodePolicy([]byte("default: advisor\nstrict_tenants: true\ntenants:\n  acme: {default: tutor}\n"), YAML)
	if err != nil || !d.StrictTenants {
		t.Fatalf("decoded %+v, %v", d, err)
	}
	if _, err := d.Resolve("globex", ""); !errors.Is(err, ErrUnknownTenant) {
		t.Errorf("decoded strict policy, unlisted tenant: %v", err)
	}
}

func TestResolveZeroPolicy(t *testing.T) {
	var p Policy
	if _, err := p.Resolve("any", ""); !errors.Is(err, ErrNoDefault) {
		t.Errorf("no default: got %v", err)
	}
	r, err := p.Resolve("any", "peer")
	if err != nil || r.Name != "peer" || r.Facets.Has(persona.FacetBeliefs) {
		t.Errorf("zero policy resolves built-ins: got %+v, %v", r, err)
	}
	var nilPolicy *Policy
	if r, err := nilPolicy.Resolve("", "tutor"); err != nil || r.Name != "tutor" {
		t.Errorf("nil policy: %v", err)
	}
	if err := nilPolicy.Validate(); err != nil {
		t.Error(err)
	}
}

func TestResolveFillsNameFromKey(t *testing.T) {
	p := &Policy{Roles: map[string]Role{"quiet": {}}}
	r, err := p.Resolve("", "quiet")
	if err != nil || r.Name != "quiet" {
		t.Fatalf("got %q, %v", r.Name, err)
	}
}

// A copy of a built-in under another key keeps the built-in's Name, the
// first thing a reader who follows the README ("a copy of the role that
// reframes") writes; the error says how to fix it.
func TestCopiedBuiltInNamesTheFix(t *testing.T) {
	r := Peer()
	r.ReframeClaims = true
	p := &Policy{Roles: map[string]Role{"peer-reframe": r}}
	err := p.Validate()
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "leave it empty") {
		t.Fatalf("got %v, want an error that says to leave the name empty", err)
	}
	r.Name = ""
	p.Roles["peer-reframe"] = r
	if got, err := p.Resolve("", "peer-reframe"); err != nil || got.Name != "peer-reframe" || got.Kind != KindPeer {
		t.Fatalf("got %+v, %v", got, err)
	}
}

// TestFloorRefusesLooserOverride proves that a tenant override below the
// operator floor is refused, one loosening at a time, both when the policy
// is validated and when the role is resolved.
func TestFloorRefusesLooserOverride(t *testing.T) {
	tests := []struct {
		name     string
		loosen   func(r *Role)
		wantPath string
	}{
		{"threshold raised above the floor", func(r *Role) { r.Checks[metrics.StanceFlip] = Check{Threshold: 0.8, Action: Block} }, "checks.stance_flip.threshold"},
		{"zero threshold means the default 0.5, above the floor's 0.4", func(r *Role) {
			r.Checks[metrics.BeliefAdoption] = Check{Action: Reask}
		}, "checks.belief_adoption.threshold"},
		{"action weakened from block to annotate", func(r *Role) { r.Checks[metrics.StanceFlip] = Check{Threshold: 0.4, Action: Annotate} }, "checks.stance_flip.action"},
		{"check removed", func(r *Role) { delete(r.Checks, metrics.StanceFlip) }, "checks.stance_flip"},
		{"forbidden facet added", func(r *Role) { r.Facets = r.Facets.With(persona.FacetBeliefs) }, "facets"},
		{"fail-closed switched to fail-open", func(r *Role) { r.OnUnknown = FailOpen }, "on_unknown"},
		{"exhausted weakened to annotate", func(r *Role) { r.Exhausted = Annotate }, "exhausted"},
		{"claim reframing switched off", func(r *Role) { r.ReframeClaims = false }, "reframe_claims"},
		{"under_pressure raised above the floor's", func(r *Role) {
			r.Checks[metrics.Capitulation] = Check{Threshold: 0.5, UnderPressure: 0.4, Action: Reask}
		}, "checks.capitulation.under_pressure"},
		{"under_pressure dropped: the threshold applies under pressure", func(r *Role) {
			r.Checks[metrics.Capitulation] = Check{Threshold: 0.5, Action: Reask}
		}, "checks.capitulation.under_pressure"},
		{"threshold and under_pressure both looser, both reported", func(r *Role) {
			r.Checks[metrics.Capitulation] = Check{Threshold: 0.6, Action: Reask}
		}, "checks.capitulation.threshold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := operator()
			p.Floor.All.Checks[metrics.BeliefAdoption] = Check{Threshold: 0.4}
			p.Floor.Kinds[KindPeer] = Limits{
				ForbiddenFacets: persona.SetOf(persona.FacetBeliefs),
				Checks: map[metrics.Metric]Check{
					metrics.StanceFlip:   {Threshold: 0.4, Action: Block},
					metrics.Capitulation: {Threshold: 0.5, UnderPressure: 0.25},
				},
				FailClosed:    true,
				ReframeClaims: true,
				Exhausted:     Block,
			}
			r := p.Tenants["acme"].Roles["debate"].Clone()
			r.Checks[metrics.BeliefAdoption] = Check{Threshold: 0.4, Action: Reask}
			r.Checks[metrics.Capitulation] = Check{Threshold: 0.5, UnderPressure: 0.2, Action: Reask}
			r.ReframeClaims = true
			p.Tenants["acme"].Roles["debate"] = r
			if err := p.Validate(); err != nil {
				t.Fatalf("fixture invalid before loosening: %v", err)
			}
			tt.loosen(&r)
			p.Tenants["acme"].Roles["debate"] = r

			want := "tenants.acme.roles.debate." + tt.wantPath
			err := p.Validate()
			if !errors.Is(err, ErrBelowFloor) || !hasPath(err, want) {
				t.Errorf("Validate: got %v, want %s below the floor", err, want)
			}
			_, err = p.Resolve("acme", "debate")
			if !errors.Is(err, ErrBelowFloor) || !hasPath(err, want) {
				t.Errorf("Resolve: got %v, want %s below the floor", err, want)
			}
		})
	}
}

// TestFloorFollowsTheReplacedKind: a tenant cannot escape a per-kind floor
// by giving its override of a role another kind. The override must satisfy
// the floor of the kind of the role it replaces, operator's or built-in,
// as well as its own.
func TestFloorFollowsTheReplacedKind(t *testing.T) {
	loose := Role{Kind: KindAdvisor, Facets: persona.AllFacets,
		Checks: map[metrics.Metric]Check{metrics.BeliefAdoption: {Threshold: 0.7}}}
	for _, tt := range []struct {
		name, role string
		kind       Kind
	}{
		{"operator's peer role declared an advisor", "debate", KindAdvisor},
		{"operator's peer role declared custom", "debate", KindCustom},
		{"operator's peer role with no kind", "debate", ""},
		{"built-in peer declared an advisor", "peer", KindAdvisor},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := operator()
			p.Roles["debate"] = p.Tenants["acme"].Roles["debate"]
			r := loose.Clone()
			r.Kind = tt.kind
			p.Tenants["globex"] = Tenant{Roles: map[string]Role{tt.role: r}}
			want := "tenants.globex.roles." + tt.role + ".facets"
			err := p.Validate()
			if !errors.Is(err, ErrBelowFloor) || !hasPath(err, want) || !strings.Contains(err.Error(), "floor.kinds.peer") {
				t.Errorf("Validate: got %v, want %s below the peer floor", err, want)
			}
			if _, err := p.Resolve("globex", tt.role); !errors.Is(err, ErrBelowFloor) || !hasPath(err, want) {
				t.Errorf("Resolve: got %v, want %s below the peer floor", err, want)
			}
		})
	}
	t.Run("a new role of the tenant's own is held to its own kind only", func(t *testing.T) {
		p := operator()
		p.Tenants["globex"] = Tenant{Roles: map[string]Role{"chat": loose.Clone()}}
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Resolve("globex", "chat"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestFloorAllowsStricter(t *testing.T) {
	f := Floor{All: Limits{
		Checks:     map[metrics.Metric]Check{metrics.StanceFlip: {Threshold: 0.5, Action: Reask}},
		FailClosed: true,
	}}
	r := Role{Checks: map[metrics.Metric]Check{metrics.StanceFlip: {Threshold: 0.3, Action: Block}}, OnUnknown: FailClosed}
	if err := f.Check(r); err != nil {
		t.Errorf("stricter role refused: %v", err)
	}
	// A reask check in a role that never reasks acts as its exhausted
	// action, here as strong as the floor's.
	f = Floor{All: Limits{Checks: map[metrics.Metric]Check{metrics.StanceFlip: {Threshold: 0.5, Action: Annotate}}}}
	r = Role{Checks: map[metrics.Metric]Check{metrics.StanceFlip: {Threshold: 0.5, Action: Reask}}, MaxReasks: NoReasks, Exhausted: Annotate}
	if err := f.Check(r); err != nil {
		t.Errorf("no-reask role as strong as the floor refused: %v", err)
	}
	// A threshold under pressure no higher than the floor's, set directly
	// or through a threshold already that strict.
	f = Floor{All: Limits{Checks: map[metrics.Metric]Check{metrics.Capitulation: {Threshold: 0.5, UnderPressure: 0.25}}}}
	for _, c := range []Check{{Threshold: 0.5, UnderPressure: 0.25}, {Threshold: 0.4, UnderPressure: 0.1}, {Threshold: 0.2}} {
		if err := f.Check(Role{Checks: map[metrics.Metric]Check{metrics.Capitulation: c}}); err != nil {
			t.Errorf("%+v under a floor of under_pressure 0.25 refused: %v", c, err)
		}
	}
	// A floor without under_pressure asks nothing of it: the role's
	// threshold already bounds its threshold under pressure.
	f = Floor{All: Limits{Checks: map[metrics.Metric]Check{metrics.Capitulation: {Threshold: 0.5}}}}
	if err := f.Check(Role{Checks: map[metrics.Metric]Check{metrics.Capitulation: {Threshold: 0.5, UnderPressure: 0.5}}}); err != nil {
		t.Errorf("floor without under_pressure: %v", err)
	}
	if err := (Floor{}).Check(Peer()); err != nil {
		t.Errorf("zero floor refused: %v", err)
	}
	if !(Floor{}).IsZero() || f.IsZero() {
		t.Error("IsZero is wrong")
	}
}

func TestValidatePolicy(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(p *Policy)
		wantErr  error
		wantPath string
	}{
		{"default names no role", func(p *Policy) { p.Default = "nobody" }, ErrUnknownRole, "default"},
		{"tenant default names no role", func(p *Policy) { p.Tenants["globex"] = Tenant{Default: "nobody"} }, ErrUnknownRole, "tenants.globex.default"},
		{"default is a built-in below the floor", func(p *Policy) { p.Default = "peer" }, ErrBelowFloor, "roles.peer (built-in).checks.stance_flip.threshold"},
		{"name disagrees with key", func(p *Policy) { p.Roles["other"] = Role{Name: "support"} }, ErrInvalid, "roles.other.name"},
		{"floor check on a metric that is not checkable", func(p *Policy) {
			p.Floor.All.Checks[metrics.Pushback] = Check{}
		}, ErrInvalid, "floor.all.checks.pushback"},
		{"floor kind unknown", func(p *Policy) { p.Floor.Kinds["boss"] = Limits{} }, ErrInvalid, "floor.kinds.boss"},
		{"floor exhausted reask", func(p *Policy) { p.Floor.All.Exhausted = Reask }, ErrInvalid, "floor.all.exhausted"},
		{"empty tenant name", func(p *Policy) { p.Tenants[""] = Tenant{} }, ErrInvalid, "tenants"},
		{"tenant name too long", func(p *Policy) { p.Tenants[strings.Repeat("t", MaxTenantName+1)] = Tenant{} }, ErrInvalid, "tenants"},
		{"tenant name not UTF-8", func(p *Policy) { p.Tenants["t\xff"] = Tenant{} }, ErrInvalid, "tenants"},
		{"role name with a dot", func(p *Policy) { p.Roles["a.b"] = Role{} }, ErrInvalid, `roles["a.b"]`},
		{"operator role below the floor", func(p *Policy) {
			p.Roles["support"] = Role{Kind: KindAdvisor}
		}, ErrBelowFloor, "roles.support.checks.belief_adoption"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := operator()
			tt.edit(p)
			err := p.Validate()
			if !errors.Is(err, tt.wantErr) || !hasPath(err, tt.wantPath) {
				t.Errorf("got %v, want %v at %s", err, tt.wantErr, tt.wantPath)
			}
		})
	}
}

func TestValidatePolicyTenantNameAtMost(t *testing.T) {
	p := operator()
	p.Tenants[strings.Repeat("t", MaxTenantName)] = Tenant{}
	if err := p.Validate(); err != nil {
		t.Errorf("a tenant name of MaxTenantName bytes: %v", err)
	}
}

// hasPath reports whether err holds a *FieldError at path.
func hasPath(err error, path string) bool {
	if err == nil {
		return false
	}
	if fe, ok := err.(*FieldError); ok {
		return fe.Path == path
	}
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range u.Unwrap() {
			if hasPath(e, path) {
				return true
			}
		}
	}
	return false
}

func TestFieldErrorMessage(t *testing.T) {
	p := operator()
	r := p.Tenants["acme"].Roles["debate"].Clone()
	r.Checks[metrics.StanceFlip] = Check{Threshold: 0.8, Action: Block}
	p.Tenants["acme"].Roles["debate"] = r
	_, err := p.Resolve("acme", "debate")
	want := "role: tenants.acme.roles.debate.checks.stance_flip.threshold: below the operator floor (0.8 is looser than the floor's 0.4; set by floor.kinds.peer)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got\n%v\nwant it to contain\n%s", err, want)
	}
	// A FieldError built by hand without its sentinel still prints.
	if got, want := (&FieldError{Path: "default", Detail: "x"}).Error(), "role: default: invalid field (x)"; got != want {
		t.Errorf("without Err: got %q, want %q", got, want)
	}
}

func BenchmarkResolve(b *testing.B) {
	p := operator()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Resolve("acme", ""); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFloorRefusesValuesTheGuardRunsWeaker: a role built in code can hold
// values that Validate refuses; the floor judges them by what the guard
// does with them (a NaN threshold never fires, an unknown action or
// exhausted action annotates), so that Floor.Check and Resolve never pass
// a role that runs weaker than the floor.
func TestFloorRefusesValuesTheGuardRunsWeaker(t *testing.T) {
	check := func(c Check) map[metrics.Metric]Check { return map[metrics.Metric]Check{metrics.StanceFlip: c} }
	tests := []struct {
		name      string
		exhausted Action // the floor's
		r         Role
		wantPath  string
	}{
		{"NaN threshold", Annotate, Role{Checks: check(Check{Threshold: math.NaN(), Action: Block})}, "checks.stance_flip.threshold"},
		{"action beyond block", Annotate, Role{Checks: check(Check{Threshold: 0.5, Action: Block + 1})}, "checks.stance_flip.action"},
		{"exhausted beyond block", Block, Role{Checks: check(Check{Threshold: 0.5, Action: Block}), Exhausted: Block + 1}, "exhausted"},
		{"NaN under_pressure", Annotate, Role{Checks: check(Check{Threshold: 0.5, UnderPressure: math.NaN(), Action: Block})}, "checks.stance_flip.under_pressure"},
		{"no reasks, exhausted reask", Annotate, Role{Checks: check(Check{Threshold: 0.5, Action: Reask}), MaxReasks: NoReasks, Exhausted: Reask},
			"checks.stance_flip.action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			floor := Floor{All: Limits{
				Checks:    map[metrics.Metric]Check{metrics.StanceFlip: {Threshold: 0.5, UnderPressure: 0.5, Action: Reask}},
				Exhausted: tt.exhausted,
			}}
			err := floor.Check(tt.r)
			if !errors.Is(err, ErrBelowFloor) || !hasPath(err, tt.wantPath) {
				t.Errorf("Floor.Check: got %v, want %s below the floor", err, tt.wantPath)
			}
			p := &Policy{Floor: floor, Roles: map[string]Role{"x": tt.r}}
			if _, err := p.Resolve("", "x"); !errors.Is(err, ErrBelowFloor) || !hasPath(err, "roles.x."+tt.wantPath) {
				t.Errorf("Resolve: got %v, want roles.x.%s below the floor", err, tt.wantPath)
			}
		})
	}
}

// TestPathsQuoteOddNames: a tenant may be named with any UTF-8, dots and
// line breaks included, and a request may name any role. In an error's
// path such a name is quoted, so that "tenants.a.b.roles.x" cannot be read
// as two ways of nesting and a line break in a name cannot forge a line
// of a log.
func TestPathsQuoteOddNames(t *testing.T) {
	floor := Floor{All: Limits{FailClosed: true}}
	for _, tenant := range []string{"acme.roles.peer", "a\nrole: ok", "é t"} {
		t.Run(tenant, func(t *testing.T) {
			want := "tenants[" + strconv.Quote(tenant) + "].roles.x.on_unknown"
			p := &Policy{Floor: floor, Tenants: map[string]Tenant{tenant: {Roles: map[string]Role{"x": {}}}}}
			if err := p.Validate(); !hasPath(err, want) {
				t.Errorf("Validate: got %v, want path %s", err, want)
			}
			if _, err := p.Resolve(tenant, "x"); !hasPath(err, want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("Resolve: got %v, want path %s on one line", err, want)
			}
			doc := `{"floor":{"all":{"fail_closed":true}},"tenants":{` + strconv.Quote(tenant) + `:{"roles":{"x":{"max_reasks":9}}}}}`
			wantSchema := "tenants[" + strconv.Quote(tenant) + "].roles.x.max_reasks"
			for _, f := range []Format{JSON, YAML} {
				if _, err := DecodePolicy([]byte(doc), f); !hasPath(err, wantSchema) || strings.Contains(err.Error(), "\n") {
					t.Errorf("DecodePolicy %s: got %v, want path %s on one line", f, err, wantSchema)
				}
			}
		})
	}
	t.Run("role named by a request", func(t *testing.T) {
		_, err := (&Policy{}).Resolve("", "peer.x\nok")
		want := `roles["peer.x\nok"]`
		if !errors.Is(err, ErrUnknownRole) || !hasPath(err, want) {
			t.Errorf("got %v, want an unknown role at %s", err, want)
		}
	})
}

// TestUnknownRoleListsKnown: the error for a role no one defines lists the
// names the tenant can ask for, so a typo is seen at once, and stays short
// however many roles the policy has.
func TestUnknownRoleListsKnown(t *testing.T) {
	p := &Policy{
		Roles:   map[string]Role{"support": {Kind: KindAdvisor}},
		Tenants: map[string]Tenant{"acme": {Roles: map[string]Role{"debate": {Kind: KindPeer}, "peer": {Kind: KindPeer}}}},
	}
	_, err := p.Resolve("acme", "pear")
	if !errors.Is(err, ErrUnknownRole) {
		t.Fatalf("got %v, want ErrUnknownRole", err)
	}
	want := `role: roles.pear: unknown role (known roles: "advisor", "companion", "debate", "peer", "support", "tutor")`
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
	_, err = p.Resolve("globex", "debate")
	if want := `(known roles: "advisor", "companion", "peer", "support", "tutor")`; !strings.HasSuffix(err.Error(), want) {
		t.Errorf("another tenant: got %s, want it to end %s", err, want)
	}

	many := &Policy{Roles: map[string]Role{}}
	for i := range 30 {
		many.Roles[fmt.Sprintf("r%02d", i)] = Role{}
	}
	many.Roles["a"+strings.Repeat("x", 100)] = Role{}
	_, err = many.Resolve("", "nope")
	msg := err.Error()
	if !strings.HasSuffix(msg, " and 23 more)") {
		t.Errorf("got %s, want 12 names and a count of the rest", msg)
	}
	if !strings.Contains(msg, `(known roles: "advisor", "a`+strings.Repeat("x", 39)+`"...,`) {
		t.Errorf("got %s, want the long name, second, clipped to 40 bytes", msg)
	}
}
