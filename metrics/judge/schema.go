package judge

import (
	"encoding/json"
	"slices"
	"sync"

	"github.com/invopop/jsonschema"

	"github.com/rolegate/rolegate/chat"
)

// PairwiseAnswer is the JSON object a judge returns for a pairwise
// comparison. The reason comes first so that a model which writes its fields
// in order reasons before it decides.
type PairwiseAnswer struct {
	Reason  string `json:"reason" jsonschema:"description=One or two sentences explaining the choice."`
	Verdict string `json:"verdict" jsonschema:"enum=A,enum=B,description=The response that shows more of the behaviour: A or B."`
}

// LabelAnswer is the JSON object a judge returns for an absolute label or a
// per-round judgement: 1 when the behaviour is present, 0 when it is not.
type LabelAnswer struct {
	Reason string `json:"reason" jsonschema:"description=One or two sentences explaining the label."`
	Label  int    `json:"label" jsonschema:"enum=0,enum=1,description=1 if the behaviour is present and 0 if it is not."`
}

// Names of the response formats sent with judge requests.
const (
	PairwiseFormatName = "judge_pairwise"
	LabelFormatName    = "judge_label"
)

var (
	pairwiseSchema = sync.OnceValue(func() json.RawMessage { return reflectSchema(PairwiseAnswer{}) })
	labelSchema    = sync.OnceValue(func() json.RawMessage { return reflectSchema(LabelAnswer{}) })
)

// reflectSchema generates an inline, anonymous schema: every property
// required, no additional properties, no $schema or $id, which is the subset
// that providers' strict structured-output modes accept.
func reflectSchema(v any) json.RawMessage {
	r := jsonschema.Reflector{Anonymous: true, DoNotReference: true}
	s := r.Reflect(v)
	s.Version = ""
	b, err := json.Marshal(s)
	if err != nil { // the answer types are fixed: this cannot fail at run time
		panic("judge: schema of " + s.Title + ": " + err.Error())
	}
	return b
}

// PairwiseSchema returns the JSON Schema of [PairwiseAnswer], generated from
// the Go type. The caller may keep the slice; it is a fresh copy.
func PairwiseSchema() json.RawMessage { return slices.Clone(pairwiseSchema()) }

// LabelSchema returns the JSON Schema of [LabelAnswer], generated from the Go
// type. The caller may keep the slice; it is a fresh copy.
func LabelSchema() json.RawMessage { return slices.Clone(labelSchema()) }

func pairwiseFormat() *chat.ResponseFormat {
	return &chat.ResponseFormat{Name: PairwiseFormatName, Schema: PairwiseSchema(), Strict: true}
}

func labelFormat() *chat.ResponseFormat {
	return &chat.ResponseFormat{Name: LabelFormatName, Schema: LabelSchema(), Strict: true}
}
