package hostile_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/rolegate/rolegate/role"
)

// policyDocs embeds s, raw, at every place of a policy document that holds
// free text or a name, in both formats. The text is escaped only where the
// format requires it, so invalid UTF-8 and control characters reach the
// decoder as they are.
func policyDocs(s string) map[string]struct {
	data   []byte
	format role.Format
} {
	j := jsonRaw(s)
	docs := map[string]struct {
		data   []byte
		format role.Format
	}{}
	add := func(name string, f role.Format, doc string) {
		docs[name] = struct {
			data   []byte
			format role.Format
		}{[]byte(doc), f}
	}
	add("raw.json", role.JSON, s)
	add("raw.yaml", role.YAML, s)
	if len(s) > role.MaxPolicyBytes {
		// Refused for its size wherever it is; one embedding shows it.
		add("safeguards.json", role.JSON, `{"roles":{"r":{"safeguards":"`+j+`"}}}`)
		return docs
	}
	for _, f := range []role.Format{role.JSON, role.YAML} {
		// JSON is YAML too: the same documents go through both decoders.
		ext := "." + string(f)
		add("role_name"+ext, f, `{"roles":{"`+j+`":{"kind":"advisor"}}}`)
		add("tenant_name"+ext, f, `{"tenants":{"`+j+`":{"default":"advisor"}}}`)
		add("default"+ext, f, `{"default":"`+j+`"}`)
		add("safeguards"+ext, f, `{"roles":{"r":{"kind":"peer","safeguards":"`+j+`","fallback":"`+j+`"}}}`)
		add("metric"+ext, f, `{"roles":{"r":{"checks":{"`+j+`":{"threshold":0.5}}}}}`)
		add("action"+ext, f, `{"roles":{"r":{"checks":{"capitulation":{"action":"`+j+`"}}}}}`)
		add("facet"+ext, f, `{"roles":{"r":{"facets":["`+j+`"]}}}`)
	}
	return docs
}

// TestPolicyDecode gives every entry to role.DecodePolicy in every text
// position of a policy and as a whole document, in JSON and YAML. Each is
// refused with *role.FieldError values (joined when several), or decoded into
// a policy that re-encodes and decodes to the same value: hostile text in a
// safeguard or fallback is kept exactly, never altered or dropped.
func TestPolicyDecode(t *testing.T) {
	for _, e := range append(stored(t), generated()...) {
		t.Run(e.Name, func(t *testing.T) {
			for name, d := range policyDocs(e.Text) {
				p, err := role.DecodePolicy(d.data, d.format)
				if err != nil {
					checkPolicyError(t, name, err)
					continue
				}
				for _, f := range []role.Format{role.JSON, role.YAML} {
					out, err := p.Encode(f)
					if err != nil {
						t.Fatalf("%s: decoded policy does not encode as %s: %v", name, f, err)
					}
					back, err := role.DecodePolicy(out, f)
					if err != nil {
						t.Fatalf("%s: re-encoded %s does not decode: %v\n%.500s", name, f, err, out)
					}
					if !reflect.DeepEqual(normalize(p), normalize(back)) {
						t.Fatalf("%s: %s round trip changed the policy", name, f)
					}
				}
				for rn := range p.Roles {
					_, _ = p.Resolve("", rn)
				}
				for tn := range p.Tenants {
					_, _ = p.Resolve(tn, "")
				}
			}
		})
	}
	linear(t, role.MaxPolicyBytes/10-1, func(s string) {
		_, _ = role.DecodePolicy([]byte(s), role.JSON)
		_, _ = role.DecodePolicy([]byte(s), role.YAML)
	})
}

// normalize renders a policy as JSON for comparison, so that nil and empty
// maps compare equal.
func normalize(p *role.Policy) string {
	b, _ := json.Marshal(p)
	return string(b)
}

// checkPolicyError fails unless every error joined in err is a
// *role.FieldError with the package prefix.
func checkPolicyError(t *testing.T, name string, err error) {
	t.Helper()
	errs := []error{err}
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		errs = u.Unwrap()
	}
	for _, e := range errs {
		var fe *role.FieldError
		if !errors.As(e, &fe) {
			t.Fatalf("%s: error %v (%T) is not a *role.FieldError", name, e, e)
		}
		if !strings.HasPrefix(e.Error(), "role: ") {
			t.Fatalf("%s: error %q lacks the package prefix", name, e)
		}
	}
}
