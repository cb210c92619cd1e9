package persona

import "context"

type contextKey struct{}

// NewContext returns a copy of ctx that carries p, for a middleware such as
// the guard to find with [FromContext].
//
// A profile travels in the context, not in the request, because it is
// request-scoped, typed data that the chat package cannot name: chat sits
// below persona in the import graph, and chat.Request.Metadata holds only
// strings meant for routing. Like the values net/http handlers attach to a
// request's context, the profile never reaches the provider unless a
// middleware renders it into the prompt. The caller must not modify p
// while a request that carries it is in flight.
func NewContext(ctx context.Context, p *Profile) context.Context {
	return context.WithValue(ctx, contextKey{}, p)
}

// FromContext returns the profile attached by [NewContext], if any. A nil
// profile attached explicitly is reported as absent.
func FromContext(ctx context.Context) (*Profile, bool) {
	p, _ := ctx.Value(contextKey{}).(*Profile)
	return p, p != nil
}
