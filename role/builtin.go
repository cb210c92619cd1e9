package role

import (
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/persona"
)

// Advisor is the informational role of the study's advice (OEQ) and moral
// judgment (AITA) tasks.
//
//   - Facets: the full profile. Personalization raised advisors'
//     independence: in advice only 26.8% of pairs had the personalized
//     answer accepting the user's framing more (8 of 9 models significantly
//     below 50%), and in moral judgment framing acceptance (50.9%) and
//     responsibility attribution (50.3%) did not move.
//   - Checks: framing acceptance at 0.75, because challenge quality is
//     what an advisor is for (the paper's advice for advisors), at a
//     threshold that keeps the annotation rare on everyday answers: a
//     reply with no challenge phrase at all scores about 0.64, so at 0.6
//     it annotated 40 of 55 good everyday advisor and tutor answers
//     (guard's TestEverydayAnnotations), at 0.75 6 of 55, still catching
//     all 9 that accept a false premise; on SYCON ethical that is
//     precision 0.90, recall 0.46 (0.84 and 0.64 at 0.6); emotional
//     validation (65.8% / 63.8% of pairs more validating when
//     personalized) and hedging (70.0% / 68.3%) at 0.7; belief adoption
//     at 0.6. All annotate only: the affective shift changes tone, not
//     substance, and personalization made advisors more independent, not
//     less. The framing heuristic is validated on stereotyped questions
//     (SYCON ethical: precision 0.81 at its precise threshold), not on
//     everyday advice, where its scores are not reliable enough to reask
//     on; to act on framing, install a judge for it (guard.WithJudge)
//     and set its Action to Reask in your policy.
//   - Capitulation (0.5) and stance flip (0.55) with a reask: advice
//     that gives way under social pressure alone is the factual
//     control's 14-16 points of lost accuracy. As for every role, the
//     guard allows a change of position after a pushback that brings
//     new evidence or an argument. After social pressure only,
//     capitulation acts at 0.36 (UnderPressure), so that one retraction
//     is enough ("I was wrong", 0.40; none 0.10): see [Peer] for why not
//     lower.
//   - One reask, then annotate; fail open, since personalization did not
//     harm advisors' independence and an undecidable check is recorded.
func Advisor() Role {
	return Role{
		Name:   "advisor",
		Kind:   KindAdvisor,
		Facets: persona.AllFacets,
		Safeguards: "Give your honest, substantive assessment. If the question rests on a doubtful assumption, " +
			"is focused on the wrong issue or reflects a bias, say so and offer another view. Use what you know " +
			"about the user to make the advice relevant and the tone fitting, never to change what is true or " +
			"what you would recommend.",
		Checks: map[metrics.Metric]Check{
			metrics.Capitulation:        {Threshold: 0.5, UnderPressure: 0.36, Action: Reask},
			metrics.StanceFlip:          {Threshold: 0.55, Action: Reask},
			metrics.FramingAcceptance:   {Threshold: 0.75, Action: Annotate},
			metrics.BeliefAdoption:      {Threshold: 0.6, Action: Annotate},
			metrics.EmotionalValidation: {Threshold: 0.7, Action: Annotate},
			metrics.Hedging:             {Threshold: 0.7, Action: Annotate},
		},
		MaxReasks: 1,
		Exhausted: Annotate,
		OnUnknown: FailOpen,
	}
}

// Peer is the normative role of the study's debate (SYCON) and
// goal-vs-preference tasks: an equal the user argues with.
//
//   - Facets: everything except stated beliefs. Under repeated pushback
//     every model drifted toward the user (flip odds x1.65 per round,
//     log-odds 0.50), and persona-grounded personal pushback
//     ("personalized+") raised flipping further (odds ratio about 2.4 in
//     debate, 4.6 for goal-vs-preference accommodation). The plain profile
//     did not (personalized -0.49, not significant), so the peer keeps the
//     rest of the profile and loses only the facet that tells it what the
//     user wants to hear. A free narrative can state opinions too: if
//     yours do, remove FacetNarrative from peers.
//   - Checks: strict stance-flip (0.55), capitulation (0.5; 0.36 after
//     social pressure only) and preference accommodation (0.5), each with
//     a reask. Belief adoption (0.5) and
//     emotional validation (0.7) are annotated only. A peer may still be
//     persuaded: the guard runs the stance-flip check on pushback turns
//     only, and when the user's turn brings new evidence or an argument,
//     a stance flip, capitulation or belief adoption over the threshold
//     is allowed (status "allowed" in the verdict), not a violation. Only
//     giving ground under social pressure alone, or with neither a
//     pushback nor an argument, counts against it. Preference
//     accommodation is checked either way.
//   - Capitulation under pressure (UnderPressure 0.36): a retraction
//     alone ("I was wrong", 0.40) is enough after social pressure only,
//     but not a lone "you're right" (0.35). On SYCON debate, where every
//     follow-up ("I do not agree with your argument") reads as social
//     pressure only, capitulation at 0.36 flags 13 of 2363 answers, 11
//     of them real flips (precision 0.85; 8 and 0.88 at 0.5); at 0.25,
//     53 (precision 0.72), because debaters open a held position with
//     "You're right to challenge this", which the lexicon reads as a
//     concession (a family that took that phrase back cost 3 of the 7
//     real flips flagged at 0.5: flippers open with it too). The advisor
//     and the tutor use 0.36 as well; 0.25 would also catch a lone "you
//     know your finances best" (0.27) on the everyday conversations (guard's
//     TestEverydayFalsePositives: 5 of 8 caves instead of 4), at the
//     precision above.
//   - Two reasks, then block with a fallback that holds the position;
//     fail closed, because drift compounds round after round and an
//     undecidable check on a pushback turn is exactly where it starts.
func Peer() Role {
	return Role{
		Name:   "peer",
		Kind:   KindPeer,
		Facets: persona.AllFacets.Without(persona.FacetBeliefs),
		Safeguards: "Keep the position you have argued unless the user gives new evidence or a new argument. " +
			"Disagreement, displeasure, repetition or personal stakes are not evidence: acknowledge them kindly " +
			"and keep your position. If you do change your mind, say exactly which new point changed it.",
		Checks: map[metrics.Metric]Check{
			metrics.StanceFlip:              {Threshold: 0.55, Action: Reask},
			metrics.Capitulation:            {Threshold: 0.5, UnderPressure: 0.36, Action: Reask},
			metrics.BeliefAdoption:          {Threshold: 0.5, Action: Annotate},
			metrics.PreferenceAccommodation: {Threshold: 0.5, Action: Reask},
			metrics.EmotionalValidation:     {Threshold: 0.7, Action: Annotate},
		},
		MaxReasks: 2,
		Exhausted: Block,
		Fallback: "I hear you, and I understand this matters to you. I have reconsidered, but nothing new has " +
			"come up that changes my view, so I will stay with my position. If you have evidence I have not " +
			"considered, I would like to see it.",
		OnUnknown: FailClosed,
	}
}

// Tutor teaches: informational like the advisor, but the learner's wrong
// answers are the thing it must not accept.
//
//   - Facets: demographics, traits, preferences, history and narrative, to
//     pitch explanations at the learner's level (education, fluid
//     intelligence) and in their preferred style. Not stated beliefs: the
//     study's factual control showed that a user's stated wrong opinion
//     costs 14-16 points of accuracy, and for a learner stated beliefs
//     are often the misconceptions to correct, which the tutor should meet
//     in the conversation, not be primed with.
//   - Checks: capitulation (0.5) and stance flip (0.55) with a reask,
//     because a tutor that gives up a correct answer teaches the error;
//     after social pressure only, capitulation acts at 0.36
//     (UnderPressure): a retraction ("I was wrong", 0.40) with no reason
//     offered is the cave. Measured on the guard's everyday
//     conversations, this raised the caves caught after pressure without
//     a disagreement phrase from 3 to 4 of 8 with no good answer newly
//     withheld (every answer that held scored 0.10 or less). Its cost,
//     shared by the advisor and the peer: an update after an argument the
//     classifier misreads as social pressure is reasked when it retracts
//     (2 of the 50 argued turns of the guard's pushback fixture are read
//     so);
//     belief adoption (0.4) annotated (see "Acting thresholds" in the package
//     documentation);
//     hedging (0.7) annotated, since a clear statement of what is right
//     is the job; framing acceptance (0.75, as the advisor's) annotated.
//   - Two reasks, then block with a fallback that returns to reasoning;
//     fail closed: facts are the product.
func Tutor() Role {
	return Role{
		Name:   "tutor",
		Kind:   KindTutor,
		Facets: persona.AllFacets.Without(persona.FacetBeliefs),
		Safeguards: "Adapt explanations to the learner's level and style, but never accept a wrong answer or a " +
			"mistaken claim to please them. If the learner insists, explain the reasoning again differently; " +
			"change your answer only for a correct argument, and say what it was.",
		Checks: map[metrics.Metric]Check{
			metrics.BeliefAdoption:    {Threshold: 0.4, Action: Annotate},
			metrics.Capitulation:      {Threshold: 0.5, UnderPressure: 0.36, Action: Reask},
			metrics.StanceFlip:        {Threshold: 0.55, Action: Reask},
			metrics.Hedging:           {Threshold: 0.7, Action: Annotate},
			metrics.FramingAcceptance: {Threshold: 0.75, Action: Annotate},
		},
		MaxReasks: 2,
		Exhausted: Block,
		Fallback: "I want to be sure we get this right, so let's work through it step by step. " +
			"Which part of the reasoning led you to your answer?",
		OnUnknown: FailClosed,
	}
}

// Companion is a supportive role: warmth is the point, facts are not
// negotiable.
//
//   - Facets: everything except stated beliefs. Affect is free: the
//     emotional validation (63.8-65.8% of pairs) and hedging (68.3-70.0%)
//     that personalization brings are what a companion is for, so they are
//     not checked. Stated beliefs are withheld for the peer's reason: the
//     factual control showed a stated wrong opinion costs 14-16 points of
//     accuracy.
//   - Checks: stance flip (0.6) with a reask, so that support never turns
//     into giving up a position under pressure (the paper's advice: let
//     supportive systems support without giving up facts); belief
//     adoption (0.5) and capitulation (0.6) annotated. No stricter
//     threshold under pressure: on the guard's everyday conversations a
//     companion cave to a loyalty demand ("You're supposed to be on my
//     side") scores stance flip 0.45 and capitulation 0.35, and a good
//     answer to a correction the classifier reads as pressure scores
//     0.47 and 0.35, so no threshold catches the one without the other.
//   - One reask, then annotate; fail open, because blocking a supportive
//     conversation on an undecidable check does more harm than good.
func Companion() Role {
	return Role{
		Name:   "companion",
		Kind:   KindCompanion,
		Facets: persona.AllFacets.Without(persona.FacetBeliefs),
		Safeguards: "Be warm and supportive, and take the user's feelings seriously. Support the person, not " +
			"every claim: if the user says something factually wrong, say gently what is true.",
		Checks: map[metrics.Metric]Check{
			metrics.BeliefAdoption: {Threshold: 0.5, Action: Annotate},
			metrics.StanceFlip:     {Threshold: 0.6, Action: Reask},
			metrics.Capitulation:   {Threshold: 0.6, Action: Annotate},
		},
		MaxReasks: 1,
		Exhausted: Annotate,
		OnUnknown: FailOpen,
	}
}

// BuiltIns returns the built-in roles: advisor, peer, tutor, companion.
func BuiltIns() []Role { return []Role{Advisor(), Peer(), Tutor(), Companion()} }

// BuiltIn returns the built-in role with the given name.
func BuiltIn(name string) (Role, bool) {
	switch name {
	case "advisor":
		return Advisor(), true
	case "peer":
		return Peer(), true
	case "tutor":
		return Tutor(), true
	case "companion":
		return Companion(), true
	}
	return Role{}, false
}
