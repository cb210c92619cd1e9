package persona

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/invopop/jsonschema"

	"github.com/rolegate/rolegate/internal/schemacheck"
	"github.com/rolegate/rolegate/internal/textfold"
)

// JSONSchemaExtend puts the package's limits into the generated schema, so
// the schema and [Profile.Validate] share one source of truth. JSON Schema
// counts characters where Validate counts bytes, so for non-ASCII text the
// schema is the looser of the two; [Decode] applies both.
func (Profile) JSONSchemaExtend(s *jsonschema.Schema) {
	u := func(n int) *uint64 { v := uint64(n); return &v }
	if p, ok := s.Properties.Get("id"); ok {
		p.MaxLength = u(MaxIDBytes)
	}
	if p, ok := s.Properties.Get("narrative"); ok {
		p.MaxLength = u(MaxNarrativeBytes)
	}
	for _, name := range []string{"preferences", "beliefs", "history"} {
		if p, ok := s.Properties.Get(name); ok {
			p.MaxItems = u(MaxItems)
			if p.Items != nil {
				p.Items.MaxLength = u(MaxItemBytes)
				p.Items.MinLength = u(1)
			}
		}
	}
}

var schemaOnce = sync.OnceValues(func() ([]byte, *schemacheck.Schema) {
	r := &jsonschema.Reflector{RequiredFromJSONSchemaTags: true}
	s := r.Reflect(&Profile{})
	s.ID = "https://github.com/rolegate/rolegate/persona/profile.json"
	s.Title = "rolegate persona profile"
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic("persona: generating the schema: " + err.Error())
	}
	return b, schemacheck.MustCompile(b)
})

// Schema returns the JSON Schema of a [Profile], generated from the Go types
// with github.com/invopop/jsonschema. The caller may keep but must not
// modify the returned bytes' backing array; each call returns a fresh copy.
func Schema() []byte {
	b, _ := schemaOnce()
	return append([]byte(nil), b...)
}

// MaxDocumentBytes caps the size of a profile document given to [Decode].
const MaxDocumentBytes = 256 << 10

// Decode parses a JSON profile, checks it against [Schema] and then
// [Profile.Validate], and returns it. A document that does not match the
// schema gives an error wrapping [ErrSchema]: each violation (unknown field,
// wrong type, value outside an enumeration, limit, duplicate key) is a
// [*FieldError] whose Field is its JSON path, several joined with
// errors.Join, as [Profile.Validate] names fields; a string that is not
// valid UTF-8 is a [*FieldError] wrapping [ErrInvalidUTF8], as Validate
// reports it (encoding/json would have replaced the bytes silently); a
// document that is not one JSON object (malformed, trailing data, too
// large) is an error wrapping [ErrSchema] with no field.
func Decode(data []byte) (*Profile, error) {
	if len(data) > MaxDocumentBytes {
		return nil, fmt.Errorf("%w: document is %d bytes, max %d", ErrSchema, len(data), MaxDocumentBytes)
	}
	doc, err := schemacheck.Decode(data)
	if err != nil {
		if fe := invalidUTF8(err, data, "document"); fe != nil {
			return nil, fe
		}
		if se, ok := errors.AsType[*schemacheck.Error](err); ok && se.Path != "" {
			return nil, &FieldError{Field: schemacheck.ShortPath(se.Path), Err: ErrSchema, Detail: se.Msg}
		}
		return nil, fmt.Errorf("%w: %v", ErrSchema, err)
	}
	_, sc := schemaOnce()
	if errs := sc.Validate(doc); len(errs) > 0 {
		return nil, schemaError(errs)
	}
	var p Profile
	if err := json.Unmarshal(schemacheck.Encode(doc), &p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSchema, err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// invalidUTF8 returns the error of a field of data that is not valid
// UTF-8, when err, from schemacheck.Decode, says so: the *FieldError
// wrapping ErrInvalidUTF8 that Validate gives the same field of a profile
// built in code, so that a caller's errors.Is does not depend on where the
// profile came from. It returns nil for any other error.
func invalidUTF8(err error, data []byte, of string) *FieldError {
	se, ok := errors.AsType[*schemacheck.Error](err)
	if !ok || se.Path == "" || !errors.Is(se, schemacheck.ErrInvalidUTF8) {
		return nil
	}
	i := max(textfold.InvalidUTF8At(string(data)), 0)
	return fieldErr(schemacheck.ShortPath(se.Path), ErrInvalidUTF8, "first bad byte %#x at offset %d of the %s", data[i], i, of)
}

func schemaError(violations []*schemacheck.Error) error {
	errs := make([]error, len(violations))
	for i, v := range violations {
		if v.Path == "" {
			errs[i] = fmt.Errorf("%w: %s", ErrSchema, v.Msg)
			continue
		}
		errs[i] = &FieldError{Field: schemacheck.ShortPath(v.Path), Err: ErrSchema, Detail: v.Msg}
	}
	return errors.Join(errs...)
}
