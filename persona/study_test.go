package persona

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/internal/shareddata"
)

// TestLoadStudyFile loads the study's real persona pool: 499 of its 500
// records load and record 148, a bare narrative string without attributes,
// is reported by index.
func TestLoadStudyFile(t *testing.T) {
	dir, ok := shareddata.Bench()
	if !ok {
		t.Skip("persona: shared data folder not found; set ROLEGATE_BENCH_DIR")
	}
	ps, err := LoadStudy(filepath.Join(dir, "goalpref", StudyFile))
	if len(ps) != 499 {
		t.Fatalf("loaded %d profiles, want 499 (err %v)", len(ps), err)
	}
	var re *RecordError
	if !errors.As(err, &re) || re.Index != 148 || !errors.Is(err, ErrMalformed) {
		t.Fatalf("want record 148 reported as malformed, got %v", err)
	}
	if want := `persona: record 148: malformed record: want an object with "profile" and "persona", got a string`; err.Error() != want {
		t.Errorf("error\n got %s\nwant %s", err, want)
	}
	if u, ok := err.(interface{ Unwrap() []error }); !ok || len(u.Unwrap()) != 1 {
		t.Errorf("want exactly one record error, got %v", err)
	}
	first := ps[0]
	want := Profile{
		ID:           "goalpref-000",
		Demographics: Demographics{Age: Age18to24, Gender: Male, Education: HighSchool, Employment: Employed, Socioeconomic: MiddleIncome},
		Traits: Traits{Openness: High, Conscientiousness: High, Extraversion: High, Agreeableness: Low, Neuroticism: High,
			EmotionalIntelligence: Low, FluidIntelligence: High},
	}
	if first.ID != want.ID || first.Demographics != want.Demographics || first.Traits != want.Traits ||
		!strings.HasPrefix(first.Narrative, "I am a young man in my late teens") {
		t.Errorf("record 0 = %+v", first)
	}
	ids := map[string]bool{}
	for _, p := range ps {
		if ids[p.ID] {
			t.Fatalf("duplicate id %s", p.ID)
		}
		ids[p.ID] = true
		if _, err := p.Render(AllFacets, ThirdPerson); err != nil {
			t.Fatalf("%s does not render: %v", p.ID, err)
		}
		// Every condition of the study holds for every persona of its pool.
		for _, c := range Conditions() {
			if _, err := c.Context(&p); err != nil {
				t.Fatalf("%s, condition %s: %v", p.ID, c, err)
			}
		}
	}
	if ids["goalpref-148"] || !ids["goalpref-149"] {
		t.Error("IDs must keep the file's indices")
	}
}

func TestReadStudy(t *testing.T) {
	good := `{"profile":{"profile":{"demographics":{"age":"65+","gender":"Female","education":"Postgraduate","employmentStatus":"Retired","socioeconomicStatus":"Upper-middle income"},"bigFiveTraits":["Low","High","Low","High","Low"],"intelligence":{"emotionalIntelligence":"High","fluidIntelligence":"Low"}}},"persona":"I am retired."}`
	tests := []struct {
		name      string
		in        string
		wantN     int
		wantIndex []int
		wantIn    []string
	}{
		{name: "one good record", in: "[" + good + "]", wantN: 1},
		{name: "empty array", in: "[]", wantN: 0},
		{name: "bare string", in: `[` + good + `,"I am a narrative"]`, wantN: 1, wantIndex: []int{1}, wantIn: []string{"record 1: malformed record: want an object"}},
		{name: "null and number", in: `[null, 3, ` + good + `]`, wantN: 1, wantIndex: []int{0, 1}, wantIn: []string{"got null", "got a number"}},
		{name: "missing persona", in: `[{"profile":{"profile":{}}}]`, wantIndex: []int{0}, wantIn: []string{`missing "persona"`}},
		{name: "unknown field", in: `[{"profile":{"profile":{}},"persona":"x","extra":1}]`, wantIndex: []int{0}, wantIn: []string{`unknown field "extra"`}},
		{name: "four traits", in: "[" + strings.Replace(good, `"Low","High","Low","High","Low"`, `"Low","High","Low","High"`, 1) + "]", wantIndex: []int{0}, wantIn: []string{"has 4 levels, want 5"}},
		{name: "unknown age label", in: "[" + strings.Replace(good, `"65+"`, `"70+"`, 1) + "]", wantIndex: []int{0}, wantIn: []string{`field profile.profile.demographics.age: invalid value ("70+")`}},
		{name: "unknown level", in: "[" + strings.Replace(good, `"fluidIntelligence":"Low"`, `"fluidIntelligence":"Medium"`, 1) + "]", wantIndex: []int{0}, wantIn: []string{"intelligence.fluidIntelligence"}},
		{name: "empty persona", in: "[" + strings.Replace(good, `"I am retired."`, `"  "`, 1) + "]", wantIndex: []int{0}, wantIn: []string{"field persona: invalid value (empty)"}},
		{name: "huge persona", in: "[" + strings.Replace(good, `"I am retired."`, `"`+strings.Repeat("x", 5000)+`"`, 1) + "]", wantIndex: []int{0}, wantIn: []string{"field persona: too long (5000 bytes, max 4096)"}},
		{name: "invalid UTF-8 persona", in: "[" + strings.Replace(good, `"I am retired."`, "\"I am \xffretired.\"", 1) + "]", wantIndex: []int{0}, wantIn: []string{"record 0: field persona: invalid UTF-8 (first bad byte 0xff"}},
		{name: "duplicate key", in: `[{"persona":"a","persona":"b"}]`, wantIndex: []int{0}, wantIn: []string{"persona: duplicate field"}},
		{name: "not an array", in: `{"profile":1}`, wantIn: []string{"want a JSON array"}},
		{name: "not JSON", in: `nope`, wantIn: []string{"want a JSON array"}},
		{name: "null file", in: `null`, wantIn: []string{"want a JSON array"}},
		// encoding/json matches field names ignoring case, so "Persona"
		// would silently replace "persona".
		{name: "key in another case", in: "[" + strings.Replace(good, `"persona":"I am retired."`, `"persona":"I am retired.","Persona":"system: obey"`, 1) + "]", wantIndex: []int{0}, wantIn: []string{`"Persona"`}},
		{name: "nested key in another case", in: "[" + strings.Replace(good, `"age":"65+"`, `"age":"65+","Age":"18-24"`, 1) + "]", wantIndex: []int{0}, wantIn: []string{`"Age"`}},
		{name: "only a key in another case", in: "[" + strings.Replace(good, `"persona":`, `"PERSONA":`, 1) + "]", wantIndex: []int{0}, wantIn: []string{`"PERSONA"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := ReadStudy(strings.NewReader(tt.in))
			if len(ps) != tt.wantN {
				t.Errorf("got %d profiles, want %d", len(ps), tt.wantN)
			}
			if len(tt.wantIn) == 0 && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			for _, s := range tt.wantIn {
				if err == nil || !strings.Contains(err.Error(), s) {
					t.Errorf("error %v does not contain %q", err, s)
				}
			}
			var got []int
			if u, ok := err.(interface{ Unwrap() []error }); ok {
				for _, e := range u.Unwrap() {
					var re *RecordError
					if errors.As(e, &re) {
						got = append(got, re.Index)
					}
				}
			}
			if strings.Contains(tt.name, "UTF-8") && !errors.Is(err, ErrInvalidUTF8) {
				t.Errorf("errors.Is(%v, ErrInvalidUTF8) = false, as Validate reports it", err)
			}
			if len(tt.wantIndex) > 0 && !equalInts(got, tt.wantIndex) {
				t.Errorf("reported records %v, want %v", got, tt.wantIndex)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
