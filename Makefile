# The workshop's commands. Each target is a thin alias over go; run
# "make help" for the list.

GO      ?= go
RUNNER  := .cache/runner
MODE    ?= interp
CHAPTERS := 0 1 2 3 4 5 6 7 8 9 10 11 12 13
EXERCISES := 1 2 3 4 5 6 7 8 9 10 11

# The workshop's own packages: not the learner's workspace/ or extracted/.
PKGS    := ./chapters/... ./runner/... ./site/... ./tools/...

.DEFAULT_GOAL := help

.PHONY: help deps runner browser-deps list extract editor generate fmt-check vet unit check check-update test \
	site serve bench soak soak-exercises prove \
	$(addprefix chapter-,$(CHAPTERS)) $(addprefix exercise-,$(EXERCISES)) \
	$(addprefix check-,$(EXERCISES)) $(addprefix hint-,$(EXERCISES)) $(addprefix solution-,$(EXERCISES)) \
	exercises

help: ## list the targets
	@echo "The ZeroMQ workshop in Go. Targets:"
	@grep -hE '^[a-zA-Z_ ()$$,%-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^[$$][(]addprefix ([a-z]+-),[^:]*: [a-z]+-%/\1N/; s/:.*## /\t/' | awk -F'\t' '{printf "  make %-16s %s\n", $$1, $$2}'

deps: ## install libzmq if it is missing (apt-get or brew)
	@sh tools/install-deps.sh

browser-deps: ## install libzmq and Chromium if missing (for the browser test)
	@sh tools/install-deps.sh browser

# The runner, built once per make (go's cache makes it quick when nothing
# changed); a built binary gets Ctrl-C and exit codes as they are.
runner: deps
	@$(GO) build -o .cache/runner ./runner

$(addprefix chapter-,$(CHAPTERS)): chapter-%: runner ## run chapter N's showcases live (MODE=compiled for compiled Go)
	@$(RUNNER) run --mode=$(MODE) $*

list: runner ## list chapters, programs, scenes and exercises
	@$(RUNNER) list

exercises: runner ## show every exercise and your progress
	@$(RUNNER) exercise

$(addprefix exercise-,$(EXERCISES)): exercise-%: runner ## start exercise N: copy its starter into workspace/
	@$(RUNNER) exercise $*

$(addprefix check-,$(EXERCISES)): check-%: runner ## check your solution of exercise N (MODE=compiled for compiled Go)
	@$(RUNNER) exercise -check -mode=$(MODE) $*

$(addprefix hint-,$(EXERCISES)): hint-%: runner ## show the next hint of exercise N
	@$(RUNNER) exercise -hint $*

$(addprefix solution-,$(EXERCISES)): solution-%: runner ## show the reference solution of exercise N
	@$(RUNNER) exercise -solution $*

extract: runner ## write every program as a Go file under extracted/
	@$(RUNNER) extract extracted

check: runner ## check every scene's transcript in both modes
	@$(RUNNER) check

check-update: runner ## re-record every transcript (review the diff!)
	@$(RUNNER) check -update --mode=both

editor: ## rebuild the notebook's bundled editor (site/editor/dist) from its pinned npm packages
	$(GO) generate ./site/editor

generate: ## regenerate the yaegi symbols of zmq4
	$(GO) generate ./runner/zmqsym

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet: deps
	$(GO) vet $(PKGS)

unit: browser-deps
	$(GO) test -timeout 45m $(PKGS)

test: browser-deps fmt-check ## the whole test suite: format, vet, generated code, unit tests, every scene in both modes
	$(GO) vet $(PKGS)
	$(GO) generate ./runner/zmqsym
	@git diff --exit-code --stat -- runner/zmqsym || { echo "runner/zmqsym is not current: run make generate and commit it"; exit 1; }
	$(GO) test -timeout 45m $(PKGS)
	$(GO) test ./chapters -run '^$$' -fuzz FuzzParse -fuzztime 15s
	@$(GO) build -o .cache/runner ./runner
	@rm -rf extracted && $(RUNNER) extract extracted >/dev/null
	$(GO) vet ./extracted/...
	$(RUNNER) check

# Rendering needs neither cgo nor libzmq; only running scenes does.
site: ## render the workshop into _site/ (open _site/index.html)
	CGO_ENABLED=0 $(GO) run ./site build -o _site

serve: deps ## serve the workshop as a notebook on http://127.0.0.1:8080 (open the address it prints)
	$(GO) run ./site serve

bench: deps ## measure ZeroMQ and the workshop's tools
	$(GO) run ./tools/bench

prove: runner ## prove the exercises' checkers: reference, starter and every wrong solution
	@$(RUNNER) exercise -prove -v

soak: deps ## run every scene many times under load (ROUNDS=20)
	@sh tools/soak.sh $${ROUNDS:-20}

soak-exercises: deps ## run the exercises' checker scenes many times under load (ROUNDS=20)
	@sh tools/soak.sh $${ROUNDS:-20} -exercises
