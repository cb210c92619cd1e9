package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"syscall"
)

// Exit codes, stable for CI.
const (
	exitOK       = 0 // success, no threshold crossed
	exitFindings = 1 // a threshold given on the command line was crossed
	exitUsage    = 2 // bad flags or arguments
	exitError    = 3 // the command could not do its work (input, network, I/O)
)

const usage = `rolegate: role-gated personalization guardrails, from the command line.

Usage:
  rolegate <command> [flags] [arguments]

Commands:
  audit      score conversation transcripts (JSONL) with every heuristic scorer and
             show the guard's decision per turn; no file: an embedded sample
  bench      run the study's benchmark against an OpenAI-compatible endpoint
  validate   agreement of the heuristic scorers with labeled data
  schema     print the role-policy JSON Schema

Run "rolegate <command> -h" for a command's flags and examples.

Exit codes: 0 ok, 1 a threshold given on the command line was crossed,
2 bad usage, 3 the command failed (unreadable input, endpoint errors, I/O).
`

func main() { os.Exit(runWithSignals(os.Args[1:])) }

// runWithSignals runs the command line with a context that Ctrl-C (SIGINT)
// and SIGTERM cancel, so that a bench run stops cleanly: completed units
// are already checkpointed and a partial report is written. A second
// signal kills the process as usual.
func runWithSignals(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // restore the default handling: a second Ctrl-C kills
	}()
	return run(ctx, args, os.Stdout, os.Stderr)
}

// run executes the command line args and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "audit":
		err = audit(ctx, rest, stdout, stderr)
	case "bench":
		err = benchCmd(ctx, rest, stdout, stderr)
	case "validate":
		err = validateCmd(rest, stdout, stderr)
	case "schema":
		err = schemaCmd(rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		if cmd == "help" && len(rest) > 0 {
			// "rolegate help audit" is "rolegate audit -h"; an unknown
			// command is reported as one, by the default case.
			return run(ctx, []string{rest[0], "-h"}, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "rolegate: unknown command %q\n\n%s", cmd, usage)
		return exitUsage
	}
	return exitCode(err, stderr)
}

// Errors that choose the exit code.
var (
	errUsage    = errors.New("usage")
	errFindings = errors.New("threshold crossed")
)

// usageError is a bad flag or argument; its message says what to fix.
type usageError struct{ msg string }

// Error returns the message; Unwrap makes errors.Is(err, errUsage) work.
func (e *usageError) Error() string { return e.msg }
func (e *usageError) Unwrap() error { return errUsage }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errFindings):
		fmt.Fprintf(stderr, "rolegate: %v\n", err)
		return exitFindings
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "rolegate: %v\n", err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "rolegate: %v\n", err)
		return exitError
	}
}

// newFlags returns a flag set whose help (synopsis, flags, examples) goes
// to stdout on -h; see parseFlags.
func newFlags(name, synopsis, examples string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage:\n  %s\n", synopsis)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags { // schema has none: no empty heading
			fmt.Fprintf(fs.Output(), "\nFlags:\n")
			fs.PrintDefaults()
		}
		if examples != "" {
			fmt.Fprintf(fs.Output(), "\nExamples:\n%s", examples)
		}
	}
	return fs
}

// noArgs returns a usage error when fs was left arguments by a command
// that takes none. The flag package stops at the first argument, so a flag
// after a stray one was not read: the message says so, rather than letting
// the command report those flags as missing. hint, if any, says where the
// argument belongs.
func noArgs(fs *flag.FlagSet, hint string) error {
	if fs.NArg() == 0 {
		return nil
	}
	msg := fmt.Sprintf("%s takes no arguments, got %q", fs.Name(), fs.Args())
	if slices.ContainsFunc(fs.Args(), isFlagLike) {
		msg += ": flags go before any argument"
	}
	if hint != "" {
		msg += "; " + hint
	}
	return &usageError{msg: msg}
}

// dataDefault is the default of a -data flag: the shared data folder that
// find (a function of package shareddata) locates from the environment
// variable env or beside the repository, or "" when there is none, so that
// the command says how to give one rather than failing to read a folder
// the user never named. A folder the environment names is kept even when
// missing: the error then names it.
func dataDefault(find func() (string, bool), env string) string {
	dir, ok := find()
	if !ok && os.Getenv(env) == "" {
		return ""
	}
	return dir
}

// isFlagLike reports whether a command-line argument has the form of a flag.
func isFlagLike(arg string) bool { return len(arg) > 1 && arg[0] == '-' }

// parseFlags parses args. Help asked for with -h is printed to the flag
// set's output (stdout) and returned as flag.ErrHelp; a bad flag is
// returned as a usage error, which the caller reports on stderr, once.
func parseFlags(fs *flag.FlagSet, args []string) error {
	help, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard) // the flag package would print errors here
	err := fs.Parse(args)
	fs.Usage = help
	fs.SetOutput(out)
	switch {
	case errors.Is(err, flag.ErrHelp):
		help()
		return err
	case err != nil:
		return &usageError{msg: fmt.Sprintf("%v (see rolegate %s -h)", err, fs.Name())}
	}
	return nil
}
