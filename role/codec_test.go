package role

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/internal/schemacheck"
	"github.com/rolegate/rolegate/metrics"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (-want +got):\n-%s\n+%s", path, want, got)
	}
}

func TestSchemaGolden(t *testing.T) {
	golden(t, "policy.schema.json", string(Schema())+"\n")
	a := Schema()
	a[0] = 'X'
	if Schema()[0] == 'X' {
		t.Fatal("Schema returned shared bytes")
	}
}

const exampleYAML = `# An operator policy.
default: advisor
floor:
  all:
    checks:
      belief_adoption: {threshold: 0.7}
  kinds:
    peer:
      forbidden_facets: [beliefs]
      checks:
        stance_flip: {threshold: 0.5, action: reask}
      fail_closed: true
tenants:
  acme:
    default: support
    roles:
      support:
        kind: advisor
        facets: [demographics, preferences]
        safeguards: Challenge assumptions.
        reframe_claims: true
        checks:
          framing_acceptance: {threshold: 0.6, action: reask}
          belief_adoption: {threshold: 0.5, action: reask}
          capitulation: {threshold: 0.5, under_pressure: 0.25, action: reask}
        fallback: Sorry.
`

func TestDecodePolicyValid(t *testing.T) {
	p, err := DecodePolicy([]byte(exampleYAML), YAML)
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.Resolve("acme", "")
	if err != nil || r.Name != "support" || r.Safeguards != "Challenge assumptions." || !r.ReframeClaims ||
		r.Checks[metrics.Capitulation] != (Check{Threshold: 0.5, UnderPressure: 0.25, Action: Reask}) {
		t.Fatalf("got %+v, %v", r, err)
	}
	js, err := p.Encode(JSON)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "example.json", string(js))
	p2, err := DecodePolicy(js, JSON)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, p2) {
		t.Errorf("YAML and JSON decode differently:\n%+v\n%+v", p, p2)
	}
	ys, err := p.Encode(YAML)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "example.yaml", string(ys))
	p3, err := DecodePolicy(ys, YAML)
	if err != nil || !reflect.DeepEqual(p, p3) {
		t.Errorf("YAML round trip: %v", err)
	}
}

func TestDecodePolicyEmpty(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
		f    Format
	}{{"empty YAML", "", YAML}, {"YAML comment only", "# nothing\n", YAML}, {"empty JSON object", "{}", JSON}, {"YAML null", "null", YAML}} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DecodePolicy([]byte(tt.in), tt.f)
			if err != nil || !reflect.DeepEqual(*p, Policy{}) {
				t.Errorf("got %+v, %v; want the zero policy", p, err)
			}
		})
	}
}

func TestDecodePolicyErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		f       Format
		wantErr error
		wantIn  string
	}{
		{"JSON unknown top-level field", `{"rols":{}}`, JSON, ErrUnknownField, `role: rols: unknown field (did you mean "roles"?)`},
		{"YAML unknown nested field", "roles:\n  x:\n    kind: peer\n    treshold: 1\n", YAML, ErrUnknownField, "role: roles.x.treshold: unknown field"},
		{"YAML typo in a check", "roles:\n  x:\n    checks:\n      hedging: {treshold: 0.5}\n", YAML, ErrUnknownField, `roles.x.checks.hedging.treshold: unknown field (did you mean "threshold"?)`},
		{"threshold out of range", `{"roles":{"x":{"checks":{"hedging":{"threshold":1.5}}}}}`, JSON, ErrSchema, "roles.x.checks.hedging.threshold: policy does not match the schema (1.5 is above the maximum 1)"},
		{"under_pressure out of range", `{"roles":{"x":{"checks":{"capitulation":{"under_pressure":-0.1}}}}}`, JSON, ErrSchema, "roles.x.checks.capitulation.under_pressure: policy does not match the schema (-0.1 is below the minimum 0)"},
		{"under_pressure looser than the threshold", "roles:\n  x:\n    checks:\n      capitulation: {threshold: 0.5, under_pressure: 0.6}\n", YAML, ErrInvalid,
			"roles.x.checks.capitulation.under_pressure: invalid value (0.6 is looser than the check's threshold 0.5: it may only be stricter)"},
		{"under_pressure on a check that is not yielding", `{"roles":{"x":{"checks":{"hedging":{"threshold":0.7,"under_pressure":0.5}}}}}`, JSON, ErrInvalid,
			"roles.x.checks.hedging.under_pressure: invalid value (set on hedging, which does not measure giving ground"},
		{"under_pressure in a floor looser than its threshold", "floor:\n  all:\n    checks:\n      stance_flip: {under_pressure: 0.7}\n", YAML, ErrInvalid,
			"floor.all.checks.stance_flip.under_pressure: invalid value (0.7 is looser than the check's threshold 0.5"},
		{"under_pressure too small for a float64", "roles:\n  x:\n    checks:\n      capitulation: {under_pressure: 1e-400}\n", YAML, ErrSchema, "roles.x.checks.capitulation.under_pressure"},
		{"threshold as a string", "roles:\n  x:\n    checks:\n      hedging: {threshold: high}\n", YAML, ErrSchema, "roles.x.checks.hedging.threshold: policy does not match the schema (want number, got a string)"},
		{"unknown action", `{"roles":{"x":{"checks":{"hedging":{"action":"warn"}}}}}`, JSON, ErrSchema, `roles.x.checks.hedging.action: policy does not match the schema ("warn" is not one of "annotate", "reask", "block")`},
		{"unknown metric", `{"roles":{"x":{"checks":{"vibes":{}}}}}`, JSON, ErrSchema, `roles.x.checks.vibes: policy does not match the schema (invalid name: "vibes" is not one of`},
		{"pushback is not checkable", `{"roles":{"x":{"checks":{"pushback":{}}}}}`, JSON, ErrSchema, `roles.x.checks.pushback`},
		{"unknown facet", `{"roles":{"x":{"facets":["opinions"]}}}`, JSON, ErrSchema, `roles.x.facets[0]: policy does not match the schema ("opinions" is not one of`},
		{"repeated facet", `{"roles":{"x":{"facets":["beliefs","beliefs"]}}}`, JSON, ErrSchema, `roles.x.facets: policy does not match the schema (items 0 and 1 are equal)`},
		{"unknown kind", "roles:\n  x: {kind: boss}\n", YAML, ErrSchema, `roles.x.kind`},
		{"exhausted reask", "roles:\n  x: {exhausted: reask}\n", YAML, ErrSchema, `roles.x.exhausted`},
		{"max reasks too high", `{"roles":{"x":{"max_reasks":9}}}`, JSON, ErrSchema, `roles.x.max_reasks: policy does not match the schema (9 is above the maximum 5)`},
		{"max reasks fractional", `{"roles":{"x":{"max_reasks":1.5}}}`, JSON, ErrSchema, `roles.x.max_reasks: policy does not match the schema (want integer, got a number)`},
		{"bad role name", `{"roles":{"a.b":{}}}`, JSON, ErrSchema, `roles["a.b"]: policy does not match the schema (invalid name`},
		{"default names no role", `{"default":"oracle"}`, JSON, ErrUnknownRole, `role: default: unknown role ("oracle")`},
		{"override below the floor", "floor:\n  all:\n    fail_closed: true\ntenants:\n  acme:\n    roles:\n      chat: {}\n", YAML, ErrBelowFloor, "role: tenants.acme.roles.chat.on_unknown: below the operator floor (open where the floor requires closed; set by floor.all)"},
		{"JSON duplicate key", `{"default":"peer","default":"advisor"}`, JSON, ErrSchema, "role: default: policy does not match the schema (duplicate field)"},
		{"YAML duplicate key", "default: peer\ndefault: advisor\n", YAML, ErrSchema, "role: default: policy does not match the schema (duplicate field)"},
		{"JSON malformed", `{"roles":`, JSON, ErrSchema, "malformed JSON"},
		{"JSON trailing data", `{} []`, JSON, ErrSchema, "trailing data"},
		{"YAML malformed", "roles: [\n", YAML, ErrSchema, "malformed YAML"},
		{"YAML two documents", "default: peer\n---\ndefault: advisor\n", YAML, ErrSchema, "more than one YAML document"},
		{"YAML malformed second document", "default: peer\n---\n{{{{\n", YAML, ErrSchema, "malformed YAML"},
		{"YAML malformed after the document end", "default: peer\n...\n: : [\n", YAML, ErrSchema, "malformed YAML"},
		{"JSON null", "null", JSON, ErrSchema, "want object, got null"},
		{"YAML merge key", "base: &b {kind: peer}\nroles:\n  x:\n    <<: *b\n", YAML, ErrSchema, "merge keys"},
		{"YAML non-string key", "roles:\n  [a]: {}\n", YAML, ErrSchema, "keys must be plain strings"},
		{"YAML date as a key", "tenants:\n  2024-01-01: {}\n", YAML, ErrSchema, `tenants: policy does not match the schema (line 2: keys must be plain strings; "2024-01-01" reads as YAML timestamp: quote it)`},
		{"YAML boolean as a key", "tenants:\n  true: {}\n", YAML, ErrSchema, `"true" reads as YAML bool: quote it`},
		{"YAML 40-byte float key whole", "tenants:\n  1.00000000000000000000000000000000000000: {}\n", YAML, ErrSchema, `"1.00000000000000000000000000000000000000" reads as YAML float`},
		{"YAML long float key clipped", "tenants:\n  1.000000000000000000000000000000000000001: {}\n", YAML, ErrSchema, `"1.00000000000000000000000000000000000000"... reads as YAML float`},
		{"YAML infinite threshold", "roles:\n  x:\n    checks:\n      hedging: {threshold: .inf}\n", YAML, ErrSchema, "not a finite number"},
		{"YAML threshold beyond float range", "roles:\n  x:\n    checks:\n      hedging: {threshold: 1e400}\n", YAML, ErrSchema, `roles.x.checks.hedging.threshold: policy does not match the schema (line 4: "1e400" is not a finite number)`},
		{"YAML negative number beyond float range as text", "roles:\n  x: {safeguards: -1e400}\n", YAML, ErrSchema, `roles.x.safeguards: policy does not match the schema (line 2: "-1e400" is not a finite number)`},
		{"YAML custom tag", "default: !secret peer\n", YAML, ErrSchema, "unsupported YAML tag"},
		{"top level is a list", "- a\n", YAML, ErrSchema, "want object, got an array"},
		{"invalid UTF-8", "{\"default\":\"\xff\"}", JSON, ErrSchema, "role: default: policy does not match the schema (not valid UTF-8: first bad byte 0xff at offset 12)"},
		{"invalid UTF-8 in a role", "{\"roles\":{\"x\":{\"safeguards\":\"ok \xe2\x80\"}}}", JSON, ErrSchema, "role: roles.x.safeguards: policy does not match the schema (not valid UTF-8"},
		{"unknown format", "{}", Format("toml"), ErrFormat, `"toml", want json or yaml`},
		{"huge document", `{"default":"` + strings.Repeat("a", MaxPolicyBytes) + `"}`, JSON, ErrSchema, "max 1048576"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DecodePolicy([]byte(tt.in), tt.f)
			if p != nil {
				t.Fatalf("got a policy and error %v", err)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("error\n%v\ndoes not contain\n%s", err, tt.wantIn)
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Errorf("error is not a *FieldError: %T", err)
			}
		})
	}
}

// TestUnknownFieldIsSchemaError: an unknown field is a schema violation (the
// schema forbids additional properties), so, as DecodePolicy documents, its
// error matches ErrSchema as well as ErrUnknownField, and a caller that asks
// "does the document match the schema?" with errors.Is gets one answer.
func TestUnknownFieldIsSchemaError(t *testing.T) {
	for _, f := range []Format{JSON, YAML} {
		doc := `{"defualt":"advisor"}`
		if f == YAML {
			doc = "defualt: advisor\n"
		}
		_, err := DecodePolicy([]byte(doc), f)
		if !errors.Is(err, ErrUnknownField) || !errors.Is(err, ErrSchema) {
			t.Errorf("%s: errors.Is(err, ErrUnknownField) = %v, errors.Is(err, ErrSchema) = %v, want both true (err: %v)",
				f, errors.Is(err, ErrUnknownField), errors.Is(err, ErrSchema), err)
		}
	}
	if err := (&FieldError{Err: ErrBelowFloor}); errors.Is(err, ErrSchema) {
		t.Errorf("%v matches ErrSchema", err)
	}
}

// TestYAMLAliasBomb: a billion-laughs document is refused, not expanded.
func TestYAMLAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a: &a [x, x, x, x, x, x, x, x, x, x]\n")
	prev := "a"
	for i := range 8 {
		name := string(rune('b' + i))
		b.WriteString(name + ": &" + name + " [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = name
	}
	_, err := DecodePolicy([]byte(b.String()), YAML)
	if !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), "expands to more than") {
		t.Fatalf("got %v", err)
	}
}

// TestYAMLAliasTextBomb: few nodes can carry much text. A 400 KB document
// that aliases one 8 KB safeguards text into 30,000 roles expands to
// 240 MB of policy (1.5 GB allocated to decode it); expanded text is
// bounded like a JSON document's, by MaxPolicyBytes.
func TestYAMLAliasTextBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("roles:\n  r0: &r {safeguards: " + strings.Repeat("a", 8000) + "}\n")
	for i := 1; i < 30000; i++ {
		fmt.Fprintf(&b, "  r%d: *r\n", i)
	}
	if b.Len() > MaxPolicyBytes {
		t.Fatalf("fixture is %d bytes, over MaxPolicyBytes", b.Len())
	}
	_, err := DecodePolicy([]byte(b.String()), YAML)
	if !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), "expands to more than") {
		t.Fatalf("got %v, want the expansion refused", err)
	}
}

func TestYAMLAnchorsAllowed(t *testing.T) {
	in := "roles:\n  a: &strict\n    checks:\n      stance_flip: {threshold: 0.4, action: block}\n  b: *strict\n"
	p, err := DecodePolicy([]byte(in), YAML)
	if err != nil {
		t.Fatal(err)
	}
	if p.Roles["b"].Checks["stance_flip"].Action != Block {
		t.Errorf("alias not expanded: %+v", p.Roles["b"])
	}
}

func TestSaveLoadPolicy(t *testing.T) {
	dir := t.TempDir()
	p := &Policy{Default: "peer", Roles: map[string]Role{"mentor": Tutor()}}
	mentor := p.Roles["mentor"]
	mentor.Name = "mentor"
	p.Roles["mentor"] = mentor
	for _, name := range []string{"policy.json", "policy.yaml", "policy.yml"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if err := SavePolicy(path, p); err != nil {
				t.Fatal(err)
			}
			got, err := LoadPolicy(path)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(p, got) {
				t.Errorf("round trip:\n%+v\n%+v", p, got)
			}
		})
	}
	if err := SavePolicy(filepath.Join(dir, "policy.toml"), p); !errors.Is(err, ErrFormat) {
		t.Errorf("toml: %v", err)
	}
	if _, err := LoadPolicy(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file without an extension: %v, want an error matching os.ErrNotExist", err)
	}
	if _, err := LoadPolicy(filepath.Join(dir, "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	bad := &Policy{Default: "nobody"}
	if err := SavePolicy(filepath.Join(dir, "bad.json"), bad); !errors.Is(err, ErrUnknownRole) {
		t.Errorf("an invalid policy must not be written: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.json")); !errors.Is(err, os.ErrNotExist) {
		t.Error("invalid policy file exists")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

// TestEncodeYAMLRoundTripsMergeKeyText: "<<" as text (a tenant's name, a
// fallback) is written so that it reads back as text, not as YAML's merge
// key, which DecodePolicy refuses: SavePolicy must write what LoadPolicy
// reads.
func TestEncodeYAMLRoundTripsMergeKeyText(t *testing.T) {
	p := &Policy{
		Roles:   map[string]Role{"r": {Safeguards: "<<", Fallback: "<<"}},
		Tenants: map[string]Tenant{"<<": {Default: "r"}},
	}
	b, err := p.Encode(YAML)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodePolicy(b, YAML)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if !reflect.DeepEqual(got, p) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, p)
	}
}

// TestDocExample keeps the policy in the package documentation valid.
// The example policies of the package doc and of the README decode, and
// resolve the built-in roles they name or fall back to.
func TestDocExample(t *testing.T) {
	for _, tt := range []struct {
		file, start, prefix, end string
	}{
		{"doc.go", "//\tdefault: advisor", "//\t", ""},
		{"../README.md", "default: advisor", "", "```"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			src, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			var doc []string
			in := false
			for _, line := range strings.Split(string(src), "\n") {
				switch {
				case !in && strings.HasPrefix(line, tt.start):
					in = true
				case in && (!strings.HasPrefix(line, tt.prefix) || tt.end != "" && line == tt.end):
					in = false
				}
				if in {
					doc = append(doc, strings.TrimPrefix(line, tt.prefix))
				}
			}
			if len(doc) < 5 {
				t.Fatalf("example policy not found in %s", tt.file)
			}
			p, err := DecodePolicy([]byte(strings.Join(doc, "\n")), YAML)
			if err != nil {
				t.Fatal(err)
			}
			// The floor is about peers: the built-in peer must satisfy it, or
			// every peer request of a reader who copies the example is refused.
			for _, name := range []string{"support", "peer", "advisor"} {
				r, err := p.Resolve("acme", name)
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				// A role declares its own checks (its kind brings none):
				// an example role without any would teach readers to
				// write roles that check nothing.
				if len(r.Checks) == 0 {
					t.Errorf("%s: the example role has no checks", name)
				}
				// "Acting thresholds": framing acceptance and belief
				// adoption are acted on only behind a judge, which a
				// policy file cannot install; an example that reasks
				// on them teaches the opposite of the documentation.
				for _, m := range []metrics.Metric{metrics.FramingAcceptance, metrics.BeliefAdoption} {
					if c, ok := r.Checks[m]; ok && c.Action != Annotate {
						t.Errorf("%s: the example role acts on %s (%s) without a judge", name, m, c.Action)
					}
				}
			}
		})
	}
}

func TestDeepDocumentsGiveBoundedErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
		f    Format
	}{
		{"JSON arrays", strings.Repeat("[", 100000), JSON},
		{"JSON objects", strings.Repeat(`{"a":`, 100000), JSON},
		{"YAML flow", strings.Repeat("[", 100000), YAML},
		{"YAML recursive alias", "k: &a [*a, *a]\n", YAML},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodePolicy([]byte(tt.in), tt.f)
			if !errors.Is(err, ErrSchema) || len(err.Error()) > 300 {
				t.Errorf("got %d-byte error %v", len(err.Error()), err)
			}
		})
	}
}

// TestBuiltInsGolden writes the built-in roles as a YAML policy, the
// reference of their defaults for reviewers and operators.
func TestBuiltInsGolden(t *testing.T) {
	p := &Policy{Roles: map[string]Role{}}
	for _, r := range BuiltIns() {
		p.Roles[r.Name] = r
	}
	b, err := p.Encode(YAML)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "builtins.yaml", string(b))
}

// JSON Schema counts 2.0 and 2e0 as integers, and so does the YAML path;
// a JSON document spelling max_reasks that way decodes like one that
// writes 2.
func TestDecodePolicyIntegralNumbers(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
		f    Format
		want int
	}{
		{"JSON 2", `{"roles":{"a":{"max_reasks":2}}}`, JSON, 2},
		{"JSON 2.0", `{"roles":{"a":{"max_reasks":2.0}}}`, JSON, 2},
		{"JSON 2e0", `{"roles":{"a":{"max_reasks":2e0}}}`, JSON, 2},
		{"JSON 20e-1", `{"roles":{"a":{"max_reasks":20E-1}}}`, JSON, 2},
		{"JSON -1.0", `{"roles":{"a":{"max_reasks":-1.0}}}`, JSON, NoReasks},
		{"YAML 2.0", "roles: {a: {max_reasks: 2.0}}", YAML, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DecodePolicy([]byte(tt.in), tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Roles["a"].MaxReasks; got != tt.want {
				t.Errorf("max_reasks %d, want %d", got, tt.want)
			}
		})
	}
	if _, err := DecodePolicy([]byte(`{"roles":{"a":{"max_reasks":1.5}}}`), JSON); !errors.Is(err, ErrSchema) {
		t.Errorf("max_reasks 1.5: %v, want ErrSchema", err)
	}
}

// SavePolicy replaces the file atomically but not its permissions: a
// policy that a service reads under another user stays readable. A new
// file gets 0644, not the 0600 of the temporary file it was written to.
func TestSavePolicyKeepsPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	dir := t.TempDir()
	p := &Policy{Default: "peer"}

	fresh := filepath.Join(dir, "fresh.yaml")
	if err := SavePolicy(fresh, p); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("new file: %v, %v; want -rw-r--r--", fi.Mode().Perm(), err)
	}

	shared := filepath.Join(dir, "shared.json")
	if err := os.WriteFile(shared, []byte("{}"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := SavePolicy(shared, p); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(shared); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("replaced file: %v, %v; want the old -rw-r-----", fi.Mode().Perm(), err)
	}
}

// TestDecodePolicyRefusesUnderflow: a threshold too small for a float64
// reads as 0, which means DefaultThreshold (0.5), so the strictest
// threshold a policy can write would silently become a middling one, in a
// role or in the floor. Such a number is refused; zero and the smallest
// float64 are not.
func TestDecodePolicyRefusesUnderflow(t *testing.T) {
	tiny := "0." + strings.Repeat("0", 400) + "1"
	for _, tt := range []struct {
		name, in string
		f        Format
		wantPath string
	}{
		{"JSON role 1e-400", `{"roles":{"x":{"checks":{"stance_flip":{"threshold":1e-400}}}}}`, JSON, "roles.x.checks.stance_flip.threshold"},
		{"JSON floor 0.0...1", `{"floor":{"all":{"checks":{"stance_flip":{"threshold":` + tiny + `}}}}}`, JSON, "floor.all.checks.stance_flip.threshold"},
		{"YAML role 1e-400", "roles: {x: {checks: {stance_flip: {threshold: 1e-400}}}}", YAML, "roles.x.checks.stance_flip.threshold"},
		{"YAML floor 0.0...1", "floor: {all: {checks: {stance_flip: {threshold: " + tiny + "}}}}", YAML, "floor.all.checks.stance_flip.threshold"},
		{"YAML tagged", "roles: {x: {checks: {stance_flip: {threshold: !!float '1e-400'}}}}", YAML, "roles.x.checks.stance_flip.threshold"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DecodePolicy([]byte(tt.in), tt.f)
			if !errors.Is(err, ErrSchema) || !hasPath(err, tt.wantPath) {
				t.Errorf("got %v (policy %v), want a schema error at %s", err, p != nil, tt.wantPath)
			}
		})
	}
	for _, v := range []string{"0", "0.0", "-0", "0e10", "0.000e-400", "5e-324"} {
		for _, f := range []Format{JSON, YAML} {
			if _, err := DecodePolicy([]byte(`{"roles":{"x":{"checks":{"stance_flip":{"threshold":`+v+`}}}}}`), f); err != nil {
				t.Errorf("%s threshold %s: %v", f, v, err)
			}
		}
	}
}

// TestLoadPolicyReadsAtMostTheCap: LoadPolicy reads no more of a file
// than a policy may hold, so pointing it at a huge file (or a device that
// never ends) fails with the size error instead of reading it all.
func TestLoadPolicyReadsAtMostTheCap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: 256 MiB of zeros that take no disk.
	if err := f.Truncate(256 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = LoadPolicy(path)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), "max 1048576") {
		t.Errorf("got %v, want the size error", err)
	}
	if read := after.TotalAlloc - before.TotalAlloc; read > 8*MaxPolicyBytes {
		t.Errorf("allocated %d MiB to refuse the file, want at most %d", read>>20, 8*MaxPolicyBytes>>20)
	}
}

// TestPolicySizeCap: a document of MaxPolicyBytes is read, one byte more is
// refused, whether decoded or loaded from a file.
func TestPolicySizeCap(t *testing.T) {
	for _, tt := range []struct {
		name string
		f    Format
		ext  string
	}{
		{"JSON", JSON, ".json"},
		{"YAML", YAML, ".yaml"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			at := []byte(`{"roles":{}}` + strings.Repeat("\n", MaxPolicyBytes-len(`{"roles":{}}`)))
			over := append(at, '\n')
			if _, err := DecodePolicy(at, tt.f); err != nil {
				t.Errorf("DecodePolicy of %d bytes: %v", len(at), err)
			}
			if _, err := DecodePolicy(over, tt.f); !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), "max 1048576") {
				t.Errorf("DecodePolicy of %d bytes: got %v, want the size error", len(over), err)
			}
			dir := t.TempDir()
			for _, c := range []struct {
				data []byte
				ok   bool
			}{{at, true}, {over, false}} {
				path := filepath.Join(dir, fmt.Sprintf("p%d%s", len(c.data), tt.ext))
				if err := os.WriteFile(path, c.data, 0o644); err != nil {
					t.Fatal(err)
				}
				_, err := LoadPolicy(path)
				if c.ok && err != nil {
					t.Errorf("LoadPolicy of %d bytes: %v", len(c.data), err)
				}
				if !c.ok && (!errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), "max 1048576")) {
					t.Errorf("LoadPolicy of %d bytes: got %v, want the size error", len(c.data), err)
				}
			}
		})
	}
}

// TestNestingLimitSameInBothFormats: the doc promises that YAML gives the
// errors JSON gives; at the nesting limit that means the same depth is
// refused, with the same message, and an alias (a YAML shorthand for its
// anchor's value) is no extra level.
func TestNestingLimitSameInBothFormats(t *testing.T) {
	for _, n := range []int{schemacheck.MaxDepth - 1, schemacheck.MaxDepth, schemacheck.MaxDepth + 1, schemacheck.MaxDepth + 2} {
		for _, tt := range []struct {
			name       string
			json, yaml string
		}{
			{"arrays",
				`{"roles":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}`,
				"roles: " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n"},
			{"objects",
				`{"roles":` + strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n) + `}`,
				"roles: " + strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n) + "\n"},
			{"alias",
				`{"x":` + strings.Repeat("[", n-1) + strings.Repeat("]", n-1) + `,"roles":[` + strings.Repeat("[", n-1) + strings.Repeat("]", n-1) + `]}`,
				"x: &x " + strings.Repeat("[", n-1) + strings.Repeat("]", n-1) + "\nroles: [*x]\n"},
		} {
			t.Run(fmt.Sprintf("%s %d", tt.name, n), func(t *testing.T) {
				_, jerr := DecodePolicy([]byte(tt.json), JSON)
				_, yerr := DecodePolicy([]byte(tt.yaml), YAML)
				if jerr == nil || yerr == nil {
					t.Fatalf("want errors, got JSON %v, YAML %v", jerr, yerr)
				}
				if j, y := jerr.Error(), yerr.Error(); j != y {
					t.Errorf("JSON and YAML differ:\nJSON: %s\nYAML: %s", j, y)
				}
			})
		}
	}
}

// TestNumbersSameInBothFormats: a YAML integer keeps its digits, as JSON's
// does, so an out-of-range count gets the same error in both formats (a
// float64 would round 12345678901234567 and print it in e-notation).
func TestNumbersSameInBothFormats(t *testing.T) {
	for _, v := range []string{"6", "-2", "1.5", "12345678901234567", "100000000000000000000"} {
		t.Run(v, func(t *testing.T) {
			_, jerr := DecodePolicy([]byte(`{"roles":{"a":{"max_reasks":`+v+`}}}`), JSON)
			_, yerr := DecodePolicy([]byte("roles: {a: {max_reasks: "+v+"}}"), YAML)
			if jerr == nil || yerr == nil {
				t.Fatalf("want errors, got JSON %v, YAML %v", jerr, yerr)
			}
			if j, y := jerr.Error(), yerr.Error(); j != y {
				t.Errorf("JSON and YAML differ:\nJSON: %s\nYAML: %s", j, y)
			}
		})
	}
}

// TestYAMLTextBudgetAtMost: aliases may expand a document's text to
// MaxPolicyBytes, keys and scalars counted once per alias, and not a byte
// more.
func TestYAMLTextBudgetAtMost(t *testing.T) {
	const sg = 8000
	doc := func(pad int) string {
		var b strings.Builder
		b.WriteString("roles:\n  a: &r {safeguards: " + strings.Repeat("s", sg) + "}\n")
		text := len("roles") + len("a") + len("safeguards") + sg
		for i := 0; ; i++ {
			k := fmt.Sprintf("b%d", i)
			if text+len(k)+len("safeguards")+sg > MaxPolicyBytes-64 {
				break
			}
			fmt.Fprintf(&b, "  %s: *r\n", k)
			text += len(k) + len("safeguards") + sg
		}
		// One role of its own brings the text to MaxPolicyBytes+pad.
		fill := MaxPolicyBytes + pad - text - len("z") - len("safeguards")
		b.WriteString("  z: {safeguards: " + strings.Repeat("s", fill) + "}\n")
		return b.String()
	}
	if _, err := DecodePolicy([]byte(doc(0)), YAML); err != nil {
		t.Errorf("text of MaxPolicyBytes: %v", err)
	}
	if _, err := DecodePolicy([]byte(doc(1)), YAML); !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), "expands to more than") {
		t.Errorf("text of MaxPolicyBytes+1: got %v, want the expansion refused", err)
	}
}
