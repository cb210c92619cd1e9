package role

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/invopop/jsonschema"
	"go.yaml.in/yaml/v3"

	"github.com/rolegate/rolegate/internal/schemacheck"
)

// Format is a policy document format.
type Format string

// Formats.
const (
	JSON Format = "json"
	YAML Format = "yaml"
)

// FormatOf returns the format a file name's extension implies: .json, or
// .yaml and .yml.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return JSON, nil
	case ".yaml", ".yml":
		return YAML, nil
	}
	return "", &FieldError{Err: ErrFormat, Detail: fmt.Sprintf("%q: want a .json, .yaml or .yml file", filepath.Base(path))}
}

// MaxPolicyBytes caps the size of a policy document.
const MaxPolicyBytes = 1 << 20

// maxYAMLNodes caps the nodes a YAML document may expand to through aliases.
const maxYAMLNodes = 100_000

// yamlBudget is what is left of the expansion a YAML document may have:
// nodes (maxYAMLNodes) and the bytes of its keys and scalars
// (MaxPolicyBytes, as for a JSON document), counted once per alias that
// repeats them, since few nodes can carry much text.
type yamlBudget struct{ nodes, bytes int }

func (b *yamlBudget) spend(path string, nodes int, text string) error {
	b.nodes -= nodes
	b.bytes -= len(text)
	switch {
	case b.nodes < 0:
		return &schemacheck.Error{Path: path, Msg: fmt.Sprintf("document expands to more than %d nodes", maxYAMLNodes)}
	case b.bytes < 0:
		return &schemacheck.Error{Path: path, Msg: fmt.Sprintf("document expands to more than %d bytes of text", MaxPolicyBytes)}
	}
	return nil
}

// JSONSchemaExtend restricts check keys to the checkable metrics.
func (Role) JSONSchemaExtend(s *jsonschema.Schema) { restrictChecks(s) }

// JSONSchemaExtend restricts check keys to the checkable metrics.
func (Limits) JSONSchemaExtend(s *jsonschema.Schema) { restrictChecks(s) }

// JSONSchemaExtend restricts the keys of Kinds to the known kinds.
func (Floor) JSONSchemaExtend(s *jsonschema.Schema) {
	if p, ok := s.Properties.Get("kinds"); ok {
		p.PropertyNames = Kind("").JSONSchema()
	}
}

// JSONSchemaExtend restricts role and tenant names.
func (Policy) JSONSchemaExtend(s *jsonschema.Schema) { restrictNames(s) }

// JSONSchemaExtend restricts role names.
func (Tenant) JSONSchemaExtend(s *jsonschema.Schema) { restrictNames(s) }

func restrictNames(s *jsonschema.Schema) {
	if p, ok := s.Properties.Get("roles"); ok {
		p.PropertyNames = &jsonschema.Schema{Type: "string", Pattern: namePattern}
	}
	if p, ok := s.Properties.Get("default"); ok {
		p.Pattern = namePattern
		p.MaxLength = nil
	}
	if p, ok := s.Properties.Get("tenants"); ok {
		one, most := uint64(1), uint64(MaxTenantName)
		p.PropertyNames = &jsonschema.Schema{Type: "string", MinLength: &one, MaxLength: &most}
	}
}

func restrictChecks(s *jsonschema.Schema) {
	for name, max := range map[string]uint64{"safeguards": MaxSafeguardsBytes, "fallback": MaxFallbackBytes} {
		if p, ok := s.Properties.Get(name); ok {
			p.MaxLength = &max
		}
	}
	if p, ok := s.Properties.Get("name"); ok {
		p.Pattern = namePattern
		p.MaxLength = nil
	}
	if p, ok := s.Properties.Get("checks"); ok {
		p.PropertyNames = &jsonschema.Schema{Type: "string", Enum: anys(checkable)}
	}
	if p, ok := s.Properties.Get("max_reasks"); ok {
		p.Maximum = json.Number(strconv.Itoa(MaxReasksLimit))
	}
	if p, ok := s.Properties.Get("exhausted"); ok {
		p.Enum = []any{Annotate.String(), Block.String()}
		p.Ref = ""
		p.Type = "string"
	}
}

var policySchema = sync.OnceValues(func() ([]byte, *schemacheck.Schema) {
	r := &jsonschema.Reflector{RequiredFromJSONSchemaTags: true}
	s := r.Reflect(&Policy{})
	s.ID = "https://github.com/rolegate/rolegate/role/policy.json"
	s.Title = "rolegate policy"
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic("role: generating the schema: " + err.Error())
	}
	return b, schemacheck.MustCompile(b)
})

// Schema returns the JSON Schema of a [Policy] document, generated from the
// Go types with github.com/invopop/jsonschema. [DecodePolicy] validates
// every document against it; `rolegate schema` prints it. Each call
// returns a fresh copy.
//
// A document the schema refuses, DecodePolicy refuses. One it accepts can
// still be refused ([Policy.Validate]) for what a schema cannot express: a role's
// name that differs from its key, a default that names no role, a role
// below the floor, and lengths, which JSON Schema counts in characters
// where the limits ([MaxSafeguardsBytes], [MaxFallbackBytes],
// [MaxTenantName]) count bytes, so for non-ASCII text the schema is the
// looser of the two; and a number too small for a float64 (1e-400), which
// a validator with exact numbers accepts as a threshold and DecodePolicy
// refuses, since it would read as 0, the default.
func Schema() []byte {
	b, _ := policySchema()
	return bytes.Clone(b)
}

// DecodePolicy parses a policy document in the given format, validates it
// against [Schema] and then with [Policy.Validate], and returns it.
//
// Errors name the field's path in the document: unknown fields (with the
// closest known name), wrong types, values outside an enumeration, duplicate
// keys (which JSON and YAML decoders usually resolve silently), thresholds
// out of range (also one too small for a float64, such as 1e-400, which
// would read as 0 and so mean DefaultThreshold), roles below the floor. Schema violations wrap [ErrSchema]
// and unknown fields also [ErrUnknownField]; each is a [*FieldError].
// YAML is decoded to the same document model as JSON first, so both formats
// give the same errors; YAML anchors and aliases are allowed up to a
// bounded expansion (its keys and scalars, counted once per alias that
// repeats them, at most MaxPolicyBytes, as in a JSON document). A JSON
// document is one object and nothing after it; a YAML file is one
// document, and an empty one (nothing but comments, or null) is the zero
// policy.
func DecodePolicy(data []byte, f Format) (*Policy, error) {
	if len(data) > MaxPolicyBytes {
		return nil, &FieldError{Err: ErrSchema, Detail: fmt.Sprintf("document is %d bytes, max %d", len(data), MaxPolicyBytes)}
	}
	var doc any
	var err error
	switch f {
	case JSON:
		doc, err = schemacheck.Decode(data)
	case YAML:
		doc, err = yamlDocument(data)
	default:
		return nil, &FieldError{Err: ErrFormat, Detail: fmt.Sprintf("%q, want json or yaml", string(f))}
	}
	if err != nil {
		var se *schemacheck.Error
		if errors.As(err, &se) {
			return nil, &FieldError{Path: schemacheck.ShortPath(se.Path), Err: ErrSchema, Detail: se.Msg}
		}
		return nil, &FieldError{Err: ErrSchema, Detail: err.Error()}
	}
	if doc == nil && f == YAML {
		// An empty YAML file (or one that is only comments or null) is the
		// zero policy. A JSON document has no empty form: null is refused
		// by the schema, like any other value that is not an object.
		doc = &schemacheck.Object{Values: map[string]any{}}
	}
	_, sc := policySchema()
	if violations := sc.Validate(doc); len(violations) > 0 {
		errs := make([]error, len(violations))
		for i, v := range violations {
			if strings.HasPrefix(v.Msg, "unknown field") {
				errs[i] = &FieldError{Path: schemacheck.ShortPath(v.Path), Err: ErrUnknownField, Detail: strings.TrimPrefix(strings.TrimPrefix(v.Msg, "unknown field"), "; ")}
				continue
			}
			errs[i] = &FieldError{Path: schemacheck.ShortPath(v.Path), Err: ErrSchema, Detail: v.Msg}
		}
		return nil, errors.Join(errs...)
	}
	var p Policy
	dec := json.NewDecoder(bytes.NewReader(schemacheck.Encode(doc)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		// The schema should have caught this; report it rather than guess.
		return nil, &FieldError{Err: ErrSchema, Detail: err.Error()}
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// LoadPolicy reads and decodes the policy file at path; the extension
// chooses the format (see [FormatOf] and [DecodePolicy]). It reads at most
// one byte more than [MaxPolicyBytes], so a larger file is refused without
// being read whole.
func LoadPolicy(path string) (*Policy, error) {
	// Open first: a missing file is reported as missing, whatever its name.
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	format, err := FormatOf(path)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxPolicyBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxPolicyBytes {
		return nil, &FieldError{Err: ErrSchema, Detail: fmt.Sprintf("%s is larger than a policy may be, max %d bytes", filepath.Base(path), MaxPolicyBytes)}
	}
	return DecodePolicy(data, format)
}

// Encode renders the policy as a document in the given format, with the
// fields in the order of the Go types and map keys sorted, so that the
// output is stable. It validates the policy first: an invalid policy is not
// written.
func (p *Policy) Encode(f Format) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p == nil {
		p = &Policy{}
	}
	js, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, err
	}
	switch f {
	case JSON:
		return append(js, '\n'), nil
	case YAML:
		doc, err := schemacheck.Decode(js)
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(yamlNode(doc)); err != nil {
			return nil, err
		}
		if err := enc.Close(); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	return nil, &FieldError{Err: ErrFormat, Detail: fmt.Sprintf("%q, want json or yaml", string(f))}
}

// SavePolicy writes the policy to path in the format its extension implies,
// replacing the file atomically (write to a temporary file, then rename).
// A file that exists keeps its permissions; a new one gets 0644.
func SavePolicy(path string, p *Policy) error {
	f, err := FormatOf(path)
	if err != nil {
		return err
	}
	data, err := p.Encode(f)
	if err != nil {
		return err
	}
	perm := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		perm = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	// CreateTemp makes the file 0600, and the rename would carry that over.
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// yamlDocument decodes YAML into the document model of schemacheck.Decode.
func yamlDocument(data []byte) (any, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, fmt.Errorf("malformed YAML: %v", err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, errors.New("more than one YAML document")
	case !errors.Is(err, io.EOF):
		// Text after the document that is not even YAML.
		return nil, fmt.Errorf("malformed YAML after the document: %v", err)
	}
	return fromYAML(&root, "", &yamlBudget{nodes: maxYAMLNodes, bytes: MaxPolicyBytes}, 0)
}

func fromYAML(n *yaml.Node, path string, budget *yamlBudget, depth int) (any, error) {
	text := ""
	if n.Kind == yaml.ScalarNode {
		text = n.Value
	}
	if err := budget.spend(path, 1, text); err != nil {
		return nil, err
	}
	if depth > schemacheck.MaxDepth {
		return nil, &schemacheck.Error{Path: path, Msg: fmt.Sprintf("nested deeper than %d levels", schemacheck.MaxDepth)}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		// The document is no level of its own: its value is the root,
		// at depth 0 as in schemacheck.Decode.
		return fromYAML(n.Content[0], path, budget, depth)
	case yaml.AliasNode:
		// An alias stands for its anchor's value, in place: no level of
		// its own either. A recursive alias still nests deeper at each
		// turn, through the mapping or sequence that holds it.
		return fromYAML(n.Alias, path, budget, depth)
	case yaml.MappingNode:
		o := &schemacheck.Object{Values: map[string]any{}}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				return nil, &schemacheck.Error{Path: path, Msg: fmt.Sprintf("line %d: merge keys (<<) are not supported", k.Line)}
			}
			if k.Kind != yaml.ScalarNode {
				return nil, &schemacheck.Error{Path: path, Msg: fmt.Sprintf("line %d: keys must be plain strings", k.Line)}
			}
			if k.Tag != "!!str" && k.Tag != "!!int" {
				// A tenant named 2024-01-01, true or 1.5 reads as a date, a
				// boolean or a float; say so rather than refuse it unexplained.
				return nil, &schemacheck.Error{Path: path, Msg: fmt.Sprintf("line %d: keys must be plain strings; %s reads as YAML %s: quote it",
					k.Line, clipKey(k.Value), strings.TrimPrefix(k.Tag, "!!"))}
			}
			kp := schemacheck.Join(path, k.Value)
			// The key is text, not a node of its own.
			if err := budget.spend(kp, 0, k.Value); err != nil {
				return nil, err
			}
			if _, dup := o.Values[k.Value]; dup {
				return nil, &schemacheck.Error{Path: kp, Msg: "duplicate field"}
			}
			val, err := fromYAML(v, kp, budget, depth+1)
			if err != nil {
				return nil, err
			}
			o.Keys = append(o.Keys, k.Value)
			o.Values[k.Value] = val
		}
		return o, nil
	case yaml.SequenceNode:
		arr := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			v, err := fromYAML(c, fmt.Sprintf("%s[%d]", path, i), budget, depth+1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		return arr, nil
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil, nil
		case "!!bool":
			var b bool
			if err := n.Decode(&b); err != nil {
				return nil, &schemacheck.Error{Path: path, Msg: err.Error()}
			}
			return b, nil
		case "!!int", "!!float":
			var f float64
			if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				return nil, &schemacheck.Error{Path: path, Msg: fmt.Sprintf("line %d: %q is not a finite number", n.Line, n.Value)}
			}
			if f == 0 && schemacheck.Underflows(n.Value) {
				// Zero means a default (DefaultThreshold): a tiny threshold
				// must not silently become a middling one.
				return nil, &schemacheck.Error{Path: path, Msg: fmt.Sprintf("line %d: %s is too small: it would read as 0", n.Line, n.Value)}
			}
			if n.Tag == "!!int" {
				if i, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
					return json.Number(strconv.FormatInt(i, 10)), nil
				}
			}
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
		case "!!str":
			// yaml.v3 reads a plain number beyond float64's range (1e400)
			// as text; YAML's core schema makes it a float, and JSON
			// refuses it, so refuse it here too rather than take the text.
			if n.Style == 0 && yamlFloat.MatchString(n.Value) {
				return nil, &schemacheck.Error{Path: path, Msg: fmt.Sprintf("line %d: %q is not a finite number", n.Line, n.Value)}
			}
			return n.Value, nil
		}
		return nil, &schemacheck.Error{Path: path, Msg: fmt.Sprintf("line %d: unsupported YAML tag %s", n.Line, n.Tag)}
	}
	return nil, &schemacheck.Error{Path: path, Msg: "unsupported YAML node"}
}

// clipKey quotes a key for an error message, cut to 40 bytes.
func clipKey(k string) string {
	if len(k) > 40 {
		return strconv.Quote(strings.ToValidUTF8(k[:40], "")) + "..."
	}
	return strconv.Quote(k)
}

// yamlFloat matches a plain YAML float of the core schema (YAML 1.2,
// 10.3.2), without the .inf and .nan forms.
var yamlFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// yamlNode converts a decoded JSON document to a YAML node tree, keeping key
// order.
func yamlNode(v any) *yaml.Node {
	switch x := v.(type) {
	case *schemacheck.Object:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, k := range x.Keys {
			n.Content = append(n.Content, yamlString(k), yamlNode(x.Values[k]))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, it := range x {
			n.Content = append(n.Content, yamlNode(it))
		}
		return n
	case json.Number:
		tag := "!!float"
		if _, err := strconv.ParseInt(x.String(), 10, 64); err == nil {
			tag = "!!int"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: x.String()}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(x)}
	case string:
		return yamlString(x)
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
}

// yamlString returns the node of a string, key or value.
func yamlString(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if s == "<<" {
		// The encoder quotes text that would read back as another type,
		// but not "<<", which would read back as a merge key.
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}
