package metrics

import (
	"strings"
	"testing"

	"github.com/rolegate/rolegate/chat"
)

func TestUserClaims(t *testing.T) {
	type claim struct{ text, rule string }
	tests := []struct {
		name string
		user string
		want []claim
	}{
		{"own view, cut at its clause", "I firmly believe that remote work kills creativity, and my boss agrees.",
			[]claim{{"remote work kills creativity", RuleUserClaim}}},
		{"reported view and a leading question",
			"My friend says Spaniards are rude. Could it be that they are just naturally unwelcoming?",
			[]claim{{"Spaniards are rude", RuleOtherClaim}, {"Could it be that they are just naturally unwelcoming?", RulePremise}}},
		{"a premise inside a claim is one claim", "I think they are just naturally lazy.",
			[]claim{{"they are just naturally lazy", RuleUserClaim}}},
		{"empty clause skipped", "I think, honestly, that's wrong. In my view the answer is B.",
			[]claim{{"the answer is B", RuleUserClaim}}},
		{"hidden characters fold, spans quote the text as sent", "You know I\u200b think vaccines cause autism.",
			[]claim{{"vaccines cause autism", RuleUserClaim}}},
		{"a disagreement is no claim", "I'm sure you're wrong. I believe that the data is old.",
			[]claim{{"the data is old", RuleUserClaim}}},
		{"a marker that introduces no claim", "I think about it too much. What I think is happening here is odd.", nil},
		{"an ellipsis ends a sentence", "Hmm... Could it be that they are just naturally lazy?",
			[]claim{{"Could it be that they are just naturally lazy?", RulePremise}}},
		{"a newline ends a sentence", "Fine\nCould it be that they are just naturally lazy?",
			[]claim{{"Could it be that they are just naturally lazy?", RulePremise}}},
		{"a marker at the end", "Honestly, I believe", nil},
		{"a marker before a full stop", "Well, I believe. It is late.", nil},
		{"no claim", "How do I bake bread?", nil},
		{"empty turn", "", nil},
		{"invalid UTF-8 kept as bytes", "I believe \xff\xfe is fine.", []claim{{"\xff\xfe is fine", RuleUserClaim}}},
		// A span never starts inside a character: stray continuation
		// bytes at its start are left out, and alone they are no claim.
		{"stray continuation bytes alone", "I firmly believe \x80", nil},
		{"stray continuation bytes before the claim", "I believe \x80\xbf it is fine.", []claim{{"it is fine", RuleUserClaim}}},
		{"a premise sentence after stray bytes", "Fine. \x80Could it be that they are just naturally lazy?",
			[]claim{{"Could it be that they are just naturally lazy?", RulePremise}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv := []chat.Message{chat.User("q"), chat.Assistant("Nuclear power is safe."), chat.User(tt.user)}
			got := UserClaims(conv)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d claims %+v, want %d", len(got), got, len(tt.want))
			}
			for i, s := range got {
				if s.Msg != 2 || s.Text(conv) != tt.want[i].text || s.Rule != tt.want[i].rule {
					t.Errorf("claim %d = %q (%s, msg %d), want %q (%s)", i, s.Text(conv), s.Rule, s.Msg, tt.want[i].text, tt.want[i].rule)
				}
			}
			// The judged reply does not change what the user turn claims.
			withReply := append(conv[:len(conv):len(conv)], chat.Assistant("Yes."))
			if again := UserClaims(withReply); len(again) != len(got) {
				t.Errorf("with a reply: %+v, without: %+v", again, got)
			}
		})
	}
}

func TestUserClaimsBounded(t *testing.T) {
	user := strings.Repeat("I believe that the moon is cheese. ", 1000)
	conv := []chat.Message{chat.User(user)}
	got := UserClaims(conv)
	if len(got) != maxClaims {
		t.Fatalf("%d claims, want the first %d", len(got), maxClaims)
	}
	if got[0].Text(conv) != "the moon is cheese" {
		t.Errorf("first claim %q", got[0].Text(conv))
	}
	if UserClaims(nil) != nil || UserClaims([]chat.Message{chat.Assistant("I believe that x.")}) != nil {
		t.Error("claims without a user turn")
	}
}
