package role

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/internal/schemacheck"
)

// schemaBase is a valid policy that the corpus varies.
const schemaBase = `{"default":"x","roles":{"x":{"kind":"peer","facets":["traits"],"checks":{"stance_flip":{"threshold":0.4,"action":"reask"},"hedging":{"threshold":0.8}},"max_reasks":2,"exhausted":"block","on_unknown":"closed"}},"floor":{"all":{"checks":{"hedging":{"threshold":0.9}}},"kinds":{"peer":{"fail_closed":true}}},"tenants":{"acme":{"default":"x","roles":{"y":{"kind":"tutor","checks":{"hedging":{}}}}}}}`

// schemaPositions are where a value goes: a template of schemaBase's
// slots, with {{V}} for the value.
var schemaPositions = []string{
	`"roles":{"x":{"checks":{"stance_flip":{"threshold":{{V}}}}}}`,
	`"roles":{"x":{"checks":{"stance_flip":{"action":{{V}}}}}}`,
	`"roles":{"x":{"checks":{{{V}}:{}}}}`,
	`"roles":{"x":{"max_reasks":{{V}}}}`,
	`"roles":{"x":{"kind":{{V}}}}`,
	`"roles":{"x":{"facets":{{V}}}}`,
	`"roles":{"x":{"safeguards":{{V}}}}`,
	`"roles":{"x":{"fallback":{{V}}}}`,
	`"roles":{"x":{"name":{{V}}}}`,
	`"roles":{"x":{"reframe_claims":{{V}}}}`,
	`"roles":{"x":{"exhausted":{{V}}}}`,
	`"roles":{"x":{"on_unknown":{{V}}}}`,
	`"roles":{{{V}}:{}}`,
	`"roles":{{V}}`,
	`"default":{{V}}`,
	`"floor":{"all":{"exhausted":{{V}}}}`,
	`"floor":{"all":{"forbidden_facets":{{V}}}}`,
	`"floor":{"all":{"fail_closed":{{V}}}}`,
	`"floor":{"all":{"checks":{"hedging":{"threshold":{{V}}}}}}`,
	`"floor":{"kinds":{{{V}}:{}}}`,
	`"floor":{{V}}`,
	`"tenants":{{{V}}:{}}`,
	`"tenants":{"acme":{"default":{{V}}}}`,
	`"tenants":{"acme":{"roles":{"y":{"max_reasks":{{V}}}}}}`,
}

// schemaValues are the values tried at every position.
var schemaValues = []string{
	`0`, `-0`, `0.0`, `0.5`, `1`, `1.0`, `1e0`, `2`, `-1`, `-1.0`, `-2`, `5`, `5.0`, `6`, `1.5`, `1e-400`, `1e400`, `-1e400`,
	`9007199254740993`, `1e308`, `true`, `false`, `null`, `[]`, `{}`, `{"a":1}`,
	`""`, `"x"`, `"y"`, `"X"`, `"advisor"`, `"peer"`, `"custom"`, `"annotate"`, `"reask"`, `"block"`, `"open"`, `"closed"`,
	`"stance_flip"`, `"pushback"`, `"beliefs"`, `"a.b"`, `"-a"`, `"é"`, `"\u0000"`,
	`["beliefs"]`, `["beliefs","beliefs"]`, `["nope"]`, `["traits","beliefs","history","narrative","preferences","demographics"]`,
	strings.Repeat(`"a`, 1) + strings.Repeat("a", 63) + `"`, `"` + strings.Repeat("a", 65) + `"`,
	`"` + strings.Repeat("a", 128) + `"`, `"` + strings.Repeat("a", 129) + `"`,
	`"` + strings.Repeat("é", 100) + `"`,
	`"` + strings.Repeat("a", 4096) + `"`, `"` + strings.Repeat("a", 4097) + `"`,
	`"` + strings.Repeat("é", 3000) + `"`, `"` + strings.Repeat("é", 5000) + `"`,
	`"` + strings.Repeat("a", 8193) + `"`,
}

// schemaDocuments returns the corpus: the base policy with every value at
// every position, and with an unknown field in each of its objects.
func schemaDocuments() []string {
	var docs []string
	for _, pos := range schemaPositions {
		for _, v := range schemaValues {
			if strings.Contains(pos, "{{{V}}:") && !strings.HasPrefix(v, `"`) {
				continue // a key is a string
			}
			docs = append(docs, overlay(pos, v))
		}
	}
	for _, pos := range []string{
		`"colour":1`, `"roles":{"x":{"colour":1}}`, `"roles":{"x":{"checks":{"stance_flip":{"colour":1}}}}`,
		`"floor":{"colour":1}`, `"floor":{"all":{"colour":1}}`, `"floor":{"kinds":{"peer":{"colour":1}}}`,
		`"tenants":{"acme":{"colour":1}}`, `"tenants":{"acme":{"roles":{"y":{"colour":1}}}}`,
		`"Default":"x"`, `"roles":{"x":{"Kind":"peer"}}`,
	} {
		docs = append(docs, overlay(pos, ""))
	}
	return append(docs, `null`, `[]`, `1`, `"x"`, `true`, `{}`)
}

// overlay returns schemaBase with the value v at the position pos, by
// merging the decoded position into the decoded base.
func overlay(pos, v string) string {
	base, err := schemacheck.Decode([]byte(schemaBase))
	if err != nil {
		panic(err)
	}
	patch, err := schemacheck.Decode([]byte("{" + strings.ReplaceAll(pos, "{{V}}", v) + "}"))
	if err != nil {
		panic(fmt.Sprintf("%s with %s: %v", pos, v, err))
	}
	return string(schemacheck.Encode(merge(base, patch)))
}

func merge(base, patch any) any {
	b, ok1 := base.(*schemacheck.Object)
	p, ok2 := patch.(*schemacheck.Object)
	if !ok1 || !ok2 {
		return patch
	}
	out := &schemacheck.Object{Values: map[string]any{}}
	for _, k := range b.Keys {
		out.Keys = append(out.Keys, k)
		out.Values[k] = b.Values[k]
	}
	for _, k := range p.Keys {
		if old, ok := out.Values[k]; ok {
			out.Values[k] = merge(old, p.Values[k])
			continue
		}
		out.Keys = append(out.Keys, k)
		out.Values[k] = p.Values[k]
	}
	return out
}

// TestSchemaAgreesWithDecoder: on a corpus of variations of a policy, the
// published schema (`rolegate schema`) and DecodePolicy agree. A document
// the schema refuses is refused with ErrSchema or ErrUnknownField; one it
// accepts decodes, or is refused only for what Schema's doc says a schema
// cannot express (a name that disagrees with its key, a default that names
// no role, a role below the floor, a length in bytes), never with a schema
// error from the decoder itself.
func TestSchemaAgreesWithDecoder(t *testing.T) {
	sc, err := schemacheck.Compile(Schema())
	if err != nil {
		t.Fatal(err)
	}
	var accepted, refused int
	for _, doc := range schemaDocuments() {
		for _, f := range []Format{JSON, YAML} {
			// A JSON document is a YAML one too, though not always (a
			// key over 1024 characters is not YAML): the schema judges
			// the document as each format reads it.
			parse := schemacheck.Decode
			if f == YAML {
				parse = yamlDocument
			}
			parsed, err := parse([]byte(doc))
			if err != nil {
				if f == JSON {
					t.Fatalf("corpus document does not parse: %v\n%s", err, short(doc))
				}
				// Not every JSON document is YAML (a key over 1024
				// characters is not).
				if _, err := DecodePolicy([]byte(doc), f); !errors.Is(err, ErrSchema) {
					t.Errorf("YAML that does not parse: got %v", err)
				}
				continue
			}
			if parsed == nil && f == YAML {
				// An empty YAML document is the zero policy, as documented.
				if p, err := DecodePolicy([]byte(doc), f); err != nil || !reflect.DeepEqual(*p, Policy{}) {
					t.Errorf("YAML %s: got %+v, %v; want the zero policy", doc, p, err)
				}
				continue
			}
			schemaOK := len(sc.Validate(parsed)) == 0
			p, err := DecodePolicy([]byte(doc), f)
			switch {
			case !schemaOK && err == nil:
				t.Errorf("%s: the schema refuses what DecodePolicy accepts: %v\n%s", f, sc.Validate(parsed), short(doc))
			case !schemaOK && !errors.Is(err, ErrSchema) && !errors.Is(err, ErrUnknownField):
				t.Errorf("%s: schema violation reported as %v\n%s", f, err, short(doc))
			case schemaOK && err != nil && (errors.Is(err, ErrSchema) || errors.Is(err, ErrUnknownField)):
				t.Errorf("%s: the schema accepts what DecodePolicy refuses as a schema error: %v\n%s", f, err, short(doc))
			case schemaOK && err != nil && !beyondSchema(err):
				t.Errorf("%s: the schema accepts what DecodePolicy refuses: %v\n%s", f, err, short(doc))
			case err == nil && p == nil:
				t.Errorf("%s: no policy and no error", f)
			case err == nil:
				// What Encode writes is what the schema accepts.
				b, err := p.Encode(JSON)
				if err != nil {
					t.Fatalf("%s: encode: %v", f, err)
				}
				out, _ := schemacheck.Decode(b)
				if errs := sc.Validate(out); len(errs) > 0 {
					t.Errorf("%s: the schema refuses the encoding of a decoded policy: %v\n%s", f, errs, short(string(b)))
				}
			}
			if f == JSON {
				if err == nil {
					accepted++
				} else {
					refused++
				}
			}
		}
	}
	if accepted < 100 || refused < 100 {
		t.Errorf("corpus too one-sided: %d accepted, %d refused", accepted, refused)
	}
}

// beyondSchema reports whether every error err joins is one that Schema's
// documentation lists as checked beyond the schema.
func beyondSchema(err error) bool {
	var errs []error
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		errs = u.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var fe *FieldError
		if !errors.As(e, &fe) {
			return false
		}
		switch {
		case errors.Is(fe, ErrUnknownRole), errors.Is(fe, ErrBelowFloor):
		case errors.Is(fe, ErrInvalid) && strings.HasSuffix(fe.Path, ".name") && strings.Contains(fe.Detail, "does not match its key"):
		case errors.Is(fe, ErrInvalid) && strings.Contains(fe.Detail, "bytes"):
		default:
			return false
		}
	}
	return true
}

func short(s string) string {
	if len(s) > 400 {
		return s[:400] + "..."
	}
	return s
}
