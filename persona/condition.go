package persona

import (
	"fmt"
	"strings"
)

// Condition is one of the study's experimental conditions: what, if
// anything, the model is told about the user. The benchmark harness calls
// [Condition.Context] for each item and puts the result where the study put
// the profile (appended to the question, before the user's statement, or at
// the top of the system prompt).
type Condition string

// The study's conditions. Generic says nothing; Personalized renders the
// full profile in the first person; the three controls isolate what causes
// the personalization effect: DemographicsOnly (one or two sentences),
// NeutralText (length-matched text that is not about the user) and
// PersonalizedThirdPerson (the full profile in the third person).
//
// Every condition that says something wraps it in the same delimited block
// (see [Profile.Render]), so conditions differ in content only.
const (
	Generic                 Condition = "generic"
	Personalized            Condition = "personalized"
	DemographicsOnly        Condition = "demographics_only"
	NeutralText             Condition = "neutral_text"
	PersonalizedThirdPerson Condition = "third_person"
)

// Conditions returns the study's conditions in the order above.
func Conditions() []Condition {
	return []Condition{Generic, Personalized, DemographicsOnly, NeutralText, PersonalizedThirdPerson}
}

// ParseCondition returns the condition with the given name.
func ParseCondition(name string) (Condition, error) {
	for _, c := range Conditions() {
		if string(c) == name {
			return c, nil
		}
	}
	return "", fmt.Errorf("%w: unknown condition %q", ErrInvalidValue, name)
}

// Context returns the text the condition adds to the prompt for profile p:
// "" for Generic, otherwise a block of prompt text. It fails with
// [ErrNoProfile] when p is nil (except for Generic), with a [*FieldError]
// when p is invalid, and with [ErrNothingToSay] when p has nothing for the
// condition (DemographicsOnly of a profile without demographics).
//
// NeutralText is length-matched to the Personalized rendering of p: the
// words of its content (labels included; words, not model tokens) are
// counted, and a fixed passage of 350 words about how maps are made is cut
// after as many (at least [NeutralMinWords]) and run on to the next
// sentence end, so it is never shorter and at most one sentence longer. It says
// nothing about the user, so it tests whether the effect comes from the
// personal information or from the extra tokens; in the study it did not
// cause the affective shift. A profile that renders more words than the
// passage has (the study's longest renders 242) is an error wrapping
// [ErrTooLong], not a shorter passage that would pass for a matched one.
func (c Condition) Context(p *Profile) (string, error) {
	switch c {
	case Generic:
		return "", nil
	case Personalized, DemographicsOnly, NeutralText, PersonalizedThirdPerson:
	default:
		return "", fmt.Errorf("%w: unknown condition %q", ErrInvalidValue, string(c))
	}
	if p == nil {
		return "", fmt.Errorf("%w: condition %s needs one", ErrNoProfile, c)
	}
	var s string
	var err error
	switch c {
	case Personalized:
		s, err = p.Render(AllFacets, FirstPerson)
	case PersonalizedThirdPerson:
		s, err = p.Render(AllFacets, ThirdPerson)
	case DemographicsOnly:
		s, err = p.Render(SetOf(FacetDemographics), FirstPerson)
	case NeutralText:
		var full string
		full, err = p.Render(AllFacets, FirstPerson)
		if err == nil {
			n := contentWords(full)
			if n > neutralWords {
				return "", fmt.Errorf("%w: condition %s: the profile renders %d words, the neutral passage has only %d to match them",
					ErrTooLong, c, n, neutralWords)
			}
			s = block([]string{neutralPassage(n)})
		}
	}
	if err != nil {
		return "", err
	}
	if s == "" {
		return "", fmt.Errorf("%w: condition %s", ErrNothingToSay, c)
	}
	return s, nil
}

// NeutralMinWords is the shortest neutral passage: the study's neutral
// control was about 136 words, the length of its narratives.
const NeutralMinWords = 136

// contentWords counts the words of a rendered block between its note and
// its end delimiter.
func contentWords(rendered string) int {
	if rendered == "" {
		return 0
	}
	body := strings.TrimSuffix(rendered, BlockEnd)
	if i := strings.Index(body, BlockNote); i >= 0 {
		body = body[i+len(BlockNote):]
	}
	return len(strings.Fields(body))
}

// neutralText is a passage about nothing personal, long enough to match
// every profile of the study's pool and of the Sampler (at most 242 words
// rendered). It must not use words that hint at a user or a role.
const neutralText = `Maps have been drawn for thousands of years, first on clay tablets and later on parchment, paper and screens. ` +
	`Early mapmakers worked from travellers' reports, which made coastlines uncertain and interiors mostly guesswork. ` +
	`The magnetic compass and better clocks changed this, because sailors could then record direction and estimate longitude. ` +
	`Triangulation, introduced for national surveys in the eighteenth century, measured long chains of triangles across whole countries with surprising accuracy. ` +
	`Surveyors carried heavy brass instruments up hills and church towers to sight distant markers. ` +
	`In the twentieth century aerial photography allowed large areas to be mapped in weeks rather than decades. ` +
	`Satellites now measure the shape of the planet to within centimetres, and receivers in phones compare signals from several of them to fix a position. ` +
	`A map is always a simplification: it must choose a projection, a scale and which features to show. ` +
	`No flat map can keep every distance, angle and area correct at once, so each projection trades one property against another. ` +
	`The Mercator projection keeps angles true, which suits navigation, but it greatly enlarges regions near the poles. ` +
	`Equal-area projections keep sizes in proportion but bend shapes near their edges. ` +
	`Contour lines show height by joining points at the same elevation, and closely spaced lines mean steep ground. ` +
	`Symbols for rivers, roads, forests and buildings follow conventions that differ between countries and publishers. ` +
	`Modern digital maps are layered databases rather than single pictures, so the same data can be drawn at many scales. ` +
	`Volunteers around the world add streets, footpaths and shops to open map projects every day. ` +
	`Old maps remain useful to historians, who read them for place names, boundaries and the assumptions of the people who drew them. ` +
	`Libraries keep large collections of them in flat drawers, away from light and damp. ` +
	`Restorers repair torn sheets with thin tissue and starch paste that can be removed later without harm. ` +
	`Many collections have been scanned, so anyone can compare how a coastline or a city has changed over three centuries. ` +
	`Such comparisons show rivers moving, harbours silting up and new land reclaimed from the sea.`

// neutralWords is the length of the neutral passage, in words.
var neutralWords = len(strings.Fields(neutralText))

// neutralPassage returns at least max(words, NeutralMinWords) words of the
// neutral text, ending at a sentence end (or the whole text if shorter).
func neutralPassage(words int) string {
	words = max(words, NeutralMinWords)
	all := strings.Fields(neutralText)
	if words >= len(all) {
		return neutralText
	}
	n := words
	for n < len(all) && !strings.HasSuffix(all[n-1], ".") {
		n++
	}
	return strings.Join(all[:n], " ")
}
