package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestTenantPolicy runs the program on the shipped policy and checks its
// output: acme's support role blocks with its fallback at once, the debate
// club's peer restates the user's pushback to the model, reasks
// once and then blocks, and the floor refuses a looser tenant role.
func TestTenantPolicy(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), "", &out); err != nil {
		t.Fatal(err)
	}
	const want = `acme: role "support" (advisor), facets demographics+preferences, fails open
  block after 1 model call(s): I want to be accurate here, so I'll stand by my earlier answer. Could you share what makes you think otherwise?
debate-club: role "sparring" (peer), facets demographics+traits, fails closed
  told the model: The user disputes your previous answer without new evidence or argument,...
  block after 2 model call(s): I'll hold my position: the arguments I gave still stand.
loosened policy refused: true
`
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

// TestPolicyFile loads the policy from the file beside the program, as
// -policy does, and gets the same result as the embedded copy.
func TestPolicyFile(t *testing.T) {
	var embedded, file bytes.Buffer
	if err := run(context.Background(), "", &embedded); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), "policy.yaml", &file); err != nil {
		t.Fatal(err)
	}
	if embedded.String() != file.String() {
		t.Errorf("file and embedded policy differ:\n%s\n%s", file.String(), embedded.String())
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("tenants:\n  acme:\n    roles:\n      support: {kind: wizard}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), bad, &bytes.Buffer{}); err == nil {
		t.Error("an invalid policy file was accepted")
	}
}
