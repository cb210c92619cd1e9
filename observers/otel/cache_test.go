package otel

import (
	"fmt"
	"testing"

	"go.opentelemetry.io/otel/attribute"
)

func TestOptCacheIsBounded(t *testing.T) {
	var c optCache[verdictKey]
	built := 0
	for i := range maxCachedSets + 10 {
		key := verdictKey{role: fmt.Sprint(i), action: "pass"}
		if c.get(key, func() attribute.Set { built++; return attribute.NewSet(RoleKey.String(key.role)) }) == nil {
			t.Fatal("nil option")
		}
	}
	if len(c.m) != maxCachedSets {
		t.Errorf("%d options cached, want the cap %d", len(c.m), maxCachedSets)
	}
	c.get(verdictKey{role: "0", action: "pass"}, func() attribute.Set { built++; return attribute.NewSet() })
	if built != maxCachedSets+10 {
		t.Errorf("built %d sets, want %d: a cached key is not built again", built, maxCachedSets+10)
	}
}
