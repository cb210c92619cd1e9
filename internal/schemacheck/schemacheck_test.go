package schemacheck

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const testSchema = `{
  "$ref": "#/$defs/Doc",
  "$defs": {
    "Doc": {
      "type": "object",
      "additionalProperties": false,
      "required": ["name"],
      "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-z]+$"},
        "level": {"type": "string", "enum": ["low", "high"]},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "count": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3, "minItems": 1, "uniqueItems": true},
        "checks": {"type": "object", "propertyNames": {"enum": ["a", "b"]}, "additionalProperties": {"type": "boolean"}, "maxProperties": 1},
        "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        "one": {"oneOf": [{"type": "number"}, {"type": "integer"}]},
        "never": {"not": {"type": "string"}},
        "fixed": {"const": "x"},
        "nothing": false
      }
    }
  }
}`

func TestValidate(t *testing.T) {
	s, err := Compile([]byte(testSchema))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		doc  string
		want []string // "path: message" of every violation, in order
	}{
		{"valid", `{"name":"ab","level":"low","score":0.5,"count":3,"tags":["x"],"checks":{"a":true},"either":1,"one":1.5,"never":1,"fixed":"x"}`, nil},
		{"missing required", `{}`, []string{`missing required field "name"`}},
		{"unknown field with suggestion", `{"name":"a","levle":"low"}`, []string{`levle: unknown field; did you mean "level"?`}},
		{"unknown field without suggestion", `{"name":"a","zzzzzzzz":1}`, []string{`zzzzzzzz: unknown field`}},
		{"wrong type", `{"name":3}`, []string{`name: want string, got a number`}},
		{"string limits", `{"name":"abcdef"}`, []string{`name: too long (6 characters, max 5)`}},
		{"pattern", `{"name":"AB"}`, []string{`name: "AB" does not match ^[a-z]+$`}},
		{"characters, not bytes", `{"name":"ééééé"}`, []string{`name: "ééééé" does not match ^[a-z]+$`}},
		{"enum", `{"name":"a","level":"mid"}`, []string{`level: "mid" is not one of "low", "high"`}},
		{"number range", `{"name":"a","score":1.5}`, []string{`score: 1.5 is above the maximum 1`}},
		{"underflow", `{"name":"a","score":1e-400}`, []string{`score: number 1e-400 is too small: it would read as 0`}},
		{"zero in any spelling", `{"name":"a","score":0.000e-400}`, nil},
		{"exclusive range", `{"name":"a","count":0}`, []string{`count: 0 must be above 0`}},
		{"integer", `{"name":"a","count":2.5}`, []string{`count: want integer, got a number`}},
		{"integer written as float", `{"name":"a","count":2.0}`, nil},
		{"array limits", `{"name":"a","tags":["a","b","c","d"]}`, []string{`tags: too many items (4, max 3)`}},
		{"unique items", `{"name":"a","tags":["x","x"]}`, []string{`tags: items 0 and 1 are equal`}},
		{"item type", `{"name":"a","tags":[1]}`, []string{`tags[0]: want string, got a number`}},
		{"property names", `{"name":"a","checks":{"c":true}}`, []string{`checks.c: invalid name: "c" is not one of "a", "b"`}},
		{"additional properties schema", `{"name":"a","checks":{"a":1}}`, []string{`checks.a: want boolean, got a number`}},
		{"max properties", `{"name":"a","checks":{"a":true,"b":true}}`, []string{`checks: too many fields (2, max 1)`}},
		{"anyOf", `{"name":"a","either":true}`, []string{`either: matches none of the allowed forms`}},
		{"oneOf", `{"name":"a","one":1}`, []string{`one: must match exactly one of the allowed forms`}},
		{"not", `{"name":"a","never":"s"}`, []string{`never: matches a forbidden form`}},
		{"const", `{"name":"a","fixed":"y"}`, []string{`fixed: want "x", got "y"`}},
		{"false schema", `{"name":"a","nothing":1}`, []string{`nothing: not allowed`}},
		{"several, sorted by path", `{"name":"","level":"x"}`, []string{`level: "x" is not one of "low", "high"`, `name: too short (0 characters, min 1)`, `name: "" does not match ^[a-z]+$`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Decode([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range s.Validate(doc) {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestCompileRefusesUnsupported(t *testing.T) {
	for _, doc := range []string{
		`{"type":"object","dependentRequired":{"a":["b"]}}`,
		`{"$ref":"#/$defs/Missing"}`,
		`{"$ref":"http://example.com/x"}`,
		`{"properties":{"a":{"if":{"type":"string"}}}}`,
		`[]`,
		`{"pattern":"("}`,
		`not json`,
	} {
		if _, err := Compile([]byte(doc)); err == nil {
			t.Errorf("compiled %s", doc)
		}
	}
}

func TestDecode(t *testing.T) {
	tests := []struct{ name, in, wantErr string }{
		{"duplicate key", `{"a":1,"a":2}`, "a: duplicate field"},
		{"nested duplicate", `{"a":{"b":1,"b":1}}`, "a.b: duplicate field"},
		{"trailing", `{}x`, "trailing data"},
		{"truncated", `{"a":[1,`, "malformed JSON"},
		{"invalid UTF-8", "\"\xff\"", "not valid UTF-8"},
		{"invalid UTF-8 in a nested string", "{\"a\":[\"x\",\"y\\n\xffz\"]}", "a[1]: not valid UTF-8: first bad byte 0xff at offset 14"},
		{"invalid UTF-8 in a key", "{\"a\":{\"b\xc3(\":1}}", "a[\"b\ufffd(\"]: not valid UTF-8: first bad byte 0xc3 at offset 8"},
		{"invalid UTF-8 outside strings", "[1,\xff]", "malformed JSON"},
		{"too deep", strings.Repeat("[", MaxDepth+2) + strings.Repeat("]", MaxDepth+2), "[0]: nested deeper than"},
		{"empty", ``, "malformed JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got %v, want %q", err, tt.wantErr)
			}
			if len(err.Error()) > MaxPathBytes+80 {
				t.Errorf("%d-byte error: %v", len(err.Error()), err)
			}
			if inString := strings.Contains(tt.wantErr, "UTF-8"); errors.Is(err, ErrInvalidUTF8) != inString {
				t.Errorf("errors.Is(%v, ErrInvalidUTF8) = %v, want %v", err, !inString, inString)
			}
		})
	}
	v, err := Decode([]byte(`{"b":1,"a":[true,null,"x",1.50]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(Encode(v)); got != `{"b":1,"a":[true,null,"x",1.50]}` {
		t.Errorf("Encode kept neither order nor spelling: %s", got)
	}
}

func FuzzDecodeValidate(f *testing.F) {
	s := MustCompile([]byte(testSchema))
	f.Add([]byte(`{"name":"ab","tags":["x","x"],"checks":{"c":1}}`))
	f.Add([]byte(`{"a":{"a":{"a":[1,2,{"b":null}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Decode(data)
		if err != nil {
			return
		}
		errs := s.Validate(doc)
		if len(errs) > MaxErrors {
			t.Fatalf("%d errors, max %d", len(errs), MaxErrors)
		}
		// Encode gives JSON that encoding/json accepts and that decodes to
		// the same document.
		enc := Encode(doc)
		if !json.Valid(enc) {
			t.Fatalf("Encode produced invalid JSON: %s", enc)
		}
		doc2, err := Decode(enc)
		if err != nil || string(Encode(doc2)) != string(enc) {
			t.Fatalf("re-decode: %v", err)
		}
	})
}

func TestUnderflows(t *testing.T) {
	for lit, want := range map[string]bool{
		"0": false, "-0": false, "0.0": false, "0e-400": false, "0.000E5": false, "0x0p-2000": false,
		"1e-400": true, "-0.0001e-400": true, "0x1p-2000": true, "0xAp-2000": true, "5e-324": true,
	} {
		if got := Underflows(lit); got != want {
			t.Errorf("Underflows(%q) = %v, want %v", lit, got, want)
		}
	}
}

func TestJoin(t *testing.T) {
	for _, tt := range []struct{ path, key, want string }{
		{"", "roles", "roles"},
		{"roles", "peer_2-x", "roles.peer_2-x"},
		{"tenants", "a.b", `tenants["a.b"]`},
		{"", "a.b", `["a.b"]`},
		{"tenants", "a\nb", `tenants["a\nb"]`},
		{"tenants", "é", `tenants["é"]`},
		{"tenants", "", `tenants[""]`},
		{"x", "[0]", `x["[0]"]`},
	} {
		if got := Join(tt.path, tt.key); got != tt.want {
			t.Errorf("Join(%q, %q) = %s, want %s", tt.path, tt.key, got, tt.want)
		}
	}
}
