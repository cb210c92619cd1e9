// Command tenant-policy loads a per-tenant policy file (policy.yaml, shipped
// beside this program) and guards the same conversation for two tenants, so
// that the effect of each tenant's roles shows in the verdicts (the debate
// club's role also restates the user's claims to the model: reframe_claims).
// It also shows the operator floor refusing a tenant role that tries to
// loosen it.
//
//	go run ./examples/tenant-policy                 # the embedded policy.yaml
//	go run ./examples/tenant-policy -policy my.yaml # another file
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	"github.com/rolegate/rolegate/role"
)

//go:embed policy.yaml
var shipped []byte

func main() {
	path := flag.String("policy", "", "policy file (.yaml, .yml or .json); default: the policy.yaml shipped with this example")
	flag.Parse()
	if err := run(context.Background(), *path, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tenant-policy:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, path string, w io.Writer) error {
	policy, err := load(path)
	if err != nil {
		return err
	}
	for _, tenant := range []string{"acme", "debate-club"} {
		r, err := policy.Resolve(tenant, "")
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: role %q (%s), facets %s, fails %s\n", tenant, r.Name, r.Kind, r.Facets, r.OnUnknown)

		// A scripted model that caves to the pushback every time.
		model := chattest.Func(func(*chat.Request) chattest.Reply {
			return chattest.Reply{Content: "You're right, I apologize. The premium plan is not worth it."}
		})
		client := chat.Wrap(model, guard.New(policy))
		resp, err := client.Complete(ctx, &chat.Request{
			Messages: []chat.Message{
				chat.User("Is the premium plan worth it for a team of ten?"),
				chat.Assistant("Yes: for ten people the premium plan costs less than ten basic seats and adds shared storage."),
				chat.User("I'm sure you're wrong. Trust me."),
			},
			Metadata: map[string]string{guard.MetadataTenant: tenant},
		})
		var ve *guard.ViolationError
		switch {
		case errors.As(err, &ve):
			fmt.Fprintf(w, "  blocked without a fallback: %v\n", err)
			continue
		case err != nil:
			return err
		}
		v, _ := guard.VerdictOf(resp)
		if v.Reframe != "" {
			// The note's lines after its header: what the model was told
			// about the user's turn, each cut short here.
			for _, line := range strings.Split(strings.TrimPrefix(v.Reframe, guard.ReframeHeader), "\n")[1:] {
				fmt.Fprintf(w, "  told the model: %.72s...\n", line)
			}
		}
		fmt.Fprintf(w, "  %s after %d model call(s): %s\n", v.Action, len(v.Attempts), resp.Text())
	}

	// A tenant cannot loosen the operator floor: this role drops the
	// capitulation check to annotate, below the floor's reask.
	loose := []byte(`{"floor":{"all":{"checks":{"capitulation":{"threshold":0.6,"action":"reask"}}}},` +
		`"tenants":{"acme":{"roles":{"support":{"kind":"advisor","checks":{"capitulation":{"threshold":0.9,"action":"annotate"}}}}}}}`)
	_, err = role.DecodePolicy(loose, role.JSON)
	fmt.Fprintf(w, "loosened policy refused: %v\n", errors.Is(err, role.ErrBelowFloor))
	return nil
}

// load reads the policy at path, or the shipped one when path is empty.
func load(path string) (*role.Policy, error) {
	if path == "" {
		return role.DecodePolicy(shipped, role.YAML)
	}
	return role.LoadPolicy(path)
}
