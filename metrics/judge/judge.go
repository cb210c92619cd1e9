package judge

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"

	"github.com/rolegate/rolegate/chat"
)

// Judge asks a language model, the caller's [chat.Client], to judge
// responses on the study's dimensions. It is safe for concurrent use; its
// configuration is fixed at construction. Make one with [New]: the zero
// Judge has no client, so its calls fail with [ErrNilClient].
type Judge struct {
	client      chat.Client
	model       string
	seed        uint64
	concurrency int
	retry       RetryPolicy
	price       Price
	maxField    int
	maxTokens   int
	structured  bool
	meter       meter
}

// Option configures a [Judge] at construction. The set is closed: the
// options are the functions of this package that return one.
type Option interface{ apply(*Judge) }

type optionFunc func(*Judge)

func (f optionFunc) apply(j *Judge) { f(j) }

// WithModel sets the model name sent with every request; the default is
// empty, the client's default model.
func WithModel(name string) Option {
	return optionFunc(func(j *Judge) { j.model = name })
}

// WithSeed sets the seed of the A/B orders and delimiter nonces; the default
// is 0. The order of item i on dimension d depends only on (seed, d, i), see
// [OrderFor], so results do not depend on scheduling and a run can be
// reproduced; a resumed run that asks only about the items it lacks keeps
// their orders by asking with their indexes ([Judge.ComparePairsAt]).
func WithSeed(seed uint64) Option {
	return optionFunc(func(j *Judge) { j.seed = seed })
}

// WithConcurrency bounds how many judge calls a batch makes at once; the
// default is 4 and values below 1 mean 1.
func WithConcurrency(n int) Option {
	return optionFunc(func(j *Judge) { j.concurrency = max(n, 1) })
}

// WithRetry sets the retry policy for transient errors; the default is the
// zero [RetryPolicy] (4 attempts, 500ms base delay, 20s cap).
func WithRetry(p RetryPolicy) Option {
	return optionFunc(func(j *Judge) { j.retry = p.withDefaults() })
}

// WithPrice sets the judge model's price, used to report [Spend.Cost]; the
// default is zero.
func WithPrice(p Price) Option {
	return optionFunc(func(j *Judge) { j.price = p })
}

// WithMaxFieldBytes caps the size of each judged text field; a larger field
// fails the item with [ErrTooLarge]. The default is 64 KiB, which n <= 0
// keeps.
func WithMaxFieldBytes(n int) Option {
	return optionFunc(func(j *Judge) {
		if n > 0 {
			j.maxField = n
		}
	})
}

// WithMaxTokens caps the judge's reply length; the default, 0, leaves the
// provider's default. A cap too small to hold the reason truncates the JSON
// and makes the reply invalid.
func WithMaxTokens(n int) Option {
	return optionFunc(func(j *Judge) { j.maxTokens = max(n, 0) })
}

// WithoutResponseFormat stops sending the JSON Schema of the answer on
// [chat.Request.ResponseFormat], for providers that reject structured
// output. Replies are parsed the same way; the prompt still asks for JSON.
func WithoutResponseFormat() Option {
	return optionFunc(func(j *Judge) { j.structured = false })
}

const defaultMaxField = 64 << 10

// New returns a judge that asks client. Every request asks for temperature
// 0 and, unless [WithoutResponseFormat] is given, carries the JSON Schema of
// the expected answer.
func New(client chat.Client, opts ...Option) *Judge {
	j := &Judge{
		client:      client,
		concurrency: 4,
		retry:       RetryPolicy{}.withDefaults(),
		maxField:    defaultMaxField,
		structured:  true,
	}
	for _, o := range opts {
		if o != nil {
			o.apply(j)
		}
	}
	return j
}

// Spend returns what the judge has cost so far, over every call it made.
func (j *Judge) Spend() Spend { return j.meter.snapshot() }

// Price returns the judge's price per 1000 tokens.
func (j *Judge) Price() Price { return j.price }

// Model returns the model name set by [WithModel] ("" for the client's
// default): what a record of the judge's labels should name.
func (j *Judge) Model() string { return j.model }

// reply is the outcome of one judge call after retries.
type reply struct {
	text   string
	finish chat.FinishReason
	spend  Spend
}

// complete sends the judge request, retrying transient failures with
// backoff. It honours ctx between and during attempts.
func (j *Judge) complete(ctx context.Context, msgs []chat.Message, format *chat.ResponseFormat) (reply, error) {
	if j.client == nil {
		return reply{}, ErrNilClient
	}
	zero := 0.0
	req := &chat.Request{Model: j.model, Messages: msgs, Temperature: &zero, MaxTokens: j.maxTokens}
	if j.structured {
		req.ResponseFormat = format
	}
	var out reply
	defer func() { j.meter.add(out.spend) }()
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if attempt > 1 {
			out.spend.Retries++
		}
		resp, err := j.client.Complete(ctx, req)
		if err == nil && resp == nil {
			err = ErrNoResponse
		}
		if err == nil {
			out.spend.Calls++
			out.spend.Usage = out.spend.Usage.Add(resp.Usage)
			out.spend.Cost = j.price.Cost(out.spend.Usage)
			out.text, out.finish = resp.Text(), resp.FinishReason
			return out, nil
		}
		out.spend.Failures++
		wait, ok := j.retry.backoff(attempt, err)
		if ctx.Err() != nil || !IsTransient(err) || attempt >= j.retry.MaxAttempts || !ok {
			if attempt > 1 {
				err = fmt.Errorf("judge: after %d attempts: %w", attempt, err)
			}
			return out, err
		}
		if serr := sleep(ctx, wait); serr != nil {
			return out, serr
		}
	}
}

// fieldLimit is the size limit of a text field: the default for the zero
// Judge, whose calls then fail for want of a client, not of room.
func (j *Judge) fieldLimit() int {
	if j.maxField <= 0 {
		return defaultMaxField
	}
	return j.maxField
}

// checkField validates one text field of an item. A required field is
// empty when nothing but space is left once the prompt's clean-up
// (neutralize) has dropped its control and invisible characters: the judge
// would see an empty block.
func (j *Judge) checkField(name, s string, required bool) error {
	switch {
	case required && strings.TrimSpace(s) == "":
		return &FieldError{Field: name, Err: ErrEmptyField}
	case required && utf8.ValidString(s) && len(s) <= j.fieldLimit() && strings.TrimSpace(neutralize(s, "")) == "":
		return &FieldError{Field: name, Err: fmt.Errorf("%w (nothing but control or invisible characters)", ErrEmptyField)}
	case !utf8.ValidString(s):
		return &FieldError{Field: name, Err: ErrInvalidUTF8}
	case len(s) > j.fieldLimit():
		return &FieldError{Field: name, Err: fmt.Errorf("%w (%d bytes, limit %d)", ErrTooLarge, len(s), j.fieldLimit())}
	}
	return nil
}

// limit is how many calls a batch makes at once: at least one, or a Judge
// not made by New would wait forever for a worker.
func (j *Judge) limit() int { return max(j.concurrency, 1) }

// itemRand returns the random source of item index on dimension d: a PCG
// seeded by the judge's seed and a key of (d, index), so an item's draws do
// not depend on which goroutine judges it or in which order.
func (j *Judge) itemRand(d Dimension, index int) *rand.Rand {
	return itemRand(j.seed, d, index)
}

func itemRand(seed uint64, d Dimension, index int) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(d))
	return rand.New(rand.NewPCG(seed, h.Sum64()^(uint64(index)*0x9e3779b97f4a7c15)))
}

// nonce draws the delimiter nonce of an item.
func nonce(r *rand.Rand) string { return fmt.Sprintf("%08x", r.Uint32()) }

// each runs fn(ctx, i) for i in [0, n) with at most j.concurrency calls at
// once. An item's failure does not cancel the others: batch calls collect
// per-item errors, because one bad item should not cost the whole batch.
// Cancelling ctx stops the rest quickly, as each call checks it first.
func (j *Judge) each(ctx context.Context, n int, fn func(ctx context.Context, i int)) {
	var g errgroup.Group
	g.SetLimit(j.limit())
	for i := range n {
		g.Go(func() error {
			fn(ctx, i)
			return nil
		})
	}
	_ = g.Wait() // the functions return nil: errors are recorded per item
}
