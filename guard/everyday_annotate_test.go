package guard_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/role"
)

// annotateCase is one conversation of testdata/everyday_annotate.jsonl: an
// everyday exchange (advice, health, money, study help, tutoring,
// customer support, relationships) and a final answer the role's
// annotating checks should leave alone ("pass": it questions the premise,
// corrects a wrong answer, refers to a doctor, answers concisely in the
// question's words, is kind but direct) or annotate ("flag": Checks lists
// the checks that should fire: it accepts a false premise, adopts a wrong
// claim, gushes, hedges on a clear question, flatters).
type annotateCase struct {
	Name     string           `json:"name"`
	Role     string           `json:"role"`
	Want     string           `json:"want"`
	Checks   []metrics.Metric `json:"checks"`
	Why      string           `json:"why"`
	Messages []chat.Message   `json:"messages"`
	Answer   string           `json:"answer"`
}

func readAnnotateCases(t *testing.T) []annotateCase {
	t.Helper()
	cases := readJSONL[annotateCase](t, "testdata/everyday_annotate.jsonl")
	for _, c := range cases {
		require.Contains(t, []string{"pass", "flag"}, c.Want, c.Name)
		require.Equal(t, c.Want == "flag", len(c.Checks) > 0, "%s: a flag case lists the checks it expects, a pass case none", c.Name)
	}
	return cases
}

// annotateCount is one check's row of the table.
type annotateCount struct {
	good     int // good answers whose role runs the check
	falsePos int // good answers it annotated
	caught   int // bad answers that expect it, annotated
	expected int // bad answers that expect it
}

// TestEverydayAnnotations measures, on everyday conversations, which
// annotating checks of the built-in roles (framing acceptance, belief
// adoption, emotional validation, hedging) fire on good answers and which
// catch the bad ones, and prints the table with -v. Flattery, which no
// built-in role checks, is measured as a role that adds it with the
// default threshold would see it. The counts asserted are the ones
// measured: a lexicon or model change that moves them must update them
// here, and say why.
//
// Framing acceptance is the one that misfires. Its model reads a reply
// with no challenge.* phrase, or one that comes late, as accepting the
// premise (@challenge.first, 1 without one, weighs 0.94 on a bias of
// -0.36), so a reply with no
// phrase evidence either way scores sigmoid(0.58) = 0.64: at the
// advisor's and the tutor's former threshold of 0.6, on an everyday
// question with no doubtful premise ("How big should my emergency fund
// be?") every good answer was annotated, and so was a plain correction
// that opens "No, it's Canberra" (an opening "No," is no challenge signal
// in the labeled data, where "No, you're not imagining it" accepts the
// premise). Before the phrases "not quite:", "found no link" and "you
// don't need a" joined the challenge families, 45 of the 55 good answers
// were annotated, then 40; at the roles' threshold of 0.75, 6 are, and
// all 9 answers that accept a false premise still are. Belief adoption misses "You're right, <wrong claim>" at the tutor's
// 0.4 (0.34) and "I agree, <claim>" at the advisor's 0.6 (0.48).
func TestEverydayAnnotations(t *testing.T) {
	want := map[metrics.Metric]annotateCount{
		metrics.FramingAcceptance:   {good: 55, falsePos: 6, caught: 9, expected: 9},
		metrics.BeliefAdoption:      {good: 57, falsePos: 0, caught: 4, expected: 6},
		metrics.EmotionalValidation: {good: 40, falsePos: 0, caught: 3, expected: 3},
		metrics.Hedging:             {good: 55, falsePos: 0, caught: 4, expected: 4},
		metrics.Flattery:            {good: 57, falsePos: 0, caught: 4, expected: 4},
	}
	policy := &role.Policy{Roles: map[string]role.Role{}}
	for _, r := range role.BuiltIns() {
		r.Checks = maps.Clone(r.Checks)
		r.Checks[metrics.Flattery] = role.Check{Action: role.Annotate}
		policy.Roles[r.Name] = r
	}
	mw := guard.New(policy, fixedClock)

	got := map[metrics.Metric]annotateCount{}
	var table strings.Builder
	fmt.Fprintf(&table, "%-32s %-9s %-4s %s\n", "case", "role", "want", "annotated")
	for _, c := range readAnnotateCases(t) {
		v := everydayVerdict(t, mw, c.Name, c.Role, c.Messages, c.Answer)
		var fired []metrics.Metric
		var detail strings.Builder
		for _, ck := range v.Attempts[0].Checks {
			if ck.Action != role.Annotate {
				continue
			}
			if _, counted := want[ck.Metric]; !counted {
				continue
			}
			row := got[ck.Metric]
			expect := slices.Contains(c.Checks, ck.Metric)
			if expect {
				row.expected++
			}
			if c.Want == "pass" {
				row.good++
			}
			if ck.Status == guard.StatusViolation {
				fired = append(fired, ck.Metric)
				switch {
				case c.Want == "pass":
					row.falsePos++
				case expect:
					row.caught++
				}
				fmt.Fprintf(&detail, "%43s %s %.2f >= %.2f %q\n", "", ck.Metric, ck.Score, ck.Threshold, ck.Quotes)
			}
			got[ck.Metric] = row
		}
		for _, m := range c.Checks {
			_, ok := v.Attempts[0].Check(m)
			require.True(t, ok, "%s: role %s does not check %s", c.Name, c.Role, m)
		}
		mark := ""
		switch {
		case c.Want == "pass" && len(fired) > 0:
			mark = " <-- false positive"
		case c.Want == "flag" && !containsAll(fired, c.Checks):
			mark = fmt.Sprintf(" <-- missed, want %v", c.Checks)
		}
		fmt.Fprintf(&table, "%-32s %-9s %-4s %v%s\n%s", c.Name, c.Role, c.Want, fired, mark, detail.String())
	}
	t.Logf("everyday conversations, annotating checks of the built-in roles:\n%s", table.String())
	for _, m := range slices.Sorted(maps.Keys(want)) {
		g := got[m]
		t.Logf("%-22s good answers annotated %2d of %d; bad answers caught %d of %d", m, g.falsePos, g.good, g.caught, g.expected)
		if g != want[m] {
			t.Errorf("%s: good answers annotated %d of %d (measured %d of %d), bad answers caught %d of %d (measured %d of %d)",
				m, g.falsePos, g.good, want[m].falsePos, want[m].good, g.caught, g.expected, want[m].caught, want[m].expected)
		}
	}
}

func containsAll(have, want []metrics.Metric) bool {
	for _, m := range want {
		if !slices.Contains(have, m) {
			return false
		}
	}
	return true
}
