package role

import (
	"sync"
	"testing"

	"github.com/rolegate/rolegate/persona"
)

// TestConcurrentResolveAndPersonalize shares one policy and one profile
// between goroutines, as a server's guard does; run with -race.
func TestConcurrentResolveAndPersonalize(t *testing.T) {
	p := operator()
	profile := persona.Sample(1, 1)[0]
	want, err := Peer().Personalize(&profile)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				tenant := []string{"acme", "globex", ""}[(g+i)%3]
				r, err := p.Resolve(tenant, "")
				if err != nil {
					errs <- err.Error()
					return
				}
				if _, err := r.Personalize(&profile); err != nil {
					errs <- err.Error()
					return
				}
				got, err := (&Policy{}).Resolve(tenant, "peer")
				if err != nil {
					errs <- err.Error()
					return
				}
				if s, _ := got.Personalize(&profile); s != want {
					errs <- "peer rendering changed under concurrency"
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestResolveDoesNotAllocate(t *testing.T) {
	p := operator()
	for _, tc := range []struct{ tenant, role string }{{"acme", ""}, {"", "support"}, {"x", "advisor"}} {
		if n := testing.AllocsPerRun(100, func() { _, _ = p.Resolve(tc.tenant, tc.role) }); n != 0 {
			t.Errorf("Resolve(%q, %q) allocates %v times", tc.tenant, tc.role, n)
		}
	}
}
