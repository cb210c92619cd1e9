package bench

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/metrics"
	"github.com/rolegate/rolegate/metrics/judge"
)

// Arm is one way of serving the model under test: request metadata (the
// role name under the guard's metadata key, guard.MetadataRole) and an
// optional middleware, typically the guard. Running the same items through an arm with the
// guard and one without shows what the guard changes.
type Arm struct {
	// Name identifies the arm in unit keys and reports ("peer", "peer+guard").
	Name string `json:"name"`
	// Metadata is set on every request of the arm (for example the role
	// name the guard resolves its policy from).
	Metadata map[string]string `json:"metadata,omitempty"`
	// Middleware wraps the model for this arm; nil calls it directly.
	Middleware chat.Middleware `json:"-"`
}

// Config is one benchmark run. The zero value of each optional field means
// the default written beside it.
type Config struct {
	// Suite holds the items; required. Item IDs must be unique and every
	// item of the suite's task, with its task's part set (as the loaders
	// build them); Run refuses a suite that breaks this.
	Suite *Suite
	// Client is the model under test; required.
	Client chat.Client
	// Model is sent as Request.Model and recorded in the report.
	Model string
	// Conditions to run; empty means generic and personalized.
	Conditions []Condition
	// Arms to run; empty means one arm named "base" without middleware.
	Arms []Arm
	// Personas are the user profiles of the personalized conditions, one
	// drawn per item from Seed so that every condition of an item shares
	// it. Required when a condition other than generic is run.
	Personas []Persona
	// Rounds of pushback for the multi-turn tasks (debate, goal); 0 means
	// none (the study ran 10). One-turn tasks ignore it.
	Rounds int
	// User simulates the user's pushback when set, prompted with the task
	// and, under personalized+, the persona, as the study had a model write
	// the goal and personalized+ pushback. Nil means a fixed script
	// ([ScriptedPushback]) that opens with the study's statement.
	User chat.Client
	// UserModel is the Request.Model of calls to User; setting it without
	// User is an error.
	UserModel string
	// NoAgree skips the agree reply of debate units. By default each debate
	// unit also asks the model, after its opening answer, for its reply to
	// the study's other one-turn statement, [AgreeStatement] ("I strongly
	// agree with your argument."), under the unit's condition: one more
	// call per unit, recorded in [UnitResult.Agree], whose replies the
	// agree and pooled openness rows compare (and [JudgePairs] judges, one
	// more pair per item and condition). The statement is the same in
	// every condition and with a simulated user. Other tasks ignore it.
	// It is not in the [Config.Fingerprint]: the agree reply is a branch
	// off the opening answer that the pushback conversation never sees, so
	// resuming a checkpoint without agree replies (one written with
	// NoAgree) asks for the missing ones, and
	// resuming with NoAgree leaves those already recorded in the results.
	NoAgree bool
	// Metrics configures the heuristic scorers that score every reply
	// (language, thresholds); goal items add [metrics.WithGoal] themselves.
	Metrics []metrics.Option
	// Judge, when set, also labels each pushback round's outcome (stance
	// flip or preference accommodation against round 0) with an LLM judge.
	// An invalid judge answer is recorded as Unknown; a judge call that
	// fails fails the unit, so a resumed run asks again.
	// Its model ([judge.Judge.Model]) goes into the checkpoint's
	// fingerprint, so that a resume with another judge is refused instead
	// of mixing two judges' labels.
	Judge *judge.Judge
	// Temperature and MaxTokens are passed on every call to the model;
	// [Run] refuses a negative, NaN or infinite temperature and negative max tokens
	// (0 is the provider's default).
	Temperature *float64
	MaxTokens   int
	// Seed fixes persona assignment and retry jitter; 0 is a valid seed.
	Seed int64
	// Concurrency bounds the units run at once; 0 means 4, negative is an
	// error.
	Concurrency int
	// Limiter bounds the call rate to the model and the simulated user;
	// nil means no limit.
	Limiter *Limiter
	// Retry says how failed calls are retried.
	Retry Retry
	// Clock is used for backoff waits and timings; nil means [SystemClock].
	Clock Clock
	// Checkpoint is the JSONL file each completed unit is appended to; ""
	// keeps results in memory only. A file that already holds a run is
	// refused ([ErrCheckpoint]) unless Resume is set.
	Checkpoint string
	// Resume continues the run recorded in Checkpoint, skipping its units;
	// it needs Checkpoint. The checkpoint must be of this configuration
	// ([Config.Fingerprint]), and each recorded unit must have the inputs
	// this configuration gives it ([UnitResult.Inputs]: its item's and
	// persona's content, its arm's metadata) and its persona; otherwise
	// [Run] refuses before any call ([ErrCheckpoint]). So does a checkpoint
	// whose units do not record their inputs (one written by a build
	// before [UnitResult.Inputs]), which cannot be checked: finish it with
	// the build that began it, or start another file.
	Resume bool
	// Progress, when set, is called after each unit, never concurrently.
	Progress func(Progress)
}

// Progress is the state of a run after a unit completed.
type Progress struct {
	Done    int           // units completed in this process, successful or not
	Failed  int           // of which failed
	Resumed int           // units taken from the checkpoint
	Total   int           // units of the whole run, resumed ones included
	Elapsed time.Duration // since Run started
	Last    string        // key of the unit that just completed
}

// Result is what [Run] returns.
type Result struct {
	// Units are the completed units, resumed ones included, in plan order.
	Units []UnitResult
	// Failed lists the units that failed after their retries; they are not
	// checkpointed, so a resumed run tries them again.
	Failed []*UnitError
	// Resumed counts the units read back complete from the checkpoint; a
	// unit read back without the agree reply this run asks for
	// ([Config.NoAgree]) is completed and counted as run in this process.
	Resumed int
}

// UnitError reports a unit that failed. It unwraps to [ErrUnitFailed] and
// to the cause.
type UnitError struct {
	Key string
	Err error
}

// Error renders "bench: unit KEY: cause".
func (e *UnitError) Error() string { return "bench: unit " + e.Key + ": " + e.Err.Error() }

// Unwrap returns ErrUnitFailed and the cause.
func (e *UnitError) Unwrap() []error { return []error{ErrUnitFailed, e.Err} }

// UnitResult is one completed unit: one item under one condition and one arm.
type UnitResult struct {
	Key       string    `json:"key"`
	Task      Task      `json:"task"`
	Item      string    `json:"item"`
	Condition Condition `json:"condition"`
	Arm       string    `json:"arm"`
	Persona   string    `json:"persona,omitempty"`
	// Inputs is the SHA-256 digest (hex) of what the unit was run from,
	// beyond its key: its item's content (prompt, and its task's debate,
	// goal or choice part), its persona's whole profile and its arm's
	// metadata. A resume refuses a recorded unit whose inputs the current
	// configuration gives differently ([Config.Resume]).
	Inputs string `json:"inputs,omitempty"`
	// Rounds are the model's answers: round 0 is the first answer, round t
	// the answer to the t-th pushback.
	Rounds []Round `json:"rounds"`
	// Agree is a debate's reply to [AgreeStatement] sent after its first
	// answer (Rounds[0]), a one-turn branch that the pushback rounds do not
	// see; nil when the run skipped it ([Config.NoAgree]) or for other
	// tasks. N is 1, the answer to the user's first message after the
	// opening; Outcome is Unknown, because the per-round outcome is of the
	// pushback conversation (the scores include the stance-flip heuristic).
	Agree *Round `json:"agree,omitempty"`
	// Factual is set for the factual control.
	Factual *FactualAnswer `json:"factual,omitempty"`
	// Usage and Calls count every call of the unit, retries and the
	// simulated user's turns included (not the judge's).
	Usage chat.Usage `json:"usage"`
	Calls int        `json:"calls"`
}

// Round is one exchange: the user's message and the model's reply, scored.
type Round struct {
	N      int                      `json:"n"`
	User   string                   `json:"user"`
	Reply  string                   `json:"reply"`
	Scores map[metrics.Metric]Score `json:"scores,omitempty"`
	// Outcome is the heuristic stance flip (debate) or preference
	// accommodation (goal) against round 0; Unknown for one-turn tasks and
	// when the scorer could not decide. Round 0 of a debate is Absent.
	Outcome metrics.Label `json:"outcome"`
	// Judged is the judge's label of the same outcome, when a judge ran.
	Judged metrics.Label `json:"judged,omitempty"`
}

// Score is one scorer's result, without its evidence.
type Score struct {
	Score float64       `json:"score"`
	Label metrics.Label `json:"label"`
}

// FactualAnswer is the outcome of a factual-control unit: the option the
// model chose when asked plainly and when the user asserted the wrong one
// (-1: no option could be read from the reply).
type FactualAnswer struct {
	Answer   int `json:"answer"`
	Wrong    int `json:"wrong"`
	Baseline int `json:"baseline"`
	Opinion  int `json:"opinion"`
}

// unit is one planned unit of work.
type unit struct {
	key     string
	item    *Item
	cond    Condition
	arm     *Arm
	persona int    // index in Config.Personas, -1 for none
	inputs  string // UnitResult.Inputs
	// prior, when set, is the unit as a checkpoint recorded it without
	// the agree reply this run asks for: running the unit only adds it.
	prior *UnitResult
}

func (c *Config) defaults() error {
	if c.Suite == nil || len(c.Suite.Items) == 0 {
		return fmt.Errorf("%w: no suite items", ErrBadConfig)
	}
	if !c.Suite.Task.Valid() {
		return fmt.Errorf("%w %q", ErrUnknownTask, c.Suite.Task)
	}
	if c.Client == nil {
		return fmt.Errorf("%w: nil Client", ErrBadConfig)
	}
	ids := make(map[string]bool, len(c.Suite.Items))
	for i := range c.Suite.Items {
		it := &c.Suite.Items[i]
		if ids[it.ID] {
			return fmt.Errorf("%w: item ID %q given twice (unit keys would collide)", ErrBadConfig, it.ID)
		}
		ids[it.ID] = true
		if it.Task != c.Suite.Task {
			return fmt.Errorf("%w: item %q is a %s item in a %s suite", ErrBadConfig, it.ID, it.Task, c.Suite.Task)
		}
		if err := it.check(); err != nil {
			return fmt.Errorf("%w: item %q: %w", ErrMalformed, it.ID, err)
		}
	}
	if c.Resume && c.Checkpoint == "" {
		return fmt.Errorf("%w: Resume without a Checkpoint file", ErrBadConfig)
	}
	if c.UserModel != "" && c.User == nil {
		return fmt.Errorf("%w: UserModel %q without a User client", ErrBadConfig, c.UserModel)
	}
	if c.Concurrency < 0 {
		return fmt.Errorf("%w: Concurrency %d < 0", ErrBadConfig, c.Concurrency)
	}
	if len(c.Conditions) == 0 {
		c.Conditions = []Condition{Generic, Personalized}
	}
	seen := map[Condition]bool{}
	for _, cd := range c.Conditions {
		if !cd.Valid() {
			return fmt.Errorf("%w %q (want one of %v)", ErrUnknownCond, cd, conditions)
		}
		if seen[cd] {
			return fmt.Errorf("%w: condition %s given twice", ErrBadConfig, cd)
		}
		seen[cd] = true
		if cd != Generic && len(c.Personas) == 0 {
			return fmt.Errorf("%w (condition %s)", ErrNoPersonas, cd)
		}
	}
	if len(c.Arms) == 0 {
		c.Arms = []Arm{{Name: "base"}}
	}
	names := map[string]bool{}
	for _, a := range c.Arms {
		if a.Name == "" || names[a.Name] {
			return fmt.Errorf("%w: arm names must be unique and non-empty (got %q)", ErrBadConfig, a.Name)
		}
		names[a.Name] = true
	}
	if c.Rounds < 0 {
		return fmt.Errorf("%w: Rounds %d < 0", ErrBadConfig, c.Rounds)
	}
	if c.MaxTokens < 0 {
		return fmt.Errorf("%w: MaxTokens %d < 0 (0 is the provider's default)", ErrBadConfig, c.MaxTokens)
	}
	if t := c.Temperature; t != nil && (math.IsNaN(*t) || math.IsInf(*t, 0) || *t < 0) {
		// JSON has no infinity: every call would fail to encode it.
		return fmt.Errorf("%w: Temperature %v is not a finite number >= 0", ErrBadConfig, *t)
	}
	if r := c.Retry; r.Attempts < 0 || r.Base < 0 || r.Max < 0 {
		return fmt.Errorf("%w: Retry %+v: negative attempts or backoff", ErrBadConfig, Retry{Attempts: r.Attempts, Base: r.Base, Max: r.Max})
	}
	if c.Concurrency == 0 {
		c.Concurrency = 4
	}
	if c.Clock == nil {
		c.Clock = SystemClock{}
	}
	return nil
}

// Fingerprint identifies what a checkpoint's results depend on: the model
// and its sampling settings (temperature, max tokens), the task and suite,
// the rounds, the seed, the persona pool size, the pushback source and the
// judge. Items, conditions and arms may be added when resuming, because
// each unit's key names them (and each unit records the digest of its
// item's and persona's content, [UnitResult.Inputs], which a resume
// checks unit by unit), and so may a debate's agree replies
// ([Config.NoAgree]), which a resume asks for the units that lack them.
// Settings left at their defaults are not written, so that a
// configuration with the defaults has the fingerprint older builds wrote
// (their checkpoints are refused all the same, because their units do not
// record their inputs: see [Config.Resume]).
func (c *Config) Fingerprint() string {
	user := "scripted"
	if c.User != nil {
		user = "model:" + c.UserModel
	}
	judge := c.Judge != nil
	s := fmt.Sprintf("model=%s task=%s suite=%s rounds=%d seed=%d personas=%d user=%s judge=%t",
		c.Model, c.Suite.Task, c.Suite.Name, c.Rounds, c.Seed, len(c.Personas), user, judge)
	if judge && c.Judge.Model() != "" {
		s += " judge_model=" + c.Judge.Model()
	}
	if c.Temperature != nil {
		s += " temperature=" + strconv.FormatFloat(*c.Temperature, 'g', -1, 64)
	}
	if c.MaxTokens != 0 {
		s += " max_tokens=" + strconv.Itoa(c.MaxTokens)
	}
	h := sha256.Sum256([]byte(s))
	return s + " #" + hex.EncodeToString(h[:4])
}

// unitInputs is the digest of unit u's inputs, [UnitResult.Inputs]: SHA-256
// of the JSON of the fields below. Item.ID, the condition and the arm's
// name are in the unit's key; Item.Source and Item.Meta change neither a
// prompt nor a score. A field added to these types must be omitempty (or
// omitzero), so that the digests of checkpoints written before it stay
// the same.
func (c *Config) unitInputs(u unit) (string, error) {
	b, err := json.Marshal(struct {
		Prompt   string            `json:"prompt"`
		Debate   *Debate           `json:"debate,omitempty"`
		Goal     *Goal             `json:"goal,omitempty"`
		Choice   *Choice           `json:"choice,omitempty"`
		Persona  *Persona          `json:"persona,omitempty"`
		Metadata map[string]string `json:"metadata,omitempty"`
	}{u.item.Prompt, u.item.Debate, u.item.Goal, u.item.Choice, c.persona(u), u.arm.Metadata})
	if err != nil {
		return "", fmt.Errorf("%w: unit %s: encode its inputs: %w", ErrBadConfig, u.key, err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:]), nil
}

// plan lists the units in a stable order: item, then condition, then arm.
func (c *Config) plan() []unit {
	var us []unit
	for i := range c.Suite.Items {
		it := &c.Suite.Items[i]
		p := -1
		if len(c.Personas) > 0 {
			p = personaFor(c.Seed, it.ID, len(c.Personas))
		}
		for _, cd := range c.Conditions {
			for a := range c.Arms {
				u := unit{item: it, cond: cd, arm: &c.Arms[a], persona: -1}
				if cd != Generic {
					u.persona = p
				}
				u.key = fmt.Sprintf("%s/%s/%s/%s", c.Suite.Task, it.ID, cd, c.Arms[a].Name)
				us = append(us, u)
			}
		}
	}
	return us
}

// checkPersonas renders the condition text of every planned unit once per
// persona and condition, so that a persona that cannot give a condition
// (no demographics for demographics only, a profile longer than the
// neutral passage) is a configuration error before any model call, not a
// unit that fails, and fails again on every resume.
func (c *Config) checkPersonas(units []unit) error {
	type pc struct {
		persona int
		cond    Condition
	}
	seen := map[pc]bool{}
	for _, u := range units {
		k := pc{u.persona, u.cond}
		if u.persona < 0 || seen[k] {
			continue
		}
		seen[k] = true
		if _, err := userContext(u.cond, c.persona(u)); err != nil {
			return fmt.Errorf("%w: persona %q (item %s) cannot give the %s condition: %w", ErrBadConfig, c.Personas[u.persona].ID, u.item.ID, u.cond, err)
		}
	}
	return nil
}

// wantsAgree reports whether the run asks each unit for its agree reply.
func (c *Config) wantsAgree() bool { return c.Suite.Task == TaskDebate && !c.NoAgree }

// persona returns the profile unit u is run with, nil for none.
func (c *Config) persona(u unit) *Persona {
	if u.persona < 0 {
		return nil
	}
	return &c.Personas[u.persona]
}

// agreeConversation is the conversation whose next reply is unit u's agree
// reply: its opening, the first answer recorded in r0, and
// [AgreeStatement]. The opening is rebuilt, so it must still be the one r0
// answered: a checkpoint's unit whose recorded opening message is not the
// one this build and configuration write cannot be completed.
func (c *Config) agreeConversation(u unit, r0 Round) ([]chat.Message, error) {
	msgs, err := opening(u.item, u.cond, c.persona(u))
	if err != nil {
		return nil, err
	}
	if got := msgs[len(msgs)-1].Content; got != r0.User {
		return nil, errors.New("its recorded opening message is not the one this build and configuration send (another suite file or build?)")
	}
	return append(msgs, chat.Assistant(r0.Reply), chat.User(AgreeStatement)), nil
}

// personaID is the ID of the persona unit u is run with, "" for none.
func (c *Config) personaID(u unit) string {
	if u.persona < 0 {
		return ""
	}
	return c.Personas[u.persona].ID
}

// personaFor draws an item's persona from the seed and the item ID, so that
// the assignment does not change when items are added or reordered. The
// draw is SHA-256 of both, which mixes every bit: FNV-1a, used before, let
// the low bits of its hash depend only on the low bits of the input's
// bytes, so that with an even pool size seeds repeated one another's
// assignment and consecutive item IDs alternated between personas.
func personaFor(seed int64, id string, n int) int {
	h := sha256.Sum256(fmt.Appendf(nil, "%d\x00%s", seed, id))
	return int(binary.BigEndian.Uint64(h[:8]) % uint64(n))
}

// Run runs every unit of cfg not already in its checkpoint, at most
// cfg.Concurrency at a time, and returns all completed units. A unit that
// fails after its retries is reported in Result.Failed and the run goes on;
// Run's error is for what stops the whole run: a bad configuration (a
// persona that cannot give a condition it is assigned, such as
// demographics only without demographics, among them), a checkpoint that
// cannot be written, or ctx being done (then the result holds what
// completed, all of it already checkpointed).
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	start := cfg.Clock.Now()
	units := cfg.plan()
	if err := cfg.checkPersonas(units); err != nil {
		return nil, err
	}
	for i := range units {
		var err error
		if units[i].inputs, err = cfg.unitInputs(units[i]); err != nil {
			return nil, err
		}
	}
	res := &Result{}
	done := map[string]UnitResult{}
	var cp *Checkpoint
	if cfg.Checkpoint != "" {
		var prior []UnitResult
		var err error
		cp, prior, err = OpenCheckpoint(cfg.Checkpoint, cfg.Fingerprint(), cfg.Resume)
		if err != nil {
			return nil, err
		}
		defer cp.Close()
		for _, u := range prior {
			done[u.Key] = u
		}
	}
	var todo []unit
	for _, u := range units {
		if prior, ok := done[u.key]; ok {
			// The fingerprint holds the pool's size only: a resumed unit
			// must have been given the persona this configuration gives it.
			if want := cfg.personaID(u); prior.Persona != want {
				return nil, fmt.Errorf("%w: %s: unit %s was run with persona %q, this configuration gives it %q; resume with the same persona pool (a checkpoint of a build that assigned personas with FNV-1a, before SHA-256, cannot be resumed), or use another file",
					ErrCheckpoint, cfg.Checkpoint, u.key, prior.Persona, want)
			}
			// The fingerprint holds neither the items' nor the personas'
			// content (items may be added on resume): each unit records
			// its own.
			switch prior.Inputs {
			case u.inputs:
			case "":
				return nil, fmt.Errorf("%w: %s: unit %s was recorded by a build that does not record a unit's inputs, so this resume cannot check that its item, persona and arm are the ones it was run with; finish the run with the build that began it, or use another file",
					ErrCheckpoint, cfg.Checkpoint, u.key)
			default:
				return nil, fmt.Errorf("%w: %s: unit %s was run with other inputs than this configuration gives it (its item's content, its persona's profile or its arm's metadata changed); resume with the suite, personas and arms it was run with, or use another file",
					ErrCheckpoint, cfg.Checkpoint, u.key)
			}
			if cfg.wantsAgree() && prior.Agree == nil {
				// Recorded without its agree reply (NoAgree): completing
				// it needs its opening exactly as sent.
				if len(prior.Rounds) == 0 {
					return nil, fmt.Errorf("%w: %s: unit %s has no first answer to ask its agree reply after", ErrCheckpoint, cfg.Checkpoint, u.key)
				}
				if _, err := cfg.agreeConversation(u, prior.Rounds[0]); err != nil {
					return nil, fmt.Errorf("%w: %s: unit %s cannot be completed with its agree reply: %w; resume with NoAgree (-agree=false), or use another file",
						ErrCheckpoint, cfg.Checkpoint, u.key, err)
				}
				u.prior = &prior
				todo = append(todo, u)
				continue
			}
			res.Resumed++
			continue
		}
		todo = append(todo, u)
	}
	r := &runner{cfg: &cfg, rng: rand.New(rand.NewPCG(uint64(cfg.Seed), 0x9e3779b97f4a7c15))}
	var mu sync.Mutex
	prog := Progress{Resumed: res.Resumed, Total: len(units)}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(cfg.Concurrency)
	for _, u := range todo {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			ur, err := r.unit(gctx, u)
			if err != nil && gctx.Err() != nil {
				return gctx.Err() // cancelled: not a unit failure, nothing written
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				res.Failed = append(res.Failed, &UnitError{Key: u.key, Err: err})
				prog.Failed++
				// A unit is complete or failed, never both: a resumed
				// unit whose agree reply failed is asked again next time.
				delete(done, u.key)
			} else {
				if cp != nil {
					if werr := cp.Append(ur); werr != nil {
						return werr
					}
				}
				done[u.key] = ur
			}
			prog.Done++
			prog.Last = u.key
			prog.Elapsed = cfg.Clock.Now().Sub(start)
			if cfg.Progress != nil {
				cfg.Progress(prog)
			}
			return nil
		})
	}
	err := g.Wait()
	if err == nil {
		err = ctx.Err()
	}
	for _, u := range units {
		if ur, ok := done[u.key]; ok {
			res.Units = append(res.Units, ur)
		}
	}
	pos := make(map[string]int, len(units))
	for i, u := range units {
		pos[u.key] = i
	}
	slices.SortFunc(res.Failed, func(a, b *UnitError) int { return pos[a.Key] - pos[b.Key] })
	return res, err
}

// runner holds what the units of one run share.
type runner struct {
	cfg   *Config
	rngMu sync.Mutex
	rng   *rand.Rand
}

func (r *runner) jitter() float64 {
	r.rngMu.Lock()
	defer r.rngMu.Unlock()
	return r.rng.Float64()
}

// call sends req through client with rate limiting and retries. An empty
// reply counts as a failure, because a blank answer cannot be scored.
func (r *runner) call(ctx context.Context, client chat.Client, req *chat.Request, ur *UnitResult) (string, error) {
	var last error
	n, tries := r.cfg.Retry.attempts(), 0
	for attempt := 1; attempt <= n; attempt++ {
		tries = attempt
		if attempt > 1 {
			wait := r.cfg.Retry.Backoff(attempt-1, r.jitter())
			if ra := retryAfter(last); ra > wait {
				wait = min(ra, r.cfg.Retry.maxWait())
			}
			if err := r.cfg.Clock.Sleep(ctx, wait); err != nil {
				return "", err
			}
		}
		if err := r.cfg.Limiter.Wait(ctx); err != nil {
			return "", err
		}
		ur.Calls++
		resp, err := client.Complete(ctx, req)
		if err == nil && resp == nil {
			// A broken client; retrying it would only repeat the call.
			last = ErrNoResponse
			break
		}
		if err == nil {
			ur.Usage = ur.Usage.Add(resp.Usage)
			if txt := resp.Text(); txt != "" {
				return txt, nil
			}
			err = ErrEmptyReply
		}
		last = err
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		if !r.cfg.Retry.retryable(err) {
			break
		}
	}
	if tries == 1 {
		return "", fmt.Errorf("after 1 attempt: %w", last)
	}
	return "", fmt.Errorf("after %d attempts: %w", tries, last)
}

// retryAfter is the least wait a failed call asked for (a 429's
// Retry-After), read from the first error in the chain that has a
// RetryAfter() time.Duration method; 0 when none does.
func retryAfter(err error) time.Duration {
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) {
		return ra.RetryAfter()
	}
	return 0
}

func (r *runner) request(arm *Arm, msgs []chat.Message) *chat.Request {
	return &chat.Request{
		Model:       r.cfg.Model,
		Messages:    slices.Clone(msgs),
		Temperature: r.cfg.Temperature,
		MaxTokens:   r.cfg.MaxTokens,
		Metadata:    arm.Metadata,
	}
}

func (r *runner) unit(ctx context.Context, u unit) (UnitResult, error) {
	model := chat.Wrap(r.cfg.Client, u.arm.Middleware)
	if u.prior != nil {
		// A checkpointed unit that lacks only its agree reply (Run checked
		// that its opening can be rebuilt).
		ur := *u.prior
		conv, err := r.cfg.agreeConversation(u, ur.Rounds[0])
		if err == nil {
			ur.Agree, err = r.agree(ctx, model, u, r.analyzer(u.item), conv, &ur)
		}
		return ur, err
	}
	ur := UnitResult{
		Key: u.key, Task: u.item.Task, Item: u.item.ID, Condition: u.cond, Arm: u.arm.Name, Inputs: u.inputs,
	}
	p := r.cfg.persona(u)
	ur.Persona = r.cfg.personaID(u)
	if u.item.Task == TaskFactual {
		return ur, r.factual(ctx, model, u, p, &ur)
	}
	an := r.analyzer(u.item)
	msgs, err := opening(u.item, u.cond, p)
	if err != nil {
		return ur, err
	}
	reply, err := r.call(ctx, model, r.request(u.arm, msgs), &ur)
	if err != nil {
		return ur, err
	}
	msgs = append(msgs, chat.Assistant(reply))
	first := len(msgs) - 1
	r0 := Round{N: 0, User: msgs[first-1].Content, Reply: reply, Scores: score(an, msgs)}
	if u.item.Task == TaskDebate {
		r0.Outcome = metrics.Absent
	} else if m, ok := outcomeMetric(u.item.Task); ok {
		r0.Outcome = r0.Scores[m].Label
	}
	ur.Rounds = append(ur.Rounds, r0)
	if r.cfg.wantsAgree() {
		conv := append(slices.Clip(msgs), chat.User(AgreeStatement))
		if ur.Agree, err = r.agree(ctx, model, u, an, conv, &ur); err != nil {
			return ur, err
		}
	}
	if !u.item.Task.MultiTurn() {
		return ur, nil
	}
	metric, _ := outcomeMetric(u.item.Task)
	index := slices.IndexFunc(r.cfg.Suite.Items, func(it Item) bool { return it.ID == u.item.ID })
	for t := 1; t <= r.cfg.Rounds; t++ {
		push, err := r.pushback(ctx, u, p, msgs, t, &ur)
		if err != nil {
			return ur, fmt.Errorf("round %d pushback: %w", t, err)
		}
		msgs = append(msgs, chat.User(push))
		reply, err := r.call(ctx, model, r.request(u.arm, msgs), &ur)
		if err != nil {
			return ur, fmt.Errorf("round %d: %w", t, err)
		}
		msgs = append(msgs, chat.Assistant(reply))
		// The heuristic scorers read the whole conversation: they compare
		// the reply with the assigned stance and the first answer
		// themselves, as they were trained to.
		rd := Round{N: t, User: push, Reply: reply, Scores: score(an, msgs)}
		rd.Outcome = rd.Scores[metric].Label
		if r.cfg.Judge != nil {
			ri := judge.RoundItem{ID: u.key, Context: u.item.Prompt, Initial: msgs[first].Content, Pushback: push, Answer: reply, Round: t}
			if d := u.item.Debate; d != nil {
				// The judge's prompt has a block of its own for the stance;
				// the topic is the debate question, when the suite has one.
				ri.Context, ri.Stance = d.Question, d.Stance
			}
			if g := u.item.Goal; g != nil {
				ri.Goal, ri.Preference = g.HumanGoal, g.HumanPref
			}
			jr, err := r.cfg.Judge.JudgeRound(ctx, judge.Dimension(metric), index, ri)
			if err == nil {
				err = jr.Err
			}
			if err != nil {
				return ur, fmt.Errorf("round %d judge: %w", t, err)
			}
			rd.Judged = jr.Label
		}
		ur.Rounds = append(ur.Rounds, rd)
	}
	return ur, nil
}

// agree asks the model for its reply to conv, the opening answer followed by
// [AgreeStatement], and scores it.
func (r *runner) agree(ctx context.Context, model chat.Client, u unit, an *metrics.Analyzer, conv []chat.Message, ur *UnitResult) (*Round, error) {
	reply, err := r.call(ctx, model, r.request(u.arm, conv), ur)
	if err != nil {
		return nil, fmt.Errorf("agree reply: %w", err)
	}
	return &Round{N: 1, User: AgreeStatement, Reply: reply, Scores: score(an, append(slices.Clip(conv), chat.Assistant(reply)))}, nil
}

// outcomeMetric is the per-round metric of a multi-turn task.
func outcomeMetric(t Task) (metrics.Metric, bool) {
	switch t {
	case TaskDebate:
		return metrics.StanceFlip, true
	case TaskGoal:
		return metrics.PreferenceAccommodation, true
	}
	return "", false
}

// analyzer returns the heuristic analyzer of one unit (an Analyzer is not
// safe for concurrent use, so each unit has its own).
func (r *runner) analyzer(it *Item) *metrics.Analyzer {
	opts := r.cfg.Metrics
	if it.Goal != nil {
		opts = append(slices.Clip(opts), metrics.WithGoal(it.Goal.HumanGoal, it.Goal.HumanPref))
	}
	return metrics.NewAnalyzer(opts...)
}

// score runs every heuristic scorer on conv, whose last message is the
// reply being scored.
func score(an *metrics.Analyzer, conv []chat.Message) map[metrics.Metric]Score {
	rep := an.Analyze(conv)
	out := map[metrics.Metric]Score{}
	for _, res := range rep.Results() {
		if math.IsNaN(res.Score) || math.IsInf(res.Score, 0) {
			res.Score, res.Label = 0, metrics.Unknown // JSON has no NaN
		}
		out[res.Metric] = Score{Score: res.Score, Label: res.Label}
	}
	return out
}

func (r *runner) factual(ctx context.Context, model chat.Client, u unit, p *Persona, ur *UnitResult) error {
	c := u.item.Choice
	an := r.analyzer(u.item)
	fa := &FactualAnswer{Answer: c.Answer, Wrong: c.Wrong}
	for i, withOpinion := range []bool{false, true} {
		msgs, err := factualPrompt(u.item, u.cond, p, withOpinion)
		if err != nil {
			return err
		}
		reply, err := r.call(ctx, model, r.request(u.arm, msgs), ur)
		if err != nil {
			return err
		}
		pick := ExtractChoice(reply, len(c.Options))
		if i == 0 {
			fa.Baseline = pick
		} else {
			fa.Opinion = pick
		}
		ur.Rounds = append(ur.Rounds, Round{N: i, User: msgs[len(msgs)-1].Content, Reply: reply, Scores: score(an, append(msgs, chat.Assistant(reply)))})
	}
	ur.Factual = fa
	return nil
}

// errNoReply marks a missing simulated-user message.
var errNoReply = errors.New("simulated user gave an empty message")
