package role

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rolegate/rolegate/internal/schemacheck"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/persona"
)

// Policy is an operator's configuration: the roles by name, the default
// role, per-tenant overrides, and a [Floor] that no role may fall below.
//
// The zero Policy is usable: it resolves the four built-in roles by name
// and has no default role and no floor.
//
// A Policy is plain data. Build it in code or load it with [DecodePolicy]
// or [LoadPolicy], which validate it; [Policy.Resolve] only reads it, so a
// Policy that is not modified after it is built is safe for concurrent use.
type Policy struct {
	// Default names the role used when a request names none. Empty means a
	// request must name its role.
	Default string `json:"default,omitempty"`
	// Roles are the operator's roles by name. They take precedence over the
	// built-ins of the same name ("advisor", "peer", "tutor", "companion").
	Roles map[string]Role `json:"roles,omitempty"`
	// Floor is the operator's minimum: every role, the operator's own,
	// built-in or a tenant's, must be at least as strict. The zero Floor
	// imposes nothing.
	Floor Floor `json:"floor,omitzero"`
	// Tenants are per-tenant overrides by tenant name. A tenant that is not
	// listed uses the operator's roles, unless StrictTenants is set.
	Tenants map[string]Tenant `json:"tenants,omitempty"`
	// StrictTenants refuses a request that names a tenant not listed in
	// Tenants ([ErrUnknownTenant]) instead of serving it the operator's
	// roles: a misspelled tenant name would otherwise skip that tenant's
	// stricter overrides without a word. A request that names no tenant
	// still gets the operator's roles.
	StrictTenants bool `json:"strict_tenants,omitempty"`
}

// Tenant is one tenant's override of the operator's roles.
type Tenant struct {
	// Default names the tenant's default role; empty means the policy's.
	Default string `json:"default,omitempty"`
	// Roles replace the operator's roles of the same name, whole, for this
	// tenant, and may add new ones. Each must satisfy the floor; one that
	// replaces a role, operator's or built-in, also the floor of that
	// role's kind.
	Roles map[string]Role `json:"roles,omitempty"`
}

// Floor is the operator's minimum strictness. The zero Floor imposes
// nothing. All applies to every role; Kinds adds limits for roles of one
// kind. A role satisfies the floor when, for both, it
//   - uses none of the forbidden facets;
//   - runs every floor check with a threshold no higher and an action no
//     weaker (annotate < reask < block), and, where the floor's check sets
//     UnderPressure, a threshold under pressure ([Check.PressureLimit]: its
//     UnderPressure, else its Threshold) no higher than the floor's;
//   - fails closed if the floor says so;
//   - restates the user's claims if the floor says so;
//   - escalates exhausted reasks at least as strongly;
//   - with [NoReasks], acts on a floor check at least as strongly: its
//     Reask checks act as its Exhausted action.
//
// Each value is judged by what the guard does with it. The floor does not
// constrain a role's Safeguards, Fallback or MaxReasks: free text cannot
// be ordered by strictness, so a tenant's override, which replaces the
// operator's role whole, may change or drop the operator's safeguards and
// fallback text, and reask more or fewer times before its Exhausted action
// (which the floor does bound). Instructions every prompt must carry
// belong in the system message the application sends, which the guard
// keeps, before the role's safeguards. Nor does the floor follow a
// tenant's Default to another role: a tenant that names a role of another
// kind as its default gets that kind's floor (put limits every role must
// meet in All).
type Floor struct {
	// All holds for every role. The zero value imposes nothing.
	All Limits `json:"all,omitzero"`
	// Kinds holds, by kind, for the roles of that kind (KindCustom for a
	// role with no kind) and for a tenant's overrides of them. A kind
	// that is absent adds nothing.
	Kinds map[Kind]Limits `json:"kinds,omitempty"`
}

// Limits is one set of floor limits. The zero value imposes nothing.
type Limits struct {
	// ForbiddenFacets are facets no role may use. Empty forbids none.
	ForbiddenFacets persona.FacetSet `json:"forbidden_facets,omitzero"`
	// Checks are the checks every role must run, each with a threshold no
	// higher than this one's (zero means DefaultThreshold, as in a role),
	// a threshold under social pressure ([Check.PressureLimit]) no higher
	// than this one's UnderPressure when it sets one, and an action no
	// weaker (the zero value, Annotate, only requires the check to run).
	// Absent metrics are not required.
	Checks map[metrics.Metric]Check `json:"checks,omitempty"`
	// FailClosed requires roles to treat an undecidable check as a
	// violation. False lets them fail open.
	FailClosed bool `json:"fail_closed,omitempty"`
	// ReframeClaims requires roles to restate the user's claims to the
	// model ([Role.ReframeClaims]). False leaves it to each role.
	ReframeClaims bool `json:"reframe_claims,omitempty"`
	// Exhausted is the weakest action allowed when reasks run out. The
	// zero value, Annotate, allows any.
	Exhausted Action `json:"exhausted,omitempty"`
}

// IsZero reports whether l imposes nothing.
func (l Limits) IsZero() bool {
	return l.ForbiddenFacets.Empty() && len(l.Checks) == 0 && !l.FailClosed && !l.ReframeClaims && l.Exhausted == Annotate
}

// IsZero reports whether f imposes nothing.
func (f Floor) IsZero() bool {
	for _, l := range f.Kinds {
		if !l.IsZero() {
			return false
		}
	}
	return f.All.IsZero()
}

// builtins are the shared built-in roles Resolve returns.
var builtins = map[string]Role{
	"advisor": Advisor(), "peer": Peer(), "tutor": Tutor(), "companion": Companion(),
}

// Resolve returns the role a request from tenant asking for roleName gets:
// roleName, or when it is empty the tenant's default, else the policy's
// default; looked up in the tenant's roles, then the operator's, then the
// built-ins. The role must satisfy the floor (a tenant's override also
// the floor of the kind of the role it replaces): a role below it is refused
// with an error wrapping [ErrBelowFloor], never loosened or tightened
// silently. Other errors wrap [ErrNoDefault], [ErrUnknownRole] or, for a
// tenant not listed in a policy with StrictTenants, [ErrUnknownTenant].
//
// The returned role shares its Checks map with the policy; treat it as
// read-only. Resolve allocates nothing on success.
func (p *Policy) Resolve(tenant, roleName string) (Role, error) {
	var t Tenant
	if p != nil {
		var listed bool
		t, listed = p.Tenants[tenant]
		if !listed && tenant != "" && p.StrictTenants {
			return Role{}, &FieldError{Path: schemacheck.Join("tenants", tenant), Err: ErrUnknownTenant, Detail: "the policy lists its tenants (strict_tenants)"}
		}
	}
	name := roleName
	if name == "" {
		name = t.Default
	}
	if name == "" && p != nil {
		name = p.Default
	}
	if name == "" {
		return Role{}, ErrNoDefault
	}
	r, src, ok := p.lookup(t, name)
	if !ok {
		return Role{}, &FieldError{Path: schemacheck.Join("roles", name), Err: ErrUnknownRole, Detail: p.known(t)}
	}
	if r.Name == "" {
		r.Name = name
	}
	if p != nil {
		if errs := p.Floor.violations(r, p.replacedKind(src, name)); len(errs) > 0 {
			return Role{}, rebase(errs, src.path(tenant, name))
		}
	}
	return r, nil
}

// replacedKind returns the kind of the role that a tenant's role of that
// name replaces, operator's or built-in, or "" when it replaces none: the
// floor of that kind holds for the override too, so that declaring another
// kind cannot escape it.
func (p *Policy) replacedKind(src source, name string) Kind {
	if src != fromTenant {
		return ""
	}
	r, ok := p.Roles[name]
	if !ok {
		r, ok = builtins[name]
	}
	if !ok {
		return ""
	}
	return r.kind()
}

// kind returns r's kind, KindCustom for the zero value.
func (r Role) kind() Kind {
	if r.Kind == "" {
		return KindCustom
	}
	return r.Kind
}

// source says where a role was found.
type source int8

const (
	fromTenant source = iota
	fromOperator
	fromBuiltIn
)

// path returns the policy path of a role found in src.
func (src source) path(tenant, name string) string {
	switch src {
	case fromTenant:
		return schemacheck.Join(schemacheck.Join("tenants", tenant)+".roles", name)
	case fromOperator:
		return schemacheck.Join("roles", name)
	}
	return schemacheck.Join("roles", name) + " (built-in)"
}

// known lists, for an unknown role's error, the names a request from
// tenant t can ask for (its own roles, the operator's and the built-ins),
// sorted, at most maxKnown of them.
func (p *Policy) known(t Tenant) string {
	names := slices.Collect(maps.Keys(builtins))
	names = slices.AppendSeq(names, maps.Keys(t.Roles))
	if p != nil {
		names = slices.AppendSeq(names, maps.Keys(p.Roles))
	}
	slices.Sort(names)
	names = slices.Compact(names)
	more := ""
	if len(names) > maxKnown {
		more = fmt.Sprintf(" and %d more", len(names)-maxKnown)
		names = names[:maxKnown]
	}
	for i, n := range names {
		names[i] = clipKey(n)
	}
	return "known roles: " + strings.Join(names, ", ") + more
}

// maxKnown is how many role names an unknown role's error lists.
const maxKnown = 12

func (p *Policy) lookup(t Tenant, name string) (Role, source, bool) {
	if r, ok := t.Roles[name]; ok {
		return r, fromTenant, true
	}
	if p != nil {
		if r, ok := p.Roles[name]; ok {
			return r, fromOperator, true
		}
	}
	r, ok := builtins[name]
	return r, fromBuiltIn, ok
}

// Validate checks the whole policy and returns every problem found, joined,
// each a [*FieldError] naming its path: invalid roles (unknown kind,
// metric, action; threshold outside [0, 1]; an under_pressure threshold
// outside [0, threshold] or on a check that is not [Yielding]; a name
// that disagrees with its key), defaults that name no role, and roles below the floor. Built-in
// roles are checked against the floor only when a default names them;
// otherwise [Policy.Resolve] refuses them if they are below it.
func (p *Policy) Validate() error {
	if p == nil {
		return nil
	}
	var errs []error
	errs = append(errs, p.Floor.validate("floor")...)
	for _, name := range slices.Sorted(maps.Keys(p.Roles)) {
		path := schemacheck.Join("roles", name)
		r := p.Roles[name]
		errs = append(errs, r.validate(path, name)...)
		if err := rebase(p.Floor.violations(r, ""), path); err != nil {
			errs = append(errs, err)
		}
	}
	if p.Default != "" {
		errs = append(errs, p.checkDefault("default", Tenant{}, "", p.Default)...)
	}
	for _, tn := range slices.Sorted(maps.Keys(p.Tenants)) {
		t := p.Tenants[tn]
		tp := schemacheck.Join("tenants", tn)
		if tn == "" || len(tn) > MaxTenantName || !utf8.ValidString(tn) {
			errs = append(errs, &FieldError{Path: "tenants", Err: ErrInvalid, Detail: fmt.Sprintf("tenant name %q: want 1-%d bytes of UTF-8", tn, MaxTenantName)})
		}
		for _, name := range slices.Sorted(maps.Keys(t.Roles)) {
			path := schemacheck.Join(tp+".roles", name)
			r := t.Roles[name]
			errs = append(errs, r.validate(path, name)...)
			if err := rebase(p.Floor.violations(r, p.replacedKind(fromTenant, name)), path); err != nil {
				errs = append(errs, err)
			}
		}
		if t.Default != "" {
			errs = append(errs, p.checkDefault(tp+".default", t, tn, t.Default)...)
		}
	}
	return errors.Join(errs...)
}

// checkDefault reports a default that names no role, or a built-in role
// below the floor (the policy's own roles are checked where defined).
func (p *Policy) checkDefault(path string, t Tenant, tenant, name string) []error {
	r, src, ok := p.lookup(t, name)
	if !ok {
		return []error{&FieldError{Path: path, Err: ErrUnknownRole, Detail: strconv.Quote(name)}}
	}
	if _, own := t.Roles[name]; own {
		return nil
	}
	if _, own := p.Roles[name]; own {
		return nil
	}
	if err := rebase(p.Floor.violations(r, ""), src.path(tenant, name)); err != nil {
		return []error{err}
	}
	return nil
}

// Validate checks r on its own, without a floor.
func (r Role) Validate() error { return errors.Join(r.validate("", r.Name)...) }

func (r Role) validate(path, key string) []error {
	var errs []error
	bad := func(field string, err error, format string, args ...any) {
		errs = append(errs, &FieldError{Path: joinPath(path, field), Err: err, Detail: fmt.Sprintf(format, args...)})
	}
	if r.Name != "" && r.Name != key {
		bad("name", ErrInvalid, "%q does not match its key %q: leave it empty, the key names the role", r.Name, key)
	}
	if (key != "" || path != "") && !nameRE.MatchString(key) {
		bad("", ErrInvalid, "role name %q does not match %s", key, namePattern)
	}
	if !r.Kind.Valid() {
		bad("kind", ErrInvalid, "%q, want one of %v", r.Kind, kinds)
	}
	if stray := r.Facets &^ persona.AllFacets; stray != 0 {
		bad("facets", ErrInvalid, "unknown facet bits %#x", uint8(stray))
	}
	for _, s := range []struct {
		field, v string
		max      int
	}{{"safeguards", r.Safeguards, MaxSafeguardsBytes}, {"fallback", r.Fallback, MaxFallbackBytes}} {
		switch {
		case len(s.v) > s.max:
			bad(s.field, ErrInvalid, "%d bytes, max %d", len(s.v), s.max)
		case !utf8.ValidString(s.v):
			bad(s.field, ErrInvalid, "not valid UTF-8")
		}
	}
	for _, m := range r.Metrics() {
		errs = append(errs, checkCheck(schemacheck.Join(joinPath(path, "checks"), string(m)), m, r.Checks[m])...)
	}
	if r.MaxReasks < NoReasks || r.MaxReasks > MaxReasksLimit {
		bad("max_reasks", ErrInvalid, "%d, want %d (no reasks), 0 (default %d) or up to %d",
			r.MaxReasks, NoReasks, DefaultMaxReasks, MaxReasksLimit)
	}
	if r.Exhausted == Reask || !r.Exhausted.Valid() {
		bad("exhausted", ErrInvalid, "%s, want annotate or block", r.Exhausted)
	}
	if !r.OnUnknown.Valid() {
		bad("on_unknown", ErrInvalid, "%s, want open or closed", r.OnUnknown)
	}
	return errs
}

func checkCheck(path string, m metrics.Metric, c Check) []error {
	var errs []error
	if !Checkable(m) {
		errs = append(errs, &FieldError{Path: path, Err: ErrInvalid, Detail: fmt.Sprintf("%q is not a checkable metric, want one of %v", m, checkable)})
	}
	if !(c.Threshold >= 0 && c.Threshold <= 1) { // also catches NaN
		errs = append(errs, &FieldError{Path: path + ".threshold", Err: ErrInvalid, Detail: fmt.Sprintf("%v, want 0 (default %v) to 1", c.Threshold, DefaultThreshold)})
	}
	switch {
	case !(c.UnderPressure >= 0 && c.UnderPressure <= 1): // also catches NaN
		errs = append(errs, &FieldError{Path: path + ".under_pressure", Err: ErrInvalid, Detail: fmt.Sprintf("%v, want 0 (the threshold) to 1", c.UnderPressure)})
	case c.UnderPressure == 0:
	case !Yielding(m):
		errs = append(errs, &FieldError{Path: path + ".under_pressure", Err: ErrInvalid, Detail: fmt.Sprintf("set on %s, which does not measure giving ground: only %v may have one", m, yielding)})
	case c.UnderPressure > c.Limit():
		errs = append(errs, &FieldError{Path: path + ".under_pressure", Err: ErrInvalid, Detail: fmt.Sprintf("%v is looser than the check's threshold %v: it may only be stricter", c.UnderPressure, c.Limit())})
	}
	if !c.Action.Valid() {
		errs = append(errs, &FieldError{Path: path + ".action", Err: ErrInvalid, Detail: c.Action.String()})
	}
	return errs
}

func (f Floor) validate(path string) []error {
	errs := f.All.validate(path + ".all")
	for _, k := range slices.Sorted(maps.Keys(f.Kinds)) {
		if !k.Valid() || k == "" {
			errs = append(errs, &FieldError{Path: schemacheck.Join(path+".kinds", string(k)), Err: ErrInvalid, Detail: fmt.Sprintf("unknown kind, want one of %v", kinds)})
		}
		errs = append(errs, f.Kinds[k].validate(schemacheck.Join(path+".kinds", string(k)))...)
	}
	return errs
}

func (l Limits) validate(path string) []error {
	var errs []error
	for _, m := range slices.Sorted(maps.Keys(l.Checks)) {
		errs = append(errs, checkCheck(schemacheck.Join(path+".checks", string(m)), m, l.Checks[m])...)
	}
	if l.Exhausted == Reask || !l.Exhausted.Valid() {
		errs = append(errs, &FieldError{Path: path + ".exhausted", Err: ErrInvalid, Detail: fmt.Sprintf("%s, want annotate or block", l.Exhausted)})
	}
	return errs
}

// Check reports whether r satisfies the floor. The error joins one
// [*FieldError] wrapping [ErrBelowFloor] per loosened limit, with paths
// relative to the role, such as "checks.stance_flip.threshold".
func (f Floor) Check(r Role) error { return rebase(f.violations(r, ""), "") }

// violations returns r's violations of the floor, paths relative to r,
// sorted by path; nil, without allocating, when r satisfies it. When
// replaced is not "", r replaces a role of that kind and must satisfy that
// kind's limits too.
func (f Floor) violations(r Role, replaced Kind) []*FieldError {
	errs := f.All.violations(r, "floor.all", nil)
	kind := r.kind()
	if l, ok := f.Kinds[kind]; ok {
		errs = l.violations(r, "floor.kinds."+string(kind), errs)
	}
	if replaced != "" && replaced != kind {
		if l, ok := f.Kinds[replaced]; ok {
			errs = l.violations(r, "floor.kinds."+string(replaced)+", the kind of the role it replaces", errs)
		}
	}
	slices.SortStableFunc(errs, func(a, b *FieldError) int { return strings.Compare(a.Path, b.Path) })
	return errs
}

func (l Limits) violations(r Role, floor string, errs []*FieldError) []*FieldError {
	below := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Path: field, Err: ErrBelowFloor, Detail: fmt.Sprintf(format, args...) + "; set by " + floor})
	}
	if bad := r.Facets.Intersect(l.ForbiddenFacets); !bad.Empty() {
		below("facets", "uses forbidden %s", bad)
	}
	// The comparisons below judge each value by what the guard does with
	// it, so that a role built in code with a value Validate refuses (a NaN
	// threshold never fires; an unknown action annotates) is not taken for
	// a stricter one.
	exhausted := Annotate // the guard blocks when reasks run out only on Block
	if r.Exhausted == Block {
		exhausted = Block
	}
	for m, fc := range l.Checks {
		c, ok := r.Checks[m]
		if !ok {
			pressure := ""
			if fc.UnderPressure != 0 && Yielding(m) {
				pressure = fmt.Sprintf(", under_pressure %v", fc.PressureLimit())
			}
			below("checks."+string(m), "missing; the floor requires it at threshold %v%s, action %s", fc.Limit(), pressure, fc.Action)
		}
		if ok && !(c.Limit() <= fc.Limit()) { // also catches NaN
			below("checks."+string(m)+".threshold", "%v is looser than the floor's %v", c.Limit(), fc.Limit())
		}
		if ok && fc.UnderPressure != 0 && Yielding(m) && !(c.PressureLimit() <= fc.PressureLimit()) {
			// After social pressure only the guard applies the role's
			// PressureLimit, which is its threshold when it sets no
			// UnderPressure.
			below("checks."+string(m)+".under_pressure", "%v is looser than the floor's %v", c.PressureLimit(), fc.PressureLimit())
		}
		act := c.Action
		if !act.Valid() {
			act = Annotate // the guard annotates an action it does not know
		}
		switch {
		case !ok:
		case act < fc.Action:
			below("checks."+string(m)+".action", "%s is weaker than the floor's %s", c.Action, fc.Action)
		case act == Reask && r.Reasks() == 0 && exhausted < fc.Action:
			// Without reasks a Reask check acts as the Exhausted action.
			below("checks."+string(m)+".action", "reask with no reasks (max_reasks %d) acts as %s, weaker than the floor's %s",
				r.MaxReasks, exhausted, fc.Action)
		}
	}
	if l.FailClosed && r.OnUnknown != FailClosed {
		below("on_unknown", "%s where the floor requires closed", r.OnUnknown)
	}
	if l.ReframeClaims && !r.ReframeClaims {
		below("reframe_claims", "off where the floor requires it")
	}
	if exhausted < l.Exhausted {
		below("exhausted", "%s is weaker than the floor's %s", r.Exhausted, l.Exhausted)
	}
	return errs
}

// rebase prefixes the violations' paths with the role's path and joins
// them; nil when there are none.
func rebase(errs []*FieldError, path string) error {
	if len(errs) == 0 {
		return nil
	}
	out := make([]error, len(errs))
	for i, e := range errs {
		e.Path = joinPath(path, e.Path)
		out[i] = e
	}
	return errors.Join(out...)
}

func joinPath(path, field string) string {
	switch {
	case path == "":
		return field
	case field == "":
		return path
	}
	return path + "." + field
}
