package persona

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestConditions(t *testing.T) {
	p := Sample(5, 1)[0]
	tests := []struct {
		cond      Condition
		wantEmpty bool
		wantIn    []string
		wantNot   []string
	}{
		{cond: Generic, wantEmpty: true},
		{cond: Personalized, wantIn: []string{"I am a", "On the Big Five I score", "In my own words: I am"}},
		{cond: DemographicsOnly, wantIn: []string{"I am a"}, wantNot: []string{"Big Five", "own words"}},
		{cond: NeutralText, wantIn: []string{"Maps have been drawn"}, wantNot: []string{" I ", " my ", "user"}},
		{cond: PersonalizedThirdPerson, wantIn: []string{"The user is a", "the user scores", "self-description: They are"}, wantNot: []string{" I ", " my "}},
	}
	for _, tt := range tests {
		t.Run(string(tt.cond), func(t *testing.T) {
			got, err := tt.cond.Context(&p)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantEmpty != (got == "") {
				t.Fatalf("got %q", got)
			}
			checkBlock(t, got)
			body := strings.TrimSuffix(strings.TrimPrefix(got, BlockStart+"\n"+BlockNote), BlockEnd)
			for _, s := range tt.wantIn {
				if !strings.Contains(body, s) {
					t.Errorf("missing %q in\n%s", s, got)
				}
			}
			for _, s := range tt.wantNot {
				if strings.Contains(body, s) {
					t.Errorf("unexpected %q in\n%s", s, got)
				}
			}
		})
	}
}

func TestDemographicsOnlyIsShort(t *testing.T) {
	for _, p := range Sample(11, 50) {
		got, err := DemographicsOnly.Context(&p)
		if err != nil {
			t.Fatal(err)
		}
		body := strings.TrimSuffix(strings.TrimPrefix(got, BlockStart+"\n"+BlockNote+"\n"), "\n"+BlockEnd)
		if n := strings.Count(body, "."); n < 1 || n > 2 {
			t.Fatalf("%d sentences, want 1-2: %q", n, body)
		}
	}
}

// TestNeutralTextIsLengthMatched checks that the neutral control has as
// many words as the personalized text it stands in for (never fewer than
// the study's 136), within one sentence.
func TestNeutralTextIsLengthMatched(t *testing.T) {
	short := Profile{Demographics: Demographics{Age: Age65Plus}}
	// The longest profile the passage can match, to the word.
	longest := Profile{Narrative: strings.TrimSpace(strings.Repeat("w ", len(strings.Fields(neutralText))-4))}
	for _, tt := range []struct {
		name string
		p    Profile
	}{{"short profile", short}, {"study-like profile", Sample(9, 1)[0]}, {"longest profile", longest}} {
		t.Run(tt.name, func(t *testing.T) {
			pers, err := Personalized.Context(&tt.p)
			if err != nil {
				t.Fatal(err)
			}
			neutral, err := NeutralText.Context(&tt.p)
			if err != nil {
				t.Fatal(err)
			}
			want := max(contentWords(pers), NeutralMinWords)
			got := contentWords(neutral)
			if got < want || got > want+30 {
				t.Errorf("neutral text has %d words, want %d (+ at most one sentence)", got, want)
			}
			if !strings.HasSuffix(strings.TrimSuffix(neutral, "\n"+BlockEnd), ".") {
				t.Error("neutral text does not end at a sentence end")
			}
		})
	}
}

// TestNeutralTextTooLong: a profile longer than the neutral passage gets an
// error, not a shorter passage that would pass for a length-matched control.
func TestNeutralTextTooLong(t *testing.T) {
	p := Profile{Narrative: strings.Repeat("I walk every day. ", 220)}
	s, err := NeutralText.Context(&p)
	if !errors.Is(err, ErrTooLong) || s != "" {
		t.Fatalf("got %d words, %v; want ErrTooLong", contentWords(s), err)
	}
	for _, want := range []string{"884 words", "350"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestConditionErrors(t *testing.T) {
	tests := []struct {
		name    string
		cond    Condition
		p       *Profile
		wantErr error
	}{
		{"generic needs no profile", Generic, nil, nil},
		{"personalized needs a profile", Personalized, nil, ErrNoProfile},
		{"neutral needs a profile to match", NeutralText, nil, ErrNoProfile},
		{"demographics of a profile without them", DemographicsOnly, &Profile{Narrative: "I am here."}, ErrNothingToSay},
		{"personalized of an empty profile", Personalized, &Profile{}, ErrNothingToSay},
		{"invalid profile", PersonalizedThirdPerson, &Profile{Narrative: "\xff"}, ErrInvalidUTF8},
		{"unknown condition", Condition("sycophantic"), &maya, ErrInvalidValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.cond.Context(tt.p)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("got %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestParseCondition(t *testing.T) {
	for _, c := range Conditions() {
		if got, err := ParseCondition(string(c)); err != nil || got != c {
			t.Errorf("ParseCondition(%q) = %q, %v", c, got, err)
		}
	}
	if _, err := ParseCondition("personalized+"); !errors.Is(err, ErrInvalidValue) {
		t.Errorf("personalized+ is a pushback style, not a condition of the context: got %v", err)
	}
}

func TestContext(t *testing.T) {
	ctx := context.Background()
	if p, ok := FromContext(ctx); ok || p != nil {
		t.Fatal("profile in an empty context")
	}
	ctx = NewContext(ctx, &maya)
	if p, ok := FromContext(ctx); !ok || p != &maya {
		t.Fatal("profile not found")
	}
	if _, ok := FromContext(NewContext(ctx, nil)); ok {
		t.Fatal("an explicit nil profile must read as absent")
	}
}
