package role

import (
	"bytes"
	"errors"
	"testing"
)

var policySeeds = []string{
	exampleYAML,
	`{"default":"peer","roles":{"x":{"kind":"peer","facets":["traits"],"checks":{"stance_flip":{"threshold":0.4,"action":"block"}},"on_unknown":"closed","exhausted":"block","max_reasks":2}}}`,
	`{"floor":{"kinds":{"peer":{"fail_closed":true}}},"tenants":{"t":{"roles":{"p":{"kind":"peer"}}}}}`,
	"roles:\n  a: &s {kind: tutor}\n  b: *s\n",
	`{"rols":{}}`, `{"default":"a","default":"b"}`, "- 1\n", "{", "", "\xff",
}

// checkDecoded holds what DecodePolicy returns to its contract: a policy
// and no error, or an error that is a *FieldError (or joins them) and no
// policy; a decoded policy validates, and its encoding in either format
// decodes again to a policy with the same encoding (empty and absent maps
// are the same policy), and it resolves without panicking.
func checkDecoded(t *testing.T, p *Policy, err error) {
	t.Helper()
	if err != nil {
		if p != nil {
			t.Fatal("policy and error")
		}
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Fatalf("error %v (%T) holds no *FieldError", err, err)
		}
		return
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("decoded policy invalid: %v", err)
	}
	for _, f := range []Format{JSON, YAML} {
		b, err := p.Encode(f)
		if err != nil {
			t.Fatalf("encode %s: %v", f, err)
		}
		p2, err := DecodePolicy(b, f)
		if err != nil {
			t.Fatalf("re-decode %s: %v\n%s", f, err, b)
		}
		b2, err := p2.Encode(f)
		if err != nil || !bytes.Equal(b, b2) {
			t.Fatalf("%s round trip changed the policy (%v):\n%s\n%s", f, err, b, b2)
		}
	}
	for tenant := range p.Tenants {
		_, _ = p.Resolve(tenant, "")
	}
	_, _ = p.Resolve("", "")
}

func FuzzDecodePolicyJSON(f *testing.F) {
	for _, s := range policySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodePolicy(data, JSON)
		checkDecoded(t, p, err)
	})
}

func FuzzDecodePolicyYAML(f *testing.F) {
	for _, s := range policySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodePolicy(data, YAML)
		checkDecoded(t, p, err)
	})
}
