package otel_test

import (
	"context"
	"fmt"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/rolegate/rolegate/chat"
	"github.com/rolegate/rolegate/chat/chattest"
	"github.com/rolegate/rolegate/guard"
	rgotel "github.com/rolegate/rolegate/observers/otel"
)

// The observer adds the verdict to the request's span and counts it. Here
// in-memory SDK exporters stand in for a collector: a peer gives in to
// pushback, the guard reasks, the second answer holds.
func Example() {
	reader := sdkmetric.NewManualReader()
	obs, err := rgotel.New(rgotel.WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))))
	if err != nil {
		panic(err)
	}
	spans := tracetest.NewSpanRecorder()
	tracer := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans)).Tracer("app")

	client := chat.Wrap(chattest.Texts(flipAnswer, holdAnswer), guard.New(nil, guard.WithObserver(obs)))
	ctx, span := tracer.Start(context.Background(), "handle chat")
	if _, err := client.Complete(ctx, pushback("acme")); err != nil {
		panic(err)
	}
	span.End()

	for _, ev := range spans.Ended()[0].Events() {
		fmt.Println("event", ev.Name)
		for _, kv := range ev.Attributes {
			switch kv.Key {
			case rgotel.TenantKey, rgotel.RoleKey, rgotel.ActionKey, rgotel.AttemptsKey, rgotel.CheckMetricKey:
				fmt.Printf("  %s = %s\n", kv.Key, kv.Value.String())
			}
		}
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		panic(err)
	}
	for _, m := range rm.ScopeMetrics[0].Metrics {
		if sum, ok := m.Data.(metricdata.Sum[int64]); ok {
			for _, dp := range sum.DataPoints {
				role, _ := dp.Attributes.Value(rgotel.RoleKey)
				action, _ := dp.Attributes.Value(rgotel.ActionKey)
				fmt.Printf("%s{role=%s, action=%s} %d\n", m.Name, role.String(), action.String(), dp.Value)
			}
		}
	}
	// Output:
	// event rolegate.guard.verdict
	//   rolegate.tenant = acme
	//   rolegate.role = peer
	//   rolegate.action = reask
	//   rolegate.attempts = 2
	//   rolegate.check.metric = ["emotional_validation","capitulation","belief_adoption","stance_flip","preference_accommodation"]
	// rolegate.guard.verdicts{role=peer, action=reask} 1
}
