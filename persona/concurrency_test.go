package persona

import (
	"sync"
	"testing"
)

// TestConcurrentRender renders one shared profile from many goroutines,
// as a server's guard does; run with -race.
func TestConcurrentRender(t *testing.T) {
	p := maya
	want, err := p.Render(AllFacets, ThirdPerson)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	bad := make(chan string, 8)
	for range 8 {
		wg.Go(func() {
			for range 100 {
				got, err := p.Render(AllFacets, ThirdPerson)
				if err != nil || got != want {
					bad <- "render changed under concurrency"
					return
				}
				if _, err := NeutralText.Context(&p); err != nil {
					bad <- err.Error()
					return
				}
			}
		})
	}
	wg.Wait()
	close(bad)
	for e := range bad {
		t.Error(e)
	}
}
