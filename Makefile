# leakscope: see README.md. `make demo` and `make test` install what is
# missing (scripts/setup.sh) before they run.
GO      ?= go
BIN     ?= bin/leakscope
PKGS    ?= ./...
FUZZTIME ?= 30s
export PATH := $(PATH):/usr/local/go/bin

.PHONY: all setup build demo test test-short test-race bench bench-scale bench-hostile fuzz lint golden eval screenshots clean

all: build

setup:
	@scripts/setup.sh

build:
	$(GO) build -o $(BIN) ./cmd/leakscope

demo: setup build
	$(BIN) demo

test: setup
	$(GO) test -count=1 -timeout 20m $(PKGS)

test-short:
	$(GO) test -short $(PKGS)

test-race:
	$(GO) test -race -short $(PKGS)

bench: build
	$(GO) test -run='^$$' -bench=. -benchmem -count=6 -timeout 60m $(PKGS)
	$(MAKE) bench-scale

# Ingest of 100,000 small files plus one 2 GiB file, against the raw
# read-and-hash rate of the same files, with the ingest's peak RSS.
bench-scale: build
	LEAKSCOPE_BENCH_SCALE=1 $(GO) test -run='^$$' -bench=IngestScale -benchtime=1x -timeout 60m ./cmd/leakscope/

# Peak RSS (child tools included, /usr/bin/time -v) of an ingest of a
# generated hostile corpus: huge-dimension PNG, huge-MediaBox PDF, 200 MB
# one-line text, zip bomb, deep nesting. Goal: under 1 GB.
bench-hostile: setup
	LEAKSCOPE_BENCH_HOSTILE=1 $(GO) test -run='^$$' -bench=HostileRSS -benchtime=1x -timeout 30m ./internal/ingest/

fuzz:
	@for pkg in $$($(GO) list $(PKGS)); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	  done; done

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet $(PKGS)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 $(PKGS)

# Rewrite every golden file: all tests of each package whose tests link
# internal/golden, the one place -update is registered (a package without
# it would fail on the unknown flag). Not filtered by test name: golden
# tests are called TestExtract, TestWrite ... as often as *Golden.
GOLDEN_PKGS = $(GO) list -test -f '{{if .ForTest}}{{.ForTest}}{{range .Deps}} {{.}}{{end}}{{end}}' $(PKGS) | \
	awk -v g="$$($(GO) list -m)/internal/golden" '{ for (i = 2; i <= NF; i++) if ($$i == g) { print $$1; break } }' | sort -u

golden:
	$(GO) test -count=1 $$($(GOLDEN_PKGS)) -update

eval: build
	scripts/eval.sh

screenshots: build
	LEAKSCOPE_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run TestScreenshots ./internal/caseview/

clean:
	rm -rf bin
