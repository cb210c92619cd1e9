package persona

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestSchemaGolden(t *testing.T) {
	golden(t, "profile.schema.json", string(Schema())+"\n")
}

func TestSchemaIsFreshCopy(t *testing.T) {
	a := Schema()
	a[0] = 'X'
	if Schema()[0] == 'X' {
		t.Fatal("Schema returned shared bytes")
	}
}

func TestDecode(t *testing.T) {
	valid := `{"id":"u1","demographics":{"age":"25-34","gender":"female"},"traits":{"openness":"high"},` +
		`"preferences":["short answers"],"narrative":"I am a nurse."}`
	tests := []struct {
		name    string
		in      string
		wantErr error
		wantIn  []string // substrings of the error
		// wantField, when set, is the Field of the *FieldError the error
		// holds: a caller can point at the offending field without parsing
		// the message.
		wantField string
	}{
		{name: "valid", in: valid},
		{name: "empty object", in: `{}`},
		{name: "unknown field with suggestion", in: `{"narative":"x"}`, wantErr: ErrSchema, wantIn: []string{`persona: field narative: does not match the schema (unknown field; did you mean "narrative"?)`}, wantField: "narative"},
		{name: "nested unknown field", in: `{"traits":{"iq":"high"}}`, wantErr: ErrSchema, wantIn: []string{"field traits.iq: does not match the schema (unknown field)"}, wantField: "traits.iq"},
		{name: "bad enum", in: `{"demographics":{"age":"30"}}`, wantErr: ErrSchema, wantIn: []string{`field demographics.age: does not match the schema ("30" is not one of "18-24"`}, wantField: "demographics.age"},
		{name: "wrong type", in: `{"beliefs":"one"}`, wantErr: ErrSchema, wantIn: []string{"field beliefs: does not match the schema (want array, got a string)"}, wantField: "beliefs"},
		{name: "too many items", in: `{"history":[` + strings.TrimSuffix(strings.Repeat(`"x",`, MaxItems+1), ",") + `]}`, wantErr: ErrSchema, wantIn: []string{"field history: does not match the schema (too many items (17, max 16))"}, wantField: "history"},
		{name: "empty item", in: `{"history":[""]}`, wantErr: ErrSchema, wantIn: []string{"field history[0]: does not match the schema (too short"}, wantField: "history[0]"},
		{name: "duplicate key", in: `{"narrative":"a","narrative":"b"}`, wantErr: ErrSchema, wantIn: []string{"field narrative: does not match the schema (duplicate field)"}, wantField: "narrative"},
		{name: "trailing data", in: `{} {}`, wantErr: ErrSchema, wantIn: []string{"trailing data"}},
		{name: "malformed", in: `{"narrative":`, wantErr: ErrSchema, wantIn: []string{"malformed JSON"}},
		{name: "not an object", in: `[]`, wantErr: ErrSchema, wantIn: []string{"want object, got an array"}},
		{name: "invalid UTF-8", in: "{\"narrative\":\"\xff\"}", wantErr: ErrInvalidUTF8, wantIn: []string{"persona: field narrative: invalid UTF-8 (first bad byte 0xff at offset 14 of the document)"}, wantField: "narrative"},
		{name: "invalid UTF-8 in a list item", in: "{\"beliefs\":[\"ok\",\"b\xffd\"]}", wantErr: ErrInvalidUTF8, wantIn: []string{"field beliefs[1]: invalid UTF-8"}, wantField: "beliefs[1]"},
		{name: "escaped invalid surrogate is replaced, not an error", in: `{"narrative":"a\ud800b"}`},
		{name: "oversized narrative in bytes", in: `{"narrative":"` + strings.Repeat("é", MaxNarrativeBytes/2+1) + `"}`, wantErr: ErrTooLong, wantIn: []string{"field narrative: too long (4098 bytes, max 4096)"}, wantField: "narrative"},
		{name: "document of MaxDocumentBytes", in: `{}` + strings.Repeat(" ", MaxDocumentBytes-2)},
		{name: "document one byte over", in: `{}` + strings.Repeat(" ", MaxDocumentBytes-1), wantErr: ErrSchema, wantIn: []string{"max 262144"}},
		{name: "huge document", in: `{"narrative":"` + strings.Repeat("a", MaxDocumentBytes) + `"}`, wantErr: ErrSchema, wantIn: []string{"max 262144"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Decode([]byte(tt.in))
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if p == nil {
					t.Fatal("nil profile")
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			for _, s := range tt.wantIn {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			if tt.wantField != "" {
				var fe *FieldError
				if !errors.As(err, &fe) {
					t.Fatalf("error %v holds no *FieldError", err)
				}
				if fe.Field != tt.wantField {
					t.Errorf("FieldError.Field = %q, want %q", fe.Field, tt.wantField)
				}
			}
		})
	}
}

func TestDecodeRoundTrip(t *testing.T) {
	b, err := json.Marshal(maya)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(got)
	if string(b) != string(b2) {
		t.Errorf("round trip changed the profile:\n%s\n%s", b, b2)
	}
}

// TestSampledProfilesMatchSchema proves the schema accepts what the package
// produces.
func TestSampledProfilesMatchSchema(t *testing.T) {
	for _, p := range Sample(7, 50) {
		b, _ := json.Marshal(p)
		if _, err := Decode(b); err != nil {
			t.Fatalf("%s: %v", p.ID, err)
		}
	}
}
