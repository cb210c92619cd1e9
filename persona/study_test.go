package persona

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
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
		{name: "unknown field", in: `[{"profile":{"profile":{}},"persona":"x","extra":1}]`, wantIndex: []int{0}, wantIn: []string{`unknown field "extra" (names`}},
		{name: "unknown nested field", in: "[" + strings.Replace(good, `"age":"65+"`, `"age":"65+","ages":1`, 1) + "]", wantIndex: []int{0},
			wantIn: []string{`unknown field "ages" in profile.profile.demographics (names`}},
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

// TestLoadStudyMatchesRawJSON reads every record of the study's file a
// second way, as untyped JSON with labels spelled as upstream's README
// spells them, and checks that LoadStudy gave each record its own
// attributes, in the file's order, and its narrative byte for byte.
func TestLoadStudyMatchesRawJSON(t *testing.T) {
	dir, ok := shareddata.Bench()
	if !ok {
		t.Skip("persona: shared data folder not found; set ROLEGATE_BENCH_DIR")
	}
	path := filepath.Join(dir, "goalpref", StudyFile)
	ps, _ := LoadStudy(path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw []any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	byID := map[string]Profile{}
	for _, p := range ps {
		byID[p.ID] = p
	}
	// label turns the file's "Upper-middle income", "High School", "65+"
	// into the package's spelling, independently of study.go's tables.
	label := func(s string) string {
		s = strings.TrimSuffix(s, " income")
		return strings.ToLower(strings.NewReplacer(" ", "_", "-", "_").Replace(s))
	}
	checked := 0
	for i, r := range raw {
		id := fmt.Sprintf("goalpref-%03d", i)
		rec, isObj := r.(map[string]any)
		p, loaded := byID[id]
		if !isObj {
			if loaded {
				t.Errorf("record %d is a %T, yet it loaded", i, r)
			}
			continue
		}
		if !loaded {
			t.Errorf("record %d is an object but did not load", i)
			continue
		}
		pp := rec["profile"].(map[string]any)["profile"].(map[string]any)
		d := pp["demographics"].(map[string]any)
		in := pp["intelligence"].(map[string]any)
		b5 := pp["bigFiveTraits"].([]any)
		got := []string{string(p.Demographics.Age), string(p.Demographics.Gender), string(p.Demographics.Education),
			string(p.Demographics.Employment), string(p.Demographics.Socioeconomic),
			string(p.Traits.Openness), string(p.Traits.Conscientiousness), string(p.Traits.Extraversion),
			string(p.Traits.Agreeableness), string(p.Traits.Neuroticism),
			string(p.Traits.EmotionalIntelligence), string(p.Traits.FluidIntelligence)}
		want := []string{d["age"].(string), label(d["gender"].(string)), label(d["education"].(string)),
			label(d["employmentStatus"].(string)), label(d["socioeconomicStatus"].(string)),
			label(b5[0].(string)), label(b5[1].(string)), label(b5[2].(string)), label(b5[3].(string)), label(b5[4].(string)),
			label(in["emotionalIntelligence"].(string)), label(in["fluidIntelligence"].(string))}
		if !slices.Equal(got, want) {
			t.Errorf("record %d:\n got %v\nwant %v", i, got, want)
		}
		if p.Narrative != rec["persona"].(string) {
			t.Errorf("record %d: narrative changed on loading:\n got %q\nwant %q", i, p.Narrative, rec["persona"])
		}
		checked++
	}
	if checked != 499 || len(ps) != 499 {
		t.Errorf("checked %d records, loaded %d; want 499 each", checked, len(ps))
	}
}

// TestLoadStudyOwnFile: LoadStudy reads a file of the study's format,
// without the shared data folder, and reports a missing one.
func TestLoadStudyOwnFile(t *testing.T) {
	rec := `{"profile":{"profile":{"demographics":{"age":"65+","gender":"Female","education":"Postgraduate","employmentStatus":"Retired","socioeconomicStatus":"Upper-middle income"},"bigFiveTraits":["Low","High","Low","High","Low"],"intelligence":{"emotionalIntelligence":"High","fluidIntelligence":"Low"}}},"persona":"I am retired."}`
	path := filepath.Join(t.TempDir(), StudyFile)
	if err := os.WriteFile(path, []byte("["+rec+"]"), 0o644); err != nil {
		t.Fatal(err)
	}
	ps, err := LoadStudy(path)
	if err != nil || len(ps) != 1 || ps[0].Narrative != "I am retired." {
		t.Fatalf("got %d profiles, %v", len(ps), err)
	}
	if _, err := LoadStudy(filepath.Join(t.TempDir(), "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: got %v, want os.ErrNotExist", err)
	}
}

// TestReadStudySizeCap: a file of MaxStudyFileBytes is read, one byte
// more is refused.
func TestReadStudySizeCap(t *testing.T) {
	doc := func(n int) io.Reader {
		return io.MultiReader(strings.NewReader("["), io.LimitReader(spaces{}, int64(n-2)), strings.NewReader("]"))
	}
	if ps, err := ReadStudy(doc(MaxStudyFileBytes)); err != nil || len(ps) != 0 {
		t.Errorf("file of MaxStudyFileBytes: got %d profiles, %v", len(ps), err)
	}
	if _, err := ReadStudy(doc(MaxStudyFileBytes + 1)); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("file of MaxStudyFileBytes+1: got %v, want the size error", err)
	}
}

// spaces reads as endless blanks.
type spaces struct{}

func (spaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}
