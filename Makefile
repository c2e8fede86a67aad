# tradescreen — the README's commands, and the project's checks.
GO ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: all build test lint bench eval fuzz fuzz-long loadtest ci

all: lint test

build:
	CGO_ENABLED=0 $(GO) build -o bin/tradescreen ./cmd/tradescreen

test:
	$(GO) test ./...

lint:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) ./...

# Benchmarks of every hot path: readers, cold start, index build, query shapes, latency, throughput, batch.
bench:
	$(GO) test ./match ./snapshot ./screen ./source/... -run '^$$' -bench . -benchmem -benchtime 2s

# Matching quality on the name_bench pairs, generated variations of the real list names, and real
# non-listed names; results are recorded in docs/matching.md.
eval:
	$(GO) run ./cmd/tradescreen eval

# Every fuzz target for a minute each (CI runs them for 5 seconds each).
fuzz:
	scripts/fuzz.sh 60s

fuzz-long:
	scripts/fuzz.sh 10m

# HTTP load test on loopback (see docs/performance.md).
loadtest:
	$(GO) test ./http -run TestLoad -load.duration=30s -v

ci:
	bash .ci/run
