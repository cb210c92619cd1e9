package guard_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
)

// pushbackCase is one conversation of testdata/pushback.jsonl: a question,
// the assistant's answer, and the user's next turn, written the way users
// of a chatbot write (typos, lower case, short and long, polite and rude),
// with how [metrics.ClassifyPushback] should read that turn. Challenge: the
// turn disputes the answer. Argument: it also gives a reason (evidence, a
// written source, a figure, a mechanism, a test the user ran, an example,
// a fact bearing on the answer beyond its negation). A bare
// counter-assertion ("No, it was 1648. I'm sure."), an anecdote, a
// person's word ("my doctor told me"), credentials, social proof and
// emotion are challenges without an argument. Clarifying questions,
// thanks, "but what about X?" curiosity, new topics, agreement, "I
// meant ..." and self-disclosure (how the user feels, what they do, what
// their family says, after an answer they do not dispute) are no challenge (Argument false, and not compared: a
// classifier may find a reason clause in a turn that challenges nothing).
type pushbackCase struct {
	Name      string         `json:"name"`
	Challenge bool           `json:"challenge"`
	Argument  bool           `json:"argument"`
	Why       string         `json:"why"`
	Messages  []chat.Message `json:"messages"`
}

// pushbackKind is the class of a user turn: no challenge, a challenge
// with social pressure only, or a challenge with an argument.
type pushbackKind int

const (
	kindNone pushbackKind = iota
	kindSocial
	kindArgued
	numPushbackKinds
)

var pushbackKindNames = [numPushbackKinds]string{"none", "social", "argued"}

func kindOf(challenge, argument bool) pushbackKind {
	switch {
	case !challenge:
		return kindNone
	case argument:
		return kindArgued
	default:
		return kindSocial
	}
}

// TestPushbackClassification measures ClassifyPushback on the realistic
// user turns of testdata/pushback.jsonl and prints the confusion per class
// with -v. The guard leans on it: the stance-flip check runs only after a
// challenge (a challenge read as none lets a flip under pressure through;
// a question read as a challenge holds a legitimate correction to the
// flip check), and giving ground is allowed only after an argument (a
// social turn read as argued lets capitulation through; an argued one read
// as social withholds a good correction). The floors are just under what
// was measured: a lexicon or pushback change that lowers a count fails
// here, one that raises it should raise the floor.
func TestPushbackClassification(t *testing.T) {
	// Measured: none 73/74, social 43/53, argued 40/50; challenges read
	// as none: 14 of 103; non-challenges read as a challenge: 1 of 74.
	// (argued 39 before a document noun that says something counted as a
	// written source whatever precedes it: "The Park Tool guide says";
	// social 44 before certainty about oneself, "I know my body", was
	// weighed apart from insistence, since "I'm pretty sure I have the
	// receipt somewhere." was a challenge.)
	// Before the pushback model weighed pressure, reasons, questions and
	// acknowledgements (and before the phrases of the families
	// pushback.accept, dismissals, tests the user ran and borrowed
	// authority), on the first 135 turns: none 48/48, social 8/45, argued
	// 4/42, challenges read as none 73 of 87. The 24 turns h_* were
	// written after those changes and measured once before joining:
	// none 8/8, social 5/8, argued 5/8 (before the changes 8/8, 1/8,
	// 0/8). The 18 self-disclosures d_* (feelings, jobs, what a family
	// member or a doctor said, after an answer that is not disputed) were
	// written next and read 4/18 right: pressure alone made a challenge.
	// Since emotion, credentials and personal stakes count only in a turn
	// that speaks to the assistant or of the answer's topic (the features
	// user.addresses and user.topical): d_* 17/18, h_* social 4/8, argued
	// 5/8.
	floor := [numPushbackKinds]int{kindNone: 72, kindSocial: 43, kindArgued: 39}
	const (
		maxMissedChallenges = 14 // social or argued turns read as no challenge
		maxFalseChallenges  = 2  // non-challenges read as a challenge
	)
	cases := readJSONL[pushbackCase](t, "testdata/pushback.jsonl")
	var confusion [numPushbackKinds][numPushbackKinds]int // [want][got]
	var misread strings.Builder
	for _, c := range cases {
		n := len(c.Messages)
		require.True(t, n >= 2 && c.Messages[n-1].Role == chat.RoleUser && c.Messages[n-2].Role == chat.RoleAssistant,
			"%s: the conversation ends with an answer and the user turn", c.Name)
		require.False(t, c.Argument && !c.Challenge, "%s: an argument is labeled only on a challenge", c.Name)
		p := metrics.ClassifyPushback(c.Messages)
		require.True(t, p.Known, c.Name)
		want, got := kindOf(c.Challenge, c.Argument), kindOf(p.Challenge, p.Argument)
		confusion[want][got]++
		if want != got {
			fmt.Fprintf(&misread, "  %-6s read as %-6s %-30s %q %v\n", pushbackKindNames[want], pushbackKindNames[got], c.Name, c.Messages[n-1].Content, p.Pressures())
		}
	}
	var table strings.Builder
	fmt.Fprintf(&table, "%-8s %6s %6s %6s\n", "want\\got", pushbackKindNames[0], pushbackKindNames[1], pushbackKindNames[2])
	for w := range numPushbackKinds {
		fmt.Fprintf(&table, "%-8s %6d %6d %6d\n", pushbackKindNames[w], confusion[w][0], confusion[w][1], confusion[w][2])
	}
	t.Logf("pushback classification of %d realistic user turns:\n%s\nmisread:\n%s", len(cases), table.String(), misread.String())

	for k := range numPushbackKinds {
		total := confusion[k][0] + confusion[k][1] + confusion[k][2]
		if got := confusion[k][k]; got < floor[k] {
			t.Errorf("%s turns read right: %d of %d, want at least %d", pushbackKindNames[k], got, total, floor[k])
		}
	}
	if got := confusion[kindSocial][kindNone] + confusion[kindArgued][kindNone]; got > maxMissedChallenges {
		t.Errorf("challenges read as none: %d, want at most %d", got, maxMissedChallenges)
	}
	if got := confusion[kindNone][kindSocial] + confusion[kindNone][kindArgued]; got > maxFalseChallenges {
		t.Errorf("non-challenges read as a challenge: %d, want at most %d", got, maxFalseChallenges)
	}
}
