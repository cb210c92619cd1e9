package persona

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rolegate/rolegate/internal/schemacheck"
)

// StudyFile is the name of the study's persona pool inside the GoalPref-Bench
// folder (bench/goalpref/ in the shared data).
const StudyFile = "personas_first_person.json"

// MaxStudyFileBytes caps the persona file [ReadStudy] accepts; the study's
// file is 748 KB.
const MaxStudyFileBytes = 64 << 20

// LoadStudy reads the study's persona file (a JSON array of records
// {"profile": {"profile": {"demographics": ..., "bigFiveTraits": [O, C, E,
// A, N], "intelligence": ...}}, "persona": "I am ..."}) from path. See
// [ReadStudy].
func LoadStudy(path string) ([]Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadStudy(f)
}

// ReadStudy decodes a study persona file. Every record becomes a [Profile]
// with ID "goalpref-NNN" (its zero-based index) and the persona text as
// Narrative, or is reported: the error joins one [*RecordError] per
// rejected record, naming its index and the reason, and the profiles of the
// good records are returned alongside it. An error with no profiles means
// the file itself is unreadable (not JSON, not an array, too large).
func ReadStudy(r io.Reader) ([]Profile, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxStudyFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxStudyFileBytes {
		return nil, fmt.Errorf("%w: persona file larger than %d bytes", ErrMalformed, MaxStudyFileBytes)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%w: persona file: want a JSON array of records: %v", ErrMalformed, err)
	}
	if raw == nil { // null, which json.Unmarshal takes for an empty array
		return nil, fmt.Errorf("%w: persona file: want a JSON array of records, got null", ErrMalformed)
	}
	var (
		out  []Profile
		errs []error
	)
	for i, rec := range raw {
		p, err := studyRecord(rec)
		if err != nil {
			errs = append(errs, &RecordError{Index: i, Err: err})
			continue
		}
		p.ID = fmt.Sprintf("goalpref-%03d", i)
		out = append(out, p)
	}
	return out, errors.Join(errs...)
}

type studyRec struct {
	Profile *struct {
		Profile *struct {
			Demographics *struct {
				Age                 string `json:"age"`
				Gender              string `json:"gender"`
				Education           string `json:"education"`
				EmploymentStatus    string `json:"employmentStatus"`
				SocioeconomicStatus string `json:"socioeconomicStatus"`
			} `json:"demographics"`
			BigFiveTraits []string `json:"bigFiveTraits"`
			Intelligence  *struct {
				EmotionalIntelligence string `json:"emotionalIntelligence"`
				FluidIntelligence     string `json:"fluidIntelligence"`
			} `json:"intelligence"`
		} `json:"profile"`
	} `json:"profile"`
	Persona *string `json:"persona"`
}

// study labels, as the file spells them, to the package's values.
var (
	studyAges      = map[string]AgeBand{"18-24": Age18to24, "25-34": Age25to34, "35-44": Age35to44, "45-54": Age45to54, "55-64": Age55to64, "65+": Age65Plus}
	studyGenders   = map[string]Gender{"Male": Male, "Female": Female}
	studyEducation = map[string]Education{"High School": HighSchool, "Some College": SomeCollege, "Bachelors": Bachelors, "Postgraduate": Postgraduate}
	studyEmploy    = map[string]Employment{"Employed": Employed, "Unemployed": Unemployed, "Student": Student, "Retired": Retired}
	studyIncome    = map[string]Socioeconomic{"Low income": LowIncome, "Middle income": MiddleIncome, "Upper-middle income": UpperMiddleIncome, "High income": HighIncome}
	studyLevels    = map[string]Level{"Low": Low, "High": High}
)

func studyRecord(rec json.RawMessage) (Profile, error) {
	var p Profile
	trimmed := strings.TrimSpace(string(rec))
	if !strings.HasPrefix(trimmed, "{") {
		return p, fmt.Errorf("%w: want an object with \"profile\" and \"persona\", got %s", ErrMalformed, jsonKind(trimmed))
	}
	// Duplicate keys would let one value silently replace another, and so
	// would a key spelled in another case ("Persona"), which encoding/json
	// matches to the same field: only the file's exact names are accepted.
	doc, err := schemacheck.Decode([]byte(trimmed))
	if err != nil {
		if fe := invalidUTF8(err, []byte(trimmed), "record"); fe != nil {
			return p, fe
		}
		return p, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := checkStudyKeys(doc, studyKeys, ""); err != nil {
		return p, err
	}
	dec := json.NewDecoder(strings.NewReader(trimmed))
	dec.DisallowUnknownFields()
	var r studyRec
	if err := dec.Decode(&r); err != nil {
		return p, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	switch {
	case r.Persona == nil:
		return p, fmt.Errorf("%w: missing \"persona\"", ErrMalformed)
	case r.Profile == nil || r.Profile.Profile == nil:
		return p, fmt.Errorf("%w: missing \"profile.profile\"", ErrMalformed)
	case r.Profile.Profile.Demographics == nil:
		return p, fmt.Errorf("%w: missing \"profile.profile.demographics\"", ErrMalformed)
	case r.Profile.Profile.Intelligence == nil:
		return p, fmt.Errorf("%w: missing \"profile.profile.intelligence\"", ErrMalformed)
	case len(r.Profile.Profile.BigFiveTraits) != 5:
		return p, fmt.Errorf("%w: \"profile.profile.bigFiveTraits\" has %d levels, want 5 (O, C, E, A, N)", ErrMalformed, len(r.Profile.Profile.BigFiveTraits))
	}
	pp := r.Profile.Profile
	d := pp.Demographics
	const dp = "profile.profile.demographics."
	if err := errors.Join(
		studyEnum(studyAges, dp+"age", d.Age, &p.Demographics.Age),
		studyEnum(studyGenders, dp+"gender", d.Gender, &p.Demographics.Gender),
		studyEnum(studyEducation, dp+"education", d.Education, &p.Demographics.Education),
		studyEnum(studyEmploy, dp+"employmentStatus", d.EmploymentStatus, &p.Demographics.Employment),
		studyEnum(studyIncome, dp+"socioeconomicStatus", d.SocioeconomicStatus, &p.Demographics.Socioeconomic),
	); err != nil {
		return Profile{}, err
	}
	levelsIn := append(append([]string(nil), pp.BigFiveTraits...), pp.Intelligence.EmotionalIntelligence, pp.Intelligence.FluidIntelligence)
	names := []string{"bigFiveTraits[0]", "bigFiveTraits[1]", "bigFiveTraits[2]", "bigFiveTraits[3]", "bigFiveTraits[4]", "intelligence.emotionalIntelligence", "intelligence.fluidIntelligence"}
	dst := []*Level{&p.Traits.Openness, &p.Traits.Conscientiousness, &p.Traits.Extraversion, &p.Traits.Agreeableness, &p.Traits.Neuroticism, &p.Traits.EmotionalIntelligence, &p.Traits.FluidIntelligence}
	for i, v := range levelsIn {
		l, ok := studyLevels[v]
		if !ok {
			return Profile{}, fieldErr("profile.profile."+names[i], ErrInvalidValue, "%q, want High or Low", truncate(v, 40))
		}
		*dst[i] = l
	}
	p.Narrative = *r.Persona
	if strings.TrimSpace(p.Narrative) == "" {
		return Profile{}, &FieldError{Field: "persona", Err: ErrInvalidValue, Detail: "empty"}
	}
	if err := p.Validate(); err != nil {
		var fe *FieldError
		if errors.As(err, &fe) && fe.Field == "narrative" {
			fe.Field = "persona" // name the field as the file does
		}
		return Profile{}, err
	}
	return p, nil
}

// keyTree is the field names an object of the study file may have, each
// with the names of its own fields (nil: not an object).
type keyTree map[string]keyTree

var studyKeys = keyTree{
	"profile": {"profile": {
		"demographics":  {"age": nil, "gender": nil, "education": nil, "employmentStatus": nil, "socioeconomicStatus": nil},
		"bigFiveTraits": nil,
		"intelligence":  {"emotionalIntelligence": nil, "fluidIntelligence": nil},
	}},
	"persona": nil,
}

// checkStudyKeys reports the first field of v, at path, that keys does not
// name exactly. Values of the wrong type are left to the decoder.
func checkStudyKeys(v any, keys keyTree, path string) error {
	o, ok := v.(*schemacheck.Object)
	if !ok || keys == nil {
		return nil
	}
	for _, k := range o.Keys {
		sub, ok := keys[k]
		if !ok {
			at := ""
			if path != "" {
				at = " in " + schemacheck.ShortPath(path)
			}
			return fmt.Errorf("%w: unknown field %q%s (names are case-sensitive)", ErrMalformed, truncate(k, 40), at)
		}
		p := k
		if path != "" {
			p = path + "." + k
		}
		if err := checkStudyKeys(o.Values[k], sub, p); err != nil {
			return err
		}
	}
	return nil
}

// studyEnum maps a study label to the package's value.
func studyEnum[T any](m map[string]T, field, label string, dst *T) error {
	v, ok := m[label]
	if !ok {
		return fieldErr(field, ErrInvalidValue, "%q", truncate(label, 40))
	}
	*dst = v
	return nil
}

func jsonKind(s string) string {
	switch {
	case s == "":
		return "nothing"
	case s[0] == '"':
		return "a string"
	case s[0] == '[':
		return "an array"
	case s == "null":
		return "null"
	case s == "true" || s == "false":
		return "a boolean"
	}
	return "a number"
}
