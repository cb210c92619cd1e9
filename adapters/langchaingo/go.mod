module github.com/rolegate/rolegate/adapters/langchaingo

go 1.26

require github.com/rolegate/rolegate v0.0.0

require github.com/tmc/langchaingo v0.1.14 // indirect

replace github.com/rolegate/rolegate => ../..
