// Package schemacheck validates JSON documents against the subset of JSON
// Schema (draft 2020-12) that github.com/invopop/jsonschema generates from Go
// types, so that a package can check its input against the very schema it
// publishes. The core module may not depend on a full validator; this one
// supports the keywords the generated schemas use and refuses to compile a
// schema with any other validation keyword, so a schema it cannot check
// fully is an error, not a silent pass.
//
// Supported: $ref to "#/$defs/...", $defs, type, enum, const, properties,
// additionalProperties, required, propertyNames, minProperties,
// maxProperties, items, minItems, maxItems, uniqueItems, minLength,
// maxLength, pattern, minimum, maximum, exclusiveMinimum, exclusiveMaximum,
// allOf, anyOf, oneOf, not, and the annotations ($schema, $id, $comment,
// title, description, default, examples, deprecated, readOnly, writeOnly).
package schemacheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rolegate/rolegate/internal/textfold"
)

// Error is one violation, at the JSON path of the offending value
// ("roles.peer.checks.stance_flip.threshold", "beliefs[2]", `tenants["a.b"]`,
// see [Join]; "" for the root).
// Err, when set, is a sentinel of this package the error unwraps to.
type Error struct {
	Path string
	Msg  string
	Err  error
}

// ErrInvalidUTF8 is the sentinel of a [Decode] error about a string, key or
// value, that is not valid UTF-8.
var ErrInvalidUTF8 = errors.New("not valid UTF-8")

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// Error renders "path: message", or the message alone at the root.
func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return ShortPath(e.Path) + ": " + e.Msg
}

// MaxPathBytes is the longest path ShortPath leaves whole.
const MaxPathBytes = 120

// ShortPath returns path, or for a path longer than MaxPathBytes (deep
// nesting in a hostile document) its start and end around "...", so an
// error message stays readable and bounded.
func ShortPath(path string) string {
	if len(path) <= MaxPathBytes {
		return path
	}
	const keep = MaxPathBytes/2 - 2
	return strings.ToValidUTF8(path[:keep], "") + "..." + strings.ToValidUTF8(path[len(path)-keep:], "")
}

// Underflows reports whether the number literal lit (JSON's decimal form,
// or a hexadecimal float "0x1p-2000") has a non-zero digit in its
// mantissa, so that if it parses to 0 it does so only because it is below
// the smallest float64: a value that is not zero but would be read as
// zero, which is a different setting wherever zero means a default.
func Underflows(lit string) bool {
	s := strings.TrimLeft(lit, "+-")
	digits, end := "123456789", "eE"
	if len(s) > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s, digits, end = s[2:], "123456789abcdefABCDEF", "pP"
	}
	if i := strings.IndexAny(s, end); i >= 0 {
		s = s[:i]
	}
	return strings.ContainsAny(s, digits)
}

// MaxErrors caps how many violations Validate reports.
const MaxErrors = 20

// MaxDepth caps the nesting of documents Decode accepts.
const MaxDepth = 64

// Schema is a compiled schema, safe for concurrent use.
type Schema struct {
	root *node
	defs map[string]*node
}

type node struct {
	boolean   *bool
	ref       string
	types     []string
	enum      []any
	hasConst  bool
	constV    any
	props     map[string]*node
	addl      *node
	required  []string
	propNames *node
	items     *node
	minLen    *int
	maxLen    *int
	pattern   *regexp.Regexp
	min, max  *float64
	exMin     *float64
	exMax     *float64
	minItems  *int
	maxItems  *int
	unique    bool
	minProps  *int
	maxProps  *int
	allOf     []*node
	anyOf     []*node
	oneOf     []*node
	not       *node
}

var annotations = map[string]bool{
	"$schema": true, "$id": true, "$comment": true, "$defs": true, "title": true,
	"description": true, "default": true, "examples": true, "deprecated": true,
	"readOnly": true, "writeOnly": true,
}

// Compile parses a schema document.
func Compile(doc []byte) (*Schema, error) {
	var raw any
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	if err := d.Decode(&raw); err != nil {
		return nil, fmt.Errorf("schemacheck: parse schema: %w", err)
	}
	s := &Schema{defs: map[string]*node{}}
	if m, ok := raw.(map[string]any); ok {
		if defs, ok := m["$defs"].(map[string]any); ok {
			for name, d := range defs {
				n, err := compile(d, "$defs."+name)
				if err != nil {
					return nil, err
				}
				s.defs[name] = n
			}
		}
	}
	root, err := compile(raw, "")
	if err != nil {
		return nil, err
	}
	s.root = root
	// Check every reference resolves, so Validate never meets a dangling one.
	var check func(n *node) error
	seen := map[*node]bool{}
	check = func(n *node) error {
		if n == nil || seen[n] {
			return nil
		}
		seen[n] = true
		if n.ref != "" {
			if _, ok := s.defs[strings.TrimPrefix(n.ref, "#/$defs/")]; !ok || !strings.HasPrefix(n.ref, "#/$defs/") {
				return fmt.Errorf("schemacheck: unresolvable $ref %q", n.ref)
			}
		}
		kids := []*node{n.addl, n.propNames, n.items, n.not}
		for _, p := range n.props {
			kids = append(kids, p)
		}
		kids = append(append(append(kids, n.allOf...), n.anyOf...), n.oneOf...)
		for _, k := range kids {
			if err := check(k); err != nil {
				return err
			}
		}
		return nil
	}
	if err := check(s.root); err != nil {
		return nil, err
	}
	for _, d := range s.defs {
		if err := check(d); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// MustCompile is Compile for schemas generated by the program itself.
func MustCompile(doc []byte) *Schema {
	s, err := Compile(doc)
	if err != nil {
		panic(err)
	}
	return s
}

func compile(raw any, at string) (*node, error) {
	if b, ok := raw.(bool); ok {
		return &node{boolean: &b}, nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schemacheck: %s: schema must be an object or a boolean", at)
	}
	n := &node{}
	var err error
	sub := func(v any, key string) *node {
		if err != nil {
			return nil
		}
		var c *node
		c, err = compile(v, at+"."+key)
		return c
	}
	subs := func(v any, key string) []*node {
		arr, ok := v.([]any)
		if !ok {
			err = fmt.Errorf("schemacheck: %s.%s: want an array", at, key)
			return nil
		}
		var out []*node
		for i, x := range arr {
			out = append(out, sub(x, fmt.Sprintf("%s[%d]", key, i)))
		}
		return out
	}
	for k, v := range m {
		switch k {
		case "$ref":
			n.ref, _ = v.(string)
		case "type":
			switch t := v.(type) {
			case string:
				n.types = []string{t}
			case []any:
				for _, x := range t {
					s, _ := x.(string)
					n.types = append(n.types, s)
				}
			}
		case "enum":
			n.enum, _ = v.([]any)
		case "const":
			n.hasConst, n.constV = true, v
		case "properties":
			pm, _ := v.(map[string]any)
			n.props = map[string]*node{}
			for name, p := range pm {
				n.props[name] = sub(p, "properties."+name)
			}
		case "additionalProperties":
			n.addl = sub(v, k)
		case "required":
			for _, x := range asSlice(v) {
				s, _ := x.(string)
				n.required = append(n.required, s)
			}
		case "propertyNames":
			n.propNames = sub(v, k)
		case "items":
			n.items = sub(v, k)
		case "minLength":
			n.minLen = asInt(v)
		case "maxLength":
			n.maxLen = asInt(v)
		case "pattern":
			s, _ := v.(string)
			n.pattern, err = regexp.Compile(s)
		case "minimum":
			n.min = asFloat(v)
		case "maximum":
			n.max = asFloat(v)
		case "exclusiveMinimum":
			n.exMin = asFloat(v)
		case "exclusiveMaximum":
			n.exMax = asFloat(v)
		case "minItems":
			n.minItems = asInt(v)
		case "maxItems":
			n.maxItems = asInt(v)
		case "uniqueItems":
			n.unique, _ = v.(bool)
		case "minProperties":
			n.minProps = asInt(v)
		case "maxProperties":
			n.maxProps = asInt(v)
		case "allOf":
			n.allOf = subs(v, k)
		case "anyOf":
			n.anyOf = subs(v, k)
		case "oneOf":
			n.oneOf = subs(v, k)
		case "not":
			n.not = sub(v, k)
		default:
			if !annotations[k] {
				return nil, fmt.Errorf("schemacheck: %s: unsupported keyword %q", at, k)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return n, nil
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

func asInt(v any) *int {
	n, ok := v.(json.Number)
	if !ok {
		return nil
	}
	i, err := strconv.Atoi(n.String())
	if err != nil {
		return nil
	}
	return &i
}

func asFloat(v any) *float64 {
	n, ok := v.(json.Number)
	if !ok {
		return nil
	}
	f, err := n.Float64()
	if err != nil {
		return nil
	}
	return &f
}

// Validate checks v, a document from [Decode], and returns its violations
// (at most [MaxErrors]) ordered by path, or nil.
func (s *Schema) Validate(v any) []*Error {
	var errs []*Error
	s.validate(s.root, v, "", &errs, 0)
	slices.SortStableFunc(errs, func(a, b *Error) int { return strings.Compare(a.Path, b.Path) })
	if len(errs) > MaxErrors {
		errs = errs[:MaxErrors]
	}
	return errs
}

func (s *Schema) validate(n *node, v any, path string, errs *[]*Error, depth int) {
	if n == nil || len(*errs) > MaxErrors {
		return
	}
	add := func(format string, args ...any) {
		*errs = append(*errs, &Error{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	if depth > MaxDepth {
		add("nested too deeply")
		return
	}
	if n.boolean != nil {
		if !*n.boolean {
			add("not allowed")
		}
		return
	}
	if n.ref != "" {
		s.validate(s.defs[strings.TrimPrefix(n.ref, "#/$defs/")], v, path, errs, depth+1)
	}
	if len(n.types) > 0 && !slices.ContainsFunc(n.types, func(t string) bool { return hasType(v, t) }) {
		add("want %s, got %s", strings.Join(n.types, " or "), typeName(v))
		return
	}
	if n.enum != nil && !slices.ContainsFunc(n.enum, func(e any) bool { return equal(e, v) }) {
		add("%s is not one of %s", show(v), showList(n.enum))
	}
	if n.hasConst && !equal(n.constV, v) {
		add("want %s, got %s", show(n.constV), show(v))
	}
	switch x := v.(type) {
	case string:
		l := utf8.RuneCountInString(x)
		if n.minLen != nil && l < *n.minLen {
			add("too short (%d characters, min %d)", l, *n.minLen)
		}
		if n.maxLen != nil && l > *n.maxLen {
			add("too long (%d characters, max %d)", l, *n.maxLen)
		}
		if n.pattern != nil && !n.pattern.MatchString(x) {
			add("%s does not match %s", show(x), n.pattern)
		}
	case json.Number:
		f, err := x.Float64()
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			add("number %s out of range", x)
			break
		}
		if f == 0 && Underflows(x.String()) {
			add("number %s is too small: it would read as 0", x)
			break
		}
		if n.min != nil && f < *n.min {
			add("%s is below the minimum %v", x, *n.min)
		}
		if n.max != nil && f > *n.max {
			add("%s is above the maximum %v", x, *n.max)
		}
		if n.exMin != nil && f <= *n.exMin {
			add("%s must be above %v", x, *n.exMin)
		}
		if n.exMax != nil && f >= *n.exMax {
			add("%s must be below %v", x, *n.exMax)
		}
	case []any:
		if n.minItems != nil && len(x) < *n.minItems {
			add("too few items (%d, min %d)", len(x), *n.minItems)
		}
		if n.maxItems != nil && len(x) > *n.maxItems {
			add("too many items (%d, max %d)", len(x), *n.maxItems)
		}
		if n.unique {
			// Linear in the array: compare canonical encodings, so a
			// hostile million-item array costs one pass, not n².
			seen := make(map[string]int, len(x))
			for i, it := range x {
				k := string(Encode(canonical(it)))
				if j, dup := seen[k]; dup {
					add("items %d and %d are equal", j, i)
					break
				}
				seen[k] = i
			}
		}
		for i, it := range x {
			s.validate(n.items, it, fmt.Sprintf("%s[%d]", path, i), errs, depth+1)
		}
	case *Object:
		if n.minProps != nil && len(x.Keys) < *n.minProps {
			add("too few fields (%d, min %d)", len(x.Keys), *n.minProps)
		}
		if n.maxProps != nil && len(x.Keys) > *n.maxProps {
			add("too many fields (%d, max %d)", len(x.Keys), *n.maxProps)
		}
		for _, r := range n.required {
			if _, ok := x.Values[r]; !ok {
				add("missing required field %q", r)
			}
		}
		for _, k := range x.Keys {
			kp := Join(path, k)
			if n.propNames != nil {
				var sub []*Error
				s.validate(n.propNames, k, kp, &sub, depth+1)
				if len(sub) > 0 {
					*errs = append(*errs, &Error{Path: kp, Msg: "invalid name: " + sub[0].Msg})
					continue
				}
			}
			if p, ok := n.props[k]; ok {
				s.validate(p, x.Values[k], kp, errs, depth+1)
				continue
			}
			if n.addl != nil {
				if n.addl.boolean != nil && !*n.addl.boolean {
					*errs = append(*errs, &Error{Path: kp, Msg: "unknown field" + suggest(k, n.props)})
					continue
				}
				s.validate(n.addl, x.Values[k], kp, errs, depth+1)
			}
		}
	}
	for _, a := range n.allOf {
		s.validate(a, v, path, errs, depth+1)
	}
	if len(n.anyOf) > 0 && s.matches(n.anyOf, v, depth) == 0 {
		add("matches none of the allowed forms")
	}
	if len(n.oneOf) > 0 && s.matches(n.oneOf, v, depth) != 1 {
		add("must match exactly one of the allowed forms")
	}
	if n.not != nil {
		var sub []*Error
		s.validate(n.not, v, path, &sub, depth+1)
		if len(sub) == 0 {
			add("matches a forbidden form")
		}
	}
}

func (s *Schema) matches(ns []*node, v any, depth int) int {
	c := 0
	for _, n := range ns {
		var sub []*Error
		s.validate(n, v, "", &sub, depth+1)
		if len(sub) == 0 {
			c++
		}
	}
	return c
}

// suggest names the closest known field when k looks like a typo of one.
func suggest(k string, props map[string]*node) string {
	best, bestD := "", 3
	for p := range props {
		if d := distance(strings.ToLower(k), p); d < bestD || (d == bestD && best != "" && p < best) {
			best, bestD = p, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// distance is the Levenshtein distance, capped for long inputs.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Join returns the path of the field key of the object at path: "a.b"
// for a key of ASCII letters, digits, '_' and '-', and otherwise the key
// quoted as Go quotes it, a["x.y"] (["x.y"] at the root), so that a key's
// dots, brackets or line breaks cannot be read as part of the path.
func Join(path, key string) string {
	if !plainKey(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func hasType(v any, t string) bool {
	switch t {
	case "object":
		_, ok := v.(*Object)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "null":
		return v == nil
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		if _, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
			return true
		}
		f, err := n.Float64()
		return err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53
	}
	return false
}

func typeName(v any) string {
	switch v.(type) {
	case *Object:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

func equal(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		fx, e1 := x.Float64()
		fy, e2 := y.Float64()
		return e1 == nil && e2 == nil && fx == fy
	case string, bool, nil:
		return a == b
	case []any:
		y, ok := b.([]any)
		return ok && slices.EqualFunc(x, y, equal)
	case *Object:
		y, ok := b.(*Object)
		if !ok || len(x.Keys) != len(y.Keys) {
			return false
		}
		for k, v := range x.Values {
			w, ok := y.Values[k]
			if !ok || !equal(v, w) {
				return false
			}
		}
		return true
	case map[string]any: // enum/const values from the schema itself
		y, ok := b.(*Object)
		if !ok || len(x) != len(y.Keys) {
			return false
		}
		for k, v := range x {
			if w, ok := y.Values[k]; !ok || !equal(v, w) {
				return false
			}
		}
		return true
	}
	return false
}

func show(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) > 40 {
			x = strings.ToValidUTF8(x[:40], "\uFFFD") + "..."
		}
		return strconv.Quote(x)
	case json.Number:
		return x.String()
	}
	return typeName(v)
}

func showList(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = show(v)
	}
	return strings.Join(parts, ", ")
}

// canonical returns v with object keys sorted and numbers in one spelling,
// so that equal values encode equally.
func canonical(v any) any {
	switch x := v.(type) {
	case *Object:
		keys := slices.Sorted(slices.Values(x.Keys))
		o := &Object{Keys: keys, Values: make(map[string]any, len(keys))}
		for _, k := range keys {
			o.Values[k] = canonical(x.Values[k])
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = canonical(it)
		}
		return out
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	return v
}

// Object is a decoded JSON object that remembers its key order.
type Object struct {
	Keys   []string
	Values map[string]any
}

// Decode parses one JSON document into strings, json.Number, bools, nil,
// []any and *Object. Unlike encoding/json it rejects duplicate object keys
// (a later value would silently replace an earlier one), nesting deeper than
// [MaxDepth], invalid UTF-8 in strings (which encoding/json would replace
// with U+FFFD; the error unwraps to [ErrInvalidUTF8] and names the first
// bad byte), and trailing data; errors name the path.
func Decode(data []byte) (any, error) {
	d := decoder{Decoder: json.NewDecoder(bytes.NewReader(data)), data: data, bad: -1}
	if !utf8.Valid(data) {
		d.bad = textfold.InvalidUTF8At(string(data))
	}
	d.UseNumber()
	v, err := d.value("", 0)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the JSON document")
	}
	if d.bad >= 0 { // not reached: a bad byte outside strings is malformed JSON
		return nil, d.invalid("")
	}
	return v, nil
}

// decoder reads one document token by token; bad is the offset of the
// first byte of data that is not valid UTF-8, or -1.
type decoder struct {
	*json.Decoder
	data []byte
	bad  int
}

// invalid returns the error for the bad byte, in the string at path.
func (d *decoder) invalid(path string) error {
	return &Error{Path: path, Err: ErrInvalidUTF8,
		Msg: fmt.Sprintf("%v: first bad byte %#x at offset %d", ErrInvalidUTF8, d.data[d.bad], d.bad)}
}

// badString reports whether the string token just read holds the bad byte:
// tokens are read in order, and one outside a string is a syntax error, so
// the first string that ends past it is the one.
func (d *decoder) badString() bool { return d.bad >= 0 && d.InputOffset() > int64(d.bad) }

func (d *decoder) value(path string, depth int) (any, error) {
	if depth > MaxDepth {
		return nil, &Error{Path: path, Msg: fmt.Sprintf("nested deeper than %d levels", MaxDepth)}
	}
	tok, err := d.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, &Error{Path: path, Msg: "malformed JSON: " + err.Error()}
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &Object{Values: map[string]any{}}
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return nil, &Error{Path: path, Msg: "malformed JSON: " + err.Error()}
				}
				k, _ := kt.(string)
				if d.badString() {
					return nil, d.invalid(Join(path, k))
				}
				if _, dup := o.Values[k]; dup {
					return nil, &Error{Path: Join(path, k), Msg: "duplicate field"}
				}
				v, err := d.value(Join(path, k), depth+1)
				if err != nil {
					return nil, err
				}
				o.Keys = append(o.Keys, k)
				o.Values[k] = v
			}
			if _, err := d.Token(); err != nil {
				return nil, &Error{Path: path, Msg: "malformed JSON: " + err.Error()}
			}
			return o, nil
		case '[':
			arr := []any{}
			for i := 0; d.More(); i++ {
				v, err := d.value(fmt.Sprintf("%s[%d]", path, i), depth+1)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := d.Token(); err != nil {
				return nil, &Error{Path: path, Msg: "malformed JSON: " + err.Error()}
			}
			return arr, nil
		}
		return nil, &Error{Path: path, Msg: fmt.Sprintf("malformed JSON: unexpected %q", t)}
	case string:
		if d.badString() {
			return nil, d.invalid(path)
		}
		return t, nil
	default:
		return t, nil
	}
}

// Encode renders a decoded document back to JSON, keys in their original
// order, for handing to encoding/json once it has been validated. A number
// that the schema's "integer" accepts (2.0, 2e0) is written as an integer,
// which encoding/json would otherwise refuse to put in an int field.
func Encode(v any) []byte {
	var b bytes.Buffer
	encode(&b, v)
	return b.Bytes()
}

func encode(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case *Object:
		b.WriteByte('{')
		for i, k := range x.Keys {
			if i > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteByte(':')
			encode(b, x.Values[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, it := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			encode(b, it)
		}
		b.WriteByte(']')
	case json.Number:
		b.WriteString(integral(x).String())
	default:
		vb, _ := json.Marshal(x)
		b.Write(vb)
	}
}

// integral returns n spelled as an integer when it is one that the
// "integer" type accepts, and n as it is otherwise.
func integral(n json.Number) json.Number {
	if _, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
		return n
	}
	if f, err := n.Float64(); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return json.Number(strconv.FormatInt(int64(f), 10))
	}
	return n
}
