module github.com/rolegate/rolegate/adapters/openai

go 1.26.0

require (
	github.com/openai/openai-go/v3 v3.98.0
	github.com/rolegate/rolegate v0.0.0
	github.com/tidwall/gjson v1.20.0
	github.com/tidwall/sjson v1.2.5
)

require (
	github.com/coder/websocket v1.8.15 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.1 // indirect
)

replace github.com/rolegate/rolegate => ../..
