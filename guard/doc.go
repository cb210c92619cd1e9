// Package guard is rolegate's middleware: it wraps any [chat.Client] so that
// personalization goes only as far as the assistant's role allows, and each
// answer is checked for loss of epistemic independence (sycophancy) before
// the caller gets it.
//
//	client := chat.Wrap(model, guard.New(policy, guard.WithObserver(guard.SlogObserver(logger))))
//	ctx = persona.NewContext(ctx, profile)
//	resp, err := client.Complete(ctx, &chat.Request{
//		Messages: msgs,
//		Metadata: map[string]string{guard.MetadataRole: "peer"},
//	})
//	v, _ := guard.VerdictOf(resp)
//
// # The pipeline
//
// For each request, in this order:
//
//  1. Resolve. The tenant and role names come from the request's metadata
//     ([MetadataTenant], [MetadataRole]; each valid UTF-8 of at most
//     role.MaxTenantName bytes, else [ErrInvalidMetadata]); [role.Policy.Resolve] looks the
//     role up (tenant override, operator role, built-in) or takes the
//     tenant's or the policy's default, and refuses a role below the
//     operator floor. A role that cannot be resolved fails the request with
//     a [*ResolveError] (errors.Is role.ErrUnknownRole, role.ErrNoDefault,
//     role.ErrBelowFloor, or role.ErrUnknownTenant under a policy with
//     StrictTenants): the guard never guesses a role.
//  2. Personalize. The user's profile travels in the context
//     ([persona.NewContext]); the role renders only the facets it allows
//     ([role.Role.Personalize]: third person, delimited and neutralized, so
//     profile text stays data). The block goes at the top of the system
//     prompt, where the study put the persona in its goal scenarios: into
//     the system message that opens the conversation, or a new one put
//     first (a system turn later in the conversation is left as it is). An
//     invalid profile fails the request with the persona's field error; it
//     is not dropped silently.
//  3. Safeguard. The role's independence instructions are appended to the
//     system prompt, after the caller's own system text. A role with
//     [role.Role.ReframeClaims] then gets a note, starting with
//     [ReframeHeader], that restates the last user turn in the third
//     person: the views it states ([metrics.UserClaims]: "The user states
//     as their own view: ..."), to be weighed as claims and not taken as
//     premises; the premise a leading question presupposes; and a
//     challenge of the previous answer, named as social pressure when it
//     brought no argument ([metrics.ClassifyPushback]). See Reframing.
//     Steps 2 and 3 work on a copy ([chat.Request.Clone]); the caller's
//     request is never modified. A role with no facets, no safeguards, no
//     note and no checks passes the caller's request to the model
//     untouched.
//  4. Call the model, streaming or not (see Streaming).
//  5. Check. One pass of the heuristic scorers ([metrics.Analyzer], from a
//     pool) scores the answer against the caller's conversation, for every
//     metric the role checks, against the role's threshold (not the
//     scorer's default). Installed judges ([WithJudge]) then run for the
//     metrics the role checks ([LabelJudge] adapts the LLM judge of package
//     metrics/judge for one-turn metrics, [FlipJudge] for the stance flip
//     against the conversation's first answer). See Checks.
//  6. Act on the strongest violated check's action: Annotate returns the
//     answer with the verdict; Reask sends the answer back with a critique
//     and checks the new answer, at most [role.Role.Reasks] times (never
//     with [role.NoReasks]), then applies the role's Exhausted action;
//     Block returns the role's
//     fallback text, or, without one, fails with a [*ViolationError]
//     (errors.Is [ErrBlocked]) naming the check, score, threshold and
//     evidence.
//
// The [Verdict] (each check's result, the action, every attempt, the time
// spent, the role and tenant) is attached to the response ([VerdictOf]),
// carried by a [*ViolationError], and given to every [Observer];
// [SlogObserver] logs it, and the nested module
// github.com/rolegate/rolegate/observers/otel reports it to OpenTelemetry
// (an event on the request's span, a verdict counter, a score histogram).
//
// # Checks
//
// Each check gets a [Status]. A score at or above the role's threshold is a
// violation; below, a pass. Three cases need more than the score:
//
//   - Pushback turns. The stance-flip check runs only when the last user
//     turn challenges the assistant's previous answer
//     ([metrics.ClassifyPushback]); elsewhere it is skipped, because there is
//     no earlier position under pressure. On a challenge, the checks that
//     measure giving ground (stance flip, capitulation, belief adoption) are
//     violations when the challenge was social pressure only (insistence,
//     emotion, credentials, repetition, personal stakes) and allowed when it
//     brought new evidence or an argument: changing one's mind for a reason
//     is independence, not sycophancy. So is a user turn that brings an
//     argument without a disagreement phrase ("The docs say 120 g, not
//     240 g"): a polite correction is not held to a stricter standard than
//     the same one after "I disagree". After social pressure only, such a
//     check is held to its threshold under pressure when the role sets one
//     ([role.Check.UnderPressure], lower than its threshold: one concession
//     with no reason offered can be enough); the verdict's
//     [CheckResult] reports the threshold applied, and a violation's note
//     says it was the one under pressure.
//   - Checks that do not apply. A heuristic that lacks what it compares
//     against (preference accommodation without a goal, belief adoption
//     without a user turn) says Unknown; with a non-empty answer the guard
//     records it as skipped, with the scorer's note, instead of treating it
//     as undecidable, so that a fail-closed role does not block every
//     conversation that has no goal. The guard reads a conversation's goal
//     from its system message ("Your goal is ...", see metrics.WithGoal),
//     so an application whose users have goals states them there; one
//     goal for every request can be given with WithAnalyzerOptions.
//   - Checks that cannot decide: an empty answer, a judge that fails or
//     answers Unknown or out of range. The role's OnUnknown decides: fail
//     open records [StatusUnknown] and takes no action; fail closed counts
//     a violation and takes the check's action. Never a silent pass.
//
// # Reasks
//
// A reask sends a copy of the request with two more messages: the rejected
// answer, and a critique as a user turn that starts with [CritiqueHeader]
// (an empty answer, which a fail-closed role reasks, is not sent back as an
// assistant turn with no text, which some providers reject: the critique
// alone follows the user's turn).
// The critique names each violated check, says what it means and what to
// do instead, and quotes the evidence (per check, at most three short,
// neutralized quotes from the answer, three from the user's turns and,
// when a judge points there, three from earlier answers; never text of a
// system message); for a flip under pressure it names the kinds of
// pressure. A check that could
// not decide is named with its reason, clipped as a quote is (a judge's
// whole error stays in the verdict).
// It is never a bare "are you sure?", which is itself the pushback that
// makes models flip. The new answer is checked against the caller's
// conversation as if it were the first; only the accepted answer reaches
// the caller, and the usage of all attempts is summed on the response.
//
// # Reframing
//
// Models agree with a claim more readily when the user holds it than when
// someone else does (syco-bench's attribution test measures exactly that):
// SYCON-Bench (Hong et al., 2025) found that taking a
// third-person perspective cut debate sycophancy by up to 63.8%, and the
// study behind rolegate found that a stated wrong opinion costs 14-16
// points of accuracy. [role.Role.ReframeClaims] applies that idea without
// touching what the user wrote: the user's turn reaches the model verbatim,
// and the system prompt ends with the note described in step 3, which
// quotes the claims (neutralized, at most three per kind, 120 bytes each)
// and says how to treat them. The note is recorded in [Verdict.Reframe];
// a turn that makes no claim and challenges nothing gets none.
//
// It is off in the built-in roles because it has a cost and its benefit
// depends on the model: the note makes the system prompt differ from turn
// to turn, so a provider's prompt cache, which matches the prompt's prefix,
// misses on the turns that carry one; reading the turn adds about 3.5 us to
// the guard (BenchmarkGuard/guard-reframe). Measure it on your model before
// turning it on: the bench harness runs a role and a copy of it with
// reframe_claims: true as two arms of one run (rolegate bench -roles
// peer,peer-reframe -guard); an operator floor can then require it
// (role.Limits.ReframeClaims).
//
// # Order with other middleware
//
// [chat.Chain] puts its first middleware outermost. Put the guard inside
// middleware that should see the caller's request and the final, checked
// response (logging, caching of checked answers, rate limits per caller),
// and outside middleware that should see every model call, reasks
// included, with the personalized prompt (retries, provider-specific
// rewriting, token accounting):
//
//	chat.Wrap(model, logging, guard.New(policy), retry)
//
// The chain example proves this order with its output.
//
// # Streaming
//
// With [BufferThenCheck] (the default) deltas are held until the attempt's
// checks pass, then released in the chunks they arrived in; on a reask
// only the accepted attempt is released; a block releases the fallback as
// one delta or ends the call with the error. The caller sees exactly what a
// non-streaming caller sees, and the verdict is the same (a test proves it).
// With [PassThrough] deltas are forwarded live and the verdict arrives on
// the final response; text the caller has seen cannot be reasked, and a
// block ends the call with the error after the text was seen. A role that
// cannot withhold an answer (no checks, or checks that only annotate)
// streams live in either mode, since buffering would only add latency.
//
// The checked text is always the text the caller is shown. A client whose
// deltas do not add up to its final text breaks the [chat.StreamFunc]
// contract; the guard then checks and returns, in a buffered stream, the
// final text (released as one delta, the draft deltas never shown), and in
// a live stream the concatenated deltas the caller already saw (the reply's
// text becomes those deltas and the verdict's Note says so); an attempt of
// a client that streamed nothing at all to a checked role showed the
// caller nothing, so it is treated as in a buffered stream (reasked, or
// replaced by the fallback, or released after the checks as one delta).
// The streamed text is capped per attempt in either mode
// ([DefaultMaxStreamBytes], [WithMaxStreamBytes]); past it the call fails
// with [ErrStreamLimit]. Once a stream callback returns an error (the cap,
// or the caller's StreamFunc), the call ends with that error even if the
// client streams on, and the caller is given no delta after it.
//
// # Why these defaults
//
// The built-in roles and their numbers are the role package's: see
// [role.Advisor], [role.Peer], [role.Tutor] and [role.Companion]. In short,
// from Kelley & Riedl (arXiv 2603.00024): personalization raised every
// model's affective alignment (emotional validation in 63.8-65.8% of pairs,
// hedging in 68.3-70.0%), so the guard treats tone as something to record;
// personalized advisors accepted the user's framing less (26.8% of pairs in
// advice), so advisors get the whole profile and a framing check; peers
// drifted toward the user under repeated pushback (flip odds x1.65 per
// round) and more under personal pushback (odds ratio about 2.4 in
// debate), so the guard runs the stance-flip check on every pushback turn,
// separates social pressure (Deutsch and Gerard's normative influence) from
// evidence (informational influence), and reasks rather than blocks first,
// since a critique naming the pressure gives the model the reason to hold
// its position that the pushback lacked.
//
// # Concurrency and cost
//
// A guard keeps no per-request state: all memory of a conversation comes
// from the request, and it is safe for concurrent use. The model call, the
// heuristic checks and the stream callback run on the caller's goroutine.
// Several judges of one answer run concurrently ([WithJudgeConcurrency];
// [DefaultJudgeConcurrency] at a time), each result in its installation
// order in the verdict; the call returns only after every judge has, so
// no goroutine outlives it, and the end of the call's context stops them
// all. With every heuristic check on, a 2 KB answer costs about
// 15 µs of CPU per attempt, three fifths of it the heuristic pass, and a
// rendered persona about 5 µs more per request (BenchmarkGuard; the README's
// guard section has the figures); judges cost what their model costs.
package guard
