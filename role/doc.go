// Package role decides how far personalization may go: a [Role] is plain
// data saying which persona facets the assistant may use, which
// independence instructions (safeguards) the guard adds to the system
// prompt, whether it restates the user's claims to the model as claims to
// weigh ([Role.ReframeClaims]), which checks it runs on each answer with
// what threshold, and what it does about a violation. A [Policy] maps names to roles per operator
// and tenant under an operator [Floor].
//
// # Why roles
//
// Kelley & Riedl (arXiv 2603.00024) found that personalization made every
// model more affectively aligned (more validation, more hedging) in every
// context, but that its effect on epistemic independence depended on the
// role: personalized advisors challenged the user's framing more, while
// social peers drifted toward the user under pushback, more so when the
// pushback was personal. One global personalization dial cannot serve both;
// a role can. The built-ins [Advisor], [Peer], [Tutor] and [Companion] each
// justify their defaults with the study's numbers in their doc comments.
// Each constructor returns a fresh value, so changing one never changes
// another. Thresholds are on the heuristic scorers' [0, 1] scale; recalibrate
// them against your own labeled conversations (see package
// metrics/validation).
//
// # Acting thresholds
//
// A built-in role reasks or blocks only on a check whose heuristic reached
// precision >= 0.8 against independent labels at that threshold
// (metrics.PreciseThreshold: stance_flip 0.53, framing_acceptance 0.55,
// flattery 0.49), or on a hand-weighted check led by explicit phrases:
// capitulation, which fires on phrases only ("you're right", "I was wrong";
// right in 7 of the 8 flips it flagged), and, for the peer, preference
// accommodation ("you can have both", "go ahead", weighed with how much of
// the goal and of the preference the answer repeats; no labeled data),
// because a guard that
// reasks good answers is worse than none. After social pressure only,
// the advisor, the peer and the tutor act on capitulation at 0.36
// ([Check.UnderPressure]), where it keeps that precision on SYCON debate
// (0.85: 11 real flips of the 13 answers it flags), so that one retraction
// is enough; at 0.25 a lone "you're right" would be too (0.35), but the
// precision falls to 0.72 (see [Peer]). Belief adoption
// reaches that precision only where it flags almost nothing (its
// PreciseThreshold 0.53 found 1% of the labeled adoptions, kappa 0.01; at
// its default, kappa 0.22 and precision 0.42 on syco-bench mirror: its
// labels compare two responses, which a one-response scorer cannot see),
// so every built-in only annotates it. Configure a judge
// (guard.WithJudge) before acting on it, or before trusting preference
// accommodation's reask on your own conversations.
//
// # Checks, actions and fail modes
//
// Checks are keyed by metrics.Metric. A [Check] fires when the metric's
// score is at or above its threshold (zero means [DefaultThreshold]); a
// check that measures giving ground ([Yielding]) may set a stricter
// threshold, UnderPressure, for answers to a challenge with social
// pressure only. Its
// [Action] is [Annotate] (verdict only), [Reask] (ask again with a
// critique, at most [Role.Reasks] times, then the role's Exhausted action;
// MaxReasks [NoReasks] applies the Exhausted action at once) or [Block]
// (the role's Fallback text, or an error when it has none).
// Actions are ordered by strength. [FailMode] says whether a check that
// cannot decide (label Unknown, judge failure) counts as a violation
// ([FailClosed]) or is only recorded ([FailOpen], the zero value).
//
// # Zero values
//
// The zero Role personalizes nothing, injects nothing and checks nothing.
// The zero Policy resolves the built-in roles by name and has no default.
// The zero Floor imposes nothing.
//
// # Policies and the floor
//
// [Policy.Resolve] picks the role for a request: the named role, else the
// tenant's default, else the policy's; looked up in the tenant's overrides,
// then the operator's roles, then the built-ins. A tenant the policy does
// not list has no overrides, unless the policy sets StrictTenants
// (strict_tenants): then it is refused with [ErrUnknownTenant], so that a
// misspelled tenant cannot skip its overrides. A tenant override replaces
// the operator's role of that name whole. Every role must satisfy the
// floor of all roles and that of its kind; a tenant's override also that
// of the kind of the role it replaces, so declaring another kind does not
// escape it (a tenant's new role is held to its own kind: put limits that
// every tenant role must meet in Floor.All). Satisfying a floor means no
// forbidden facets, every floor check present with a threshold no higher
// and an action no weaker (and, where a floor check sets UnderPressure,
// a threshold under pressure no higher), fail-closed and reframing claims where the
// floor says so, and an exhausted action no weaker; each value judged by
// what the guard does with it. Safeguards, fallback text and the number
// of reasks are the role's own: a tenant's override may change them (see
// [Floor]).
// A role below the floor is refused with [ErrBelowFloor], at load time by
// [Policy.Validate] and again at [Policy.Resolve]; it is never silently
// tightened, so what the operator reads in the file is what runs. A
// built-in role that no default names is checked at Resolve only: a floor
// stricter than a built-in (a peer floor with stance_flip below 0.55)
// refuses every request for it, so check the built-ins you serve with
// [Floor.Check] or override them in Roles.
//
// # Policy files
//
// Policies load from JSON or YAML ([DecodePolicy], [LoadPolicy]) and save to
// either ([Policy.Encode], [SavePolicy]). Both formats are checked against
// [Schema], the JSON Schema generated from the Go types with
// github.com/invopop/jsonschema, and then by [Policy.Validate]. Errors are
// [*FieldError] values naming the path
// ("tenants.acme.roles.peer.checks.stance_flip.threshold"; a name with
// other characters than ASCII letters, digits, '_' and '-' is quoted:
// tenants["acme.eu"]); unknown fields
// suggest the closest known name; duplicate keys are errors in both formats.
// A minimal YAML policy:
//
//	default: advisor
//	floor:
//	  kinds:
//	    peer:
//	      forbidden_facets: [beliefs]
//	      checks:
//	        stance_flip: {threshold: 0.55, action: reask}
//	      fail_closed: true
//	tenants:
//	  acme:
//	    roles:
//	      support:
//	        kind: advisor
//	        facets: [demographics, preferences]
//	        reframe_claims: true
//	        checks:
//	          capitulation: {threshold: 0.5, under_pressure: 0.36, action: reask}
//	          stance_flip: {threshold: 0.55, action: reask}
//	          framing_acceptance: {threshold: 0.75, action: annotate}
//
// # Concurrency
//
// Roles and policies are plain data. Resolve only reads, so a Policy that
// is not modified after it is loaded is safe for concurrent use; resolved
// roles share their Checks map with the policy and must be treated as
// read-only ([Role.Clone] for a private copy).
package role
