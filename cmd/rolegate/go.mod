module github.com/rolegate/rolegate/cmd/rolegate

go 1.26.0

require (
	github.com/openai/openai-go/v3 v3.99.0
	github.com/rolegate/rolegate v0.0.0
	github.com/rolegate/rolegate/adapters/openai v0.0.0
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/bahlo/generic-list-go v0.2.0 // indirect
	github.com/buger/jsonparser v1.1.2 // indirect
	github.com/coder/websocket v1.8.15 // indirect
	github.com/invopop/jsonschema v0.14.0 // indirect
	github.com/pb33f/ordered-map/v2 v2.3.1 // indirect
	github.com/tidwall/gjson v1.20.0 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.1 // indirect
	github.com/tidwall/sjson v1.2.5 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	go.yaml.in/yaml/v4 v4.0.0-rc.2 // indirect
	golang.org/x/sync v0.25.0 // indirect
)

replace (
	github.com/rolegate/rolegate => ../..
	github.com/rolegate/rolegate/adapters/openai => ../../adapters/openai
)
