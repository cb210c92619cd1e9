package readme

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGoBlock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "README.md")
	text := "# x\n```go\nfunc Outside() {}\n```\n<!-- section:a -->\ntext\n```sh\nls\n```\n```go\nfunc A() {}\n```\n```go\nfunc B() {}\n```\n<!-- /section:a -->\n<!-- section:b -->\nno code\n<!-- /section:b -->\n```go\nfunc After() {}\n```\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, err := GoBlock(path, "a"); err != nil || code != "func A() {}\n" {
		t.Errorf("GoBlock(a) = %q, %v; want the section's first go block", code, err)
	}
	for name, want := range map[string]string{"b": "no go code block", "c": "has no section"} {
		if _, err := GoBlock(path, name); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("GoBlock(%s): err = %v, want %q", name, err, want)
		}
	}
	if _, err := GoBlock(filepath.Join(t.TempDir(), "none.md"), "a"); err == nil {
		t.Error("GoBlock of a missing file: no error")
	}
}
