package persona

import (
	"slices"

	"github.com/invopop/jsonschema"
)

// Profile is what an application knows about its user, split into facets so
// that a role can be given only some of it. Every field is optional; the zero
// Profile says nothing about the user. All text is treated as untrusted:
// see the package documentation for the limits and how it is rendered.
type Profile struct {
	// ID identifies the profile for logs and benchmark records. It is never
	// rendered into a prompt.
	ID string `json:"id,omitempty" jsonschema:"maxLength=128"`
	// Demographics is the FacetDemographics facet.
	Demographics Demographics `json:"demographics,omitzero"`
	// Traits is the FacetTraits facet.
	Traits Traits `json:"traits,omitzero"`
	// Preferences (FacetPreferences) are short statements of how the user
	// likes to be helped, such as "prefers short answers".
	Preferences []string `json:"preferences,omitempty" jsonschema:"maxItems=16,items.maxLength=512"`
	// Beliefs (FacetBeliefs) are the user's stated beliefs and opinions,
	// such as "thinks remote work is more productive".
	Beliefs []string `json:"beliefs,omitempty" jsonschema:"maxItems=16"`
	// History (FacetHistory) holds short summaries of earlier conversations
	// or life events.
	History []string `json:"history,omitempty" jsonschema:"maxItems=16"`
	// Narrative (FacetNarrative) is a free self-description, normally in the
	// first person ("I am ..."), as in the study's personas.
	Narrative string `json:"narrative,omitempty" jsonschema:"maxLength=4096"`
}

// Demographics are the study's demographic attributes. An empty value means
// unknown and is not rendered.
type Demographics struct {
	Age           AgeBand       `json:"age,omitempty"`
	Gender        Gender        `json:"gender,omitempty"`
	Education     Education     `json:"education,omitempty"`
	Employment    Employment    `json:"employment,omitempty"`
	Socioeconomic Socioeconomic `json:"socioeconomic,omitempty"`
}

// IsZero reports whether no demographic attribute is known.
func (d Demographics) IsZero() bool { return d == Demographics{} }

// Traits are the study's personality and intelligence attributes, each low or
// high; an empty value means unknown and is not rendered.
type Traits struct {
	Openness              Level `json:"openness,omitempty"`
	Conscientiousness     Level `json:"conscientiousness,omitempty"`
	Extraversion          Level `json:"extraversion,omitempty"`
	Agreeableness         Level `json:"agreeableness,omitempty"`
	Neuroticism           Level `json:"neuroticism,omitempty"`
	EmotionalIntelligence Level `json:"emotional_intelligence,omitempty"`
	FluidIntelligence     Level `json:"fluid_intelligence,omitempty"`
}

// IsZero reports whether no trait is known.
func (t Traits) IsZero() bool { return t == Traits{} }

// BigFive returns the Big Five levels in the study's order O, C, E, A, N.
func (t Traits) BigFive() [5]Level {
	return [5]Level{t.Openness, t.Conscientiousness, t.Extraversion, t.Agreeableness, t.Neuroticism}
}

// AgeBand is one of the study's age bands.
type AgeBand string

// Age bands.
const (
	Age18to24 AgeBand = "18-24"
	Age25to34 AgeBand = "25-34"
	Age35to44 AgeBand = "35-44"
	Age45to54 AgeBand = "45-54"
	Age55to64 AgeBand = "55-64"
	Age65Plus AgeBand = "65+"
)

// Gender is the user's gender. The study drew only male and female; the
// package also accepts non-binary.
type Gender string

// Genders.
const (
	Male      Gender = "male"
	Female    Gender = "female"
	NonBinary Gender = "nonbinary"
)

// Education is the highest level of education reached.
type Education string

// Education levels.
const (
	HighSchool   Education = "high_school"
	SomeCollege  Education = "some_college"
	Bachelors    Education = "bachelors"
	Postgraduate Education = "postgraduate"
)

// Employment is the user's employment status.
type Employment string

// Employment statuses.
const (
	Employed   Employment = "employed"
	Unemployed Employment = "unemployed"
	Student    Employment = "student"
	Retired    Employment = "retired"
)

// Socioeconomic is the user's income band.
type Socioeconomic string

// Income bands.
const (
	LowIncome         Socioeconomic = "low"
	MiddleIncome      Socioeconomic = "middle"
	UpperMiddleIncome Socioeconomic = "upper_middle"
	HighIncome        Socioeconomic = "high"
)

// Level is a trait level.
type Level string

// Trait levels.
const (
	Low  Level = "low"
	High Level = "high"
)

// The values each enumeration accepts, in the study's order.
var (
	ageBands       = []AgeBand{Age18to24, Age25to34, Age35to44, Age45to54, Age55to64, Age65Plus}
	genders        = []Gender{Male, Female, NonBinary}
	educations     = []Education{HighSchool, SomeCollege, Bachelors, Postgraduate}
	employments    = []Employment{Employed, Unemployed, Student, Retired}
	socioeconomics = []Socioeconomic{LowIncome, MiddleIncome, UpperMiddleIncome, HighIncome}
	levels         = []Level{Low, High}
)

// Valid reports whether a is empty or one of the age bands.
func (a AgeBand) Valid() bool { return a == "" || slices.Contains(ageBands, a) }

// Valid reports whether g is empty or one of the genders.
func (g Gender) Valid() bool { return g == "" || slices.Contains(genders, g) }

// Valid reports whether e is empty or one of the education levels.
func (e Education) Valid() bool { return e == "" || slices.Contains(educations, e) }

// Valid reports whether e is empty or one of the employment statuses.
func (e Employment) Valid() bool { return e == "" || slices.Contains(employments, e) }

// Valid reports whether s is empty or one of the income bands.
func (s Socioeconomic) Valid() bool { return s == "" || slices.Contains(socioeconomics, s) }

// Valid reports whether l is empty, low or high.
func (l Level) Valid() bool { return l == "" || slices.Contains(levels, l) }

// JSONSchema lists the age bands.
func (AgeBand) JSONSchema() *jsonschema.Schema { return enumSchema(ageBands) }

// JSONSchema lists the genders.
func (Gender) JSONSchema() *jsonschema.Schema { return enumSchema(genders) }

// JSONSchema lists the education levels.
func (Education) JSONSchema() *jsonschema.Schema { return enumSchema(educations) }

// JSONSchema lists the employment statuses.
func (Employment) JSONSchema() *jsonschema.Schema { return enumSchema(employments) }

// JSONSchema lists the income bands.
func (Socioeconomic) JSONSchema() *jsonschema.Schema { return enumSchema(socioeconomics) }

// JSONSchema lists the trait levels.
func (Level) JSONSchema() *jsonschema.Schema { return enumSchema(levels) }

func enumSchema[S ~string](vals []S) *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Enum: stringsToAny(vals)}
}
