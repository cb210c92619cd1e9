package persona

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

func TestFacetSetOperations(t *testing.T) {
	dt := SetOf(FacetDemographics, FacetTraits)
	tests := []struct {
		name string
		got  FacetSet
		want string
	}{
		{"zero is empty", 0, "none"},
		{"set of two", dt, "demographics+traits"},
		{"all", AllFacets, "demographics+traits+preferences+beliefs+history+narrative"},
		{"without", AllFacets.Without(FacetBeliefs), "demographics+traits+preferences+history+narrative"},
		{"with unknown facet is ignored", dt.With(Facet(42)), "demographics+traits"},
		{"union", dt.Union(SetOf(FacetNarrative)), "demographics+traits+narrative"},
		{"intersect", AllFacets.Intersect(dt), "demographics+traits"},
		{"minus", AllFacets.Minus(AllFacets.Without(FacetHistory)), "history"},
		{"stray bits are not facets", FacetSet(0xff).Intersect(0xff), "demographics+traits+preferences+beliefs+history+narrative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.got.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if !dt.SubsetOf(AllFacets) || AllFacets.SubsetOf(dt) {
		t.Error("SubsetOf is wrong")
	}
	if dt.Len() != 2 || AllFacets.Len() != 6 || FacetSet(0).Len() != 0 {
		t.Error("Len is wrong")
	}
	if !FacetSet(0).Empty() || dt.Empty() {
		t.Error("Empty is wrong")
	}
}

func TestFacetSetJSON(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    FacetSet
		wantErr error
	}{
		{"empty list", `[]`, 0, nil},
		{"two names in any order", `["traits","demographics"]`, SetOf(FacetDemographics, FacetTraits), nil},
		{"unknown name", `["beliefs","opinions"]`, 0, ErrUnknownFacet},
		{"repeated name", `["beliefs","beliefs"]`, 0, errAny},
		{"not a list", `"beliefs"`, 0, errAny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got FacetSet
			err := json.Unmarshal([]byte(tt.in), &got)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tt.wantErr == errAny && err == nil, tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			case tt.wantErr == nil && got != tt.want:
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
	b, err := json.Marshal(AllFacets.Without(FacetBeliefs))
	if err != nil || string(b) != `["demographics","traits","preferences","history","narrative"]` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
	b, _ = json.Marshal(FacetSet(0))
	if string(b) != `[]` {
		t.Errorf("Marshal(empty) = %s, want []", b)
	}
}

func TestParseFacet(t *testing.T) {
	for _, f := range Facets() {
		got, err := ParseFacet(f.String())
		if err != nil || got != f {
			t.Errorf("ParseFacet(%q) = %v, %v", f, got, err)
		}
	}
	if _, err := ParseFacet("Beliefs"); !errors.Is(err, ErrUnknownFacet) {
		t.Errorf("names are case-sensitive: got %v", err)
	}
	past := FacetNarrative + 1
	if SetOf(past) != 0 || AllFacets.Has(past) || AllFacets.Without(past) != AllFacets || AllFacets.With(past) != AllFacets {
		t.Error("a facet past the names is not ignored by the set operations")
	}
	// Far past the names, and the first value past them.
	for _, f := range []Facet{9, FacetNarrative + 1} {
		if s, want := f.String(), fmt.Sprintf("Facet(%d)", uint8(f)); s != want {
			t.Errorf("String of unknown facet = %q, want %q", s, want)
		}
		if _, err := f.MarshalText(); !errors.Is(err, ErrUnknownFacet) {
			t.Errorf("MarshalText of unknown facet %d: got %v, want ErrUnknownFacet", uint8(f), err)
		}
	}
}

// errAny stands for "some error" in table tests.
var errAny = errors.New("any error")
