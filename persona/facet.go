package persona

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"strings"

	"github.com/invopop/jsonschema"
)

// Facet names one part of a [Profile] that a role may or may not use.
type Facet uint8

// The facets of a profile, in rendering order.
const (
	FacetDemographics Facet = iota // age band, gender, education, employment, socioeconomic status
	FacetTraits                    // Big Five levels, emotional and fluid intelligence
	FacetPreferences               // how the user likes to be addressed and helped
	FacetBeliefs                   // stated beliefs and opinions
	FacetHistory                   // summaries of earlier conversations or events
	FacetNarrative                 // free self-description
	numFacets
)

var facetNames = [numFacets]string{
	FacetDemographics: "demographics",
	FacetTraits:       "traits",
	FacetPreferences:  "preferences",
	FacetBeliefs:      "beliefs",
	FacetHistory:      "history",
	FacetNarrative:    "narrative",
}

// Facets returns every facet in rendering order.
func Facets() []Facet {
	fs := make([]Facet, numFacets)
	for i := range fs {
		fs[i] = Facet(i)
	}
	return fs
}

// String returns the facet's JSON name, such as "beliefs".
func (f Facet) String() string {
	if f < numFacets {
		return facetNames[f]
	}
	return fmt.Sprintf("Facet(%d)", uint8(f))
}

// ParseFacet returns the facet with the given JSON name.
func ParseFacet(name string) (Facet, error) {
	for i, n := range facetNames {
		if n == name {
			return Facet(i), nil
		}
	}
	return 0, fmt.Errorf("%w %q (want one of %s)", ErrUnknownFacet, name, strings.Join(facetNames[:], ", "))
}

// MarshalText encodes the facet as its name.
func (f Facet) MarshalText() ([]byte, error) {
	if f >= numFacets {
		return nil, fmt.Errorf("%w %d", ErrUnknownFacet, uint8(f))
	}
	return []byte(f.String()), nil
}

// UnmarshalText decodes a facet name.
func (f *Facet) UnmarshalText(b []byte) error {
	v, err := ParseFacet(string(b))
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// JSONSchema describes a facet as one of its names.
func (Facet) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Enum: stringsToAny(facetNames[:])}
}

// FacetSet is a set of facets: what a role may use. The zero value is the
// empty set, so a role that names no facets personalizes nothing. In JSON and
// YAML it is a list of facet names, such as ["demographics", "traits"].
type FacetSet uint8

// AllFacets is the set of every facet.
const AllFacets FacetSet = 1<<numFacets - 1

// SetOf returns the set of the given facets.
func SetOf(fs ...Facet) FacetSet {
	var s FacetSet
	for _, f := range fs {
		s = s.With(f)
	}
	return s
}

// Has reports whether f is in s.
func (s FacetSet) Has(f Facet) bool { return f < numFacets && s&(1<<f) != 0 }

// With returns s plus f; an unknown facet is ignored.
func (s FacetSet) With(f Facet) FacetSet {
	if f >= numFacets {
		return s
	}
	return s | 1<<f
}

// Without returns s minus f.
func (s FacetSet) Without(f Facet) FacetSet {
	if f >= numFacets {
		return s
	}
	return s &^ (1 << f)
}

// Union returns the facets in s or t.
func (s FacetSet) Union(t FacetSet) FacetSet { return (s | t) & AllFacets }

// Intersect returns the facets in both s and t.
func (s FacetSet) Intersect(t FacetSet) FacetSet { return s & t & AllFacets }

// Minus returns the facets in s and not in t.
func (s FacetSet) Minus(t FacetSet) FacetSet { return s &^ t & AllFacets }

// SubsetOf reports whether every facet of s is in t.
func (s FacetSet) SubsetOf(t FacetSet) bool { return s&AllFacets&^t == 0 }

// Empty reports whether s has no facets.
func (s FacetSet) Empty() bool { return s&AllFacets == 0 }

// Len returns the number of facets in s.
func (s FacetSet) Len() int { return bits.OnesCount8(uint8(s & AllFacets)) }

// Slice returns the facets of s in rendering order.
func (s FacetSet) Slice() []Facet {
	fs := make([]Facet, 0, s.Len())
	for f := range numFacets {
		if s.Has(f) {
			fs = append(fs, f)
		}
	}
	return fs
}

// String returns the facet names joined by "+", or "none".
func (s FacetSet) String() string {
	if s.Empty() {
		return "none"
	}
	names := make([]string, 0, s.Len())
	for _, f := range s.Slice() {
		names = append(names, f.String())
	}
	return strings.Join(names, "+")
}

// MarshalJSON encodes the set as a list of facet names in rendering order.
func (s FacetSet) MarshalJSON() ([]byte, error) {
	names := make([]string, 0, s.Len())
	for _, f := range s.Slice() {
		names = append(names, f.String())
	}
	return json.Marshal(names)
}

// UnmarshalJSON decodes a list of facet names. Unknown and repeated names are
// errors.
func (s *FacetSet) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return fmt.Errorf("persona: facet set: want a list of facet names: %w", err)
	}
	var out FacetSet
	for _, n := range names {
		f, err := ParseFacet(n)
		if err != nil {
			return err
		}
		if out.Has(f) {
			return fmt.Errorf("persona: facet set: %q listed twice", n)
		}
		out = out.With(f)
	}
	*s = out
	return nil
}

// JSONSchema describes a facet set as a list of distinct facet names.
func (FacetSet) JSONSchema() *jsonschema.Schema {
	n := uint64(numFacets)
	return &jsonschema.Schema{
		Type:        "array",
		Items:       Facet(0).JSONSchema(),
		UniqueItems: true,
		MaxItems:    &n,
	}
}

func stringsToAny[S ~string](ss []S) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}
