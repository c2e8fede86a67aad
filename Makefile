# tradescreen — the README's commands, and the project's checks.
GO ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: all build test lint bench eval fuzz fuzz-long loadtest soak faults vulncheck ci

all: lint test

# Releases are built with the toolchain go.mod names (its standard library carries security fixes; see
# docs/security.md), fetched through the module proxy if the installed Go is older.
build:
	GOTOOLCHAIN=auto CGO_ENABLED=0 $(GO) build -o bin/tradescreen ./cmd/tradescreen

test:
	$(GO) test ./...

lint:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) ./...

# Benchmarks of every hot path: readers, cold start, index build, query shapes, latency, throughput, batch,
# and a search through the screening service and the HTTP handler (CPU time per request).
bench:
	$(GO) test ./match ./snapshot ./screen ./batch ./source/... -run '^$$' -bench . -benchmem -benchtime 2s
	$(GO) test ./http -run '^$$' -bench SearchHandler -benchmem -benchtime 3000x

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

# Soak: the real server with a SQLite database for 10 minutes (after a 30 s warm-up) under search, screen,
# batch jobs, party imports and alert decisions at a fixed rate; fails on errors, lost records or memory
# growth (see docs/performance.md, "Soak"). SOAK_DURATION=20s SOAK_WARMUP=5s for a short run;
# SOAK_STORE=postgres with TRADESCREEN_TEST_POSTGRES_URL for PostgreSQL.
SOAK_DURATION ?= 10m
SOAK_WARMUP ?= 30s
SOAK_RATE ?= 40
SOAK_STORE ?= sqlite
soak:
	$(GO) test ./cmd/tradescreen -run '^TestSoak$$' -count=1 -timeout 0 -v \
		-soak.duration=$(SOAK_DURATION) -soak.warmup=$(SOAK_WARMUP) -soak.rate=$(SOAK_RATE) -soak.store=$(SOAK_STORE)

# Fault tests: SIGKILL during decisions, list updates, batch jobs and monitoring; a full disk and a read-only
# data directory (need root); PostgreSQL stopped under load (docs/security.md, "Faults").
faults:
	TRADESCREEN_REQUIRE_FAULTS=1 $(GO) test ./cmd/tradescreen -run 'TestFault|TestMonitorKilled' -count=1 -timeout 30m -v

# Dependency audit against an offline copy of the Go vulnerability database (docs/security.md).
vulncheck:
	GOTOOLCHAIN=auto scripts/vulncheck.sh

ci:
	bash .ci/run
