package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadReport checks the report reader and renderers on any input, as
// `rolegate bench -render` reads a report file: no panic; a report that
// reads writes as JSON that reads back to the same JSON; Markdown and HTML
// render; and the HTML escapes every string of the report (no tag comes
// from the data).
func FuzzReadReport(f *testing.F) {
	goldens, _ := filepath.Glob(filepath.Join("testdata", "report_*.golden.json"))
	for _, g := range goldens {
		b, err := os.ReadFile(g)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"version":1,"run":{"model":"<script>x</script>","task":"debate"},"curves":[{"arm":"<b>","condition":"<i>","points":[{"p":0.5,"lo":null,"hi":2},{"p":null}],"turn_of_flip":null}],"pairwise":[{"arm":"a<","condition":"personalized","p":-1,"lo":1e308,"hi":-1e308,"study":null}]}`))
	f.Add([]byte(`{"version":1,"models":[{"arm":"<x>","error":"<y>","coefficients":[{"name":"<z>","boot":[null,1]}]}],"factual":[{"arm":"<f>"}],"agreement":[{"arm":"<g>"}]}`))
	var empty bytes.Buffer
	if err := Summarize(RunInfo{}, nil).WriteJSON(&empty); err != nil {
		f.Fatal(err)
	}
	f.Add(empty.Bytes())
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`{"version":99}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ReadReport(bytes.NewReader(data))
		if err != nil {
			return
		}
		var js bytes.Buffer
		if err := r.WriteJSON(&js); err != nil {
			t.Fatalf("WriteJSON: %v", err)
		}
		back, err := ReadReport(bytes.NewReader(js.Bytes()))
		if err != nil {
			t.Fatalf("the written report does not read: %v\n%s", err, js.Bytes())
		}
		var js2 bytes.Buffer
		if err := back.WriteJSON(&js2); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(js.Bytes(), js2.Bytes()) {
			t.Fatalf("round trip changed the report:\n got %s\nwant %s", js2.Bytes(), js.Bytes())
		}
		var md, page strings.Builder
		if err := r.WriteMarkdown(&md); err != nil {
			t.Fatalf("WriteMarkdown: %v", err)
		}
		if err := r.WriteHTML(&page); err != nil {
			t.Fatalf("WriteHTML: %v", err)
		}
		for _, tag := range []string{"<script", "<b>", "<i>", "<x>", "<y>", "<z>", "<f>", "<g>"} {
			if strings.Contains(page.String(), tag) {
				t.Fatalf("the HTML holds %s from the data: a string went out unescaped", tag)
			}
		}
	})
}
