// Package shareddata finds the project's shared, read-only data folder
// (../shared/data next to the repository: public benchmark inputs and
// third-party labeled responses) for tests and tools. The data is never
// copied into the repository; tests that need it skip when it is absent.
package shareddata

import (
	"os"
	"path/filepath"
)

// The environment variables that name the folders.
const (
	LabeledEnv = "ROLEGATE_LABELED_DIR"
	BenchEnv   = "ROLEGATE_BENCH_DIR"
)

// Labeled returns the folder of labeled responses: $ROLEGATE_LABELED_DIR when
// set, else ../shared/data/labeled beside the repository root. ok is false
// when the folder does not exist.
func Labeled() (dir string, ok bool) { return find(LabeledEnv, "labeled") }

// Bench returns the folder of public benchmark inputs: $ROLEGATE_BENCH_DIR
// when set, else ../shared/data/bench beside the repository root. ok is false
// when the folder does not exist.
func Bench() (dir string, ok bool) { return find(BenchEnv, "bench") }

func find(env, sub string) (string, bool) {
	if d := os.Getenv(env); d != "" {
		return d, isDir(d)
	}
	root := repoRoot()
	if root == "" {
		return "", false
	}
	d := filepath.Join(filepath.Dir(root), "shared", "data", sub)
	return d, isDir(d)
}

// repoRoot walks up from the working directory to the folder that holds
// go.work (the repository root); tests run in their package's folder.
func repoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func isDir(d string) bool {
	fi, err := os.Stat(d)
	return err == nil && fi.IsDir()
}
