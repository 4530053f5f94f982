# Access Alerts: every command a user needs. See README.md.
#   make dev    set up, build, publish content/ to the local KV store, serve on 127.0.0.1:$(PORT)
#   make test   set up, lint, build, run every test (unit, integration under wrangler dev, deploy dry run, size budget)
#   make lint   the lint gate alone: rustfmt, clippy (native and wasm) and rustdoc, every warning an error

SHELL := /bin/bash
.DEFAULT_GOAL := dev

PORT ?= 8787
# The local Amazon SES (`dev/ses-local.cjs`) that bulk mail goes to under
# `make dev`; .dev.vars' SES_ENDPOINT names the same port.
SES_PORT ?= 8005
STATE ?= .wrangler/state
CARGO_BIN := $(HOME)/.cargo/bin
WORKER_BUILD_VERSION := 0.8.7
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock)
SIZE_BUDGET_KIB := 490.94

export PATH := $(CARGO_BIN):$(PATH)
export WASM_BINDGEN_BIN := $(CARGO_BIN)/wasm-bindgen
export WASM_OPT_BIN := $(CURDIR)/node_modules/.bin/wasm-opt
export WRANGLER := $(CURDIR)/node_modules/.bin/wrangler
export WRANGLER_SEND_METRICS := false
export CLOUDFLARE_CF_FETCH_ENABLED := false

PUBLISH := target/debug/alerts
REMOTE_FLAG := $(if $(filter 1,$(REMOTE)),--remote,--persist-to $(STATE))
PRUNE_FLAG := $(if $(filter 1,$(PRUNE)),--prune,)
SYNTHETIC_FLAG := $(if $(SYNTHETIC),--synthetic $(SYNTHETIC),)

.PHONY: translations dev test lint setup build build-release build-bench build-bench-base publish check new preview-link seed-synthetic bench profile size deploy clean migrate subscribers test-email webhook-add webhooks webhook-remove webhook-enable webhook-resend

## ---- set-up: each step is skipped when already done ----
setup: .stamps/rust-target .stamps/worker-build .stamps/wasm-bindgen .stamps/nextest node_modules/.package-lock.json .dev.vars

# Debian's Chromium, for the Lighthouse test (apt needs root: sudo when not root).
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
.stamps/chromium:
	@mkdir -p .stamps
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }
	@touch $@

.stamps/rust-target:
	@mkdir -p .stamps
	rustup target add wasm32-unknown-unknown
	@touch $@

.stamps/worker-build:
	@mkdir -p .stamps
	@worker-build --version 2>/dev/null | grep -q "$(WORKER_BUILD_VERSION)" || \
	  cargo install worker-build --version $(WORKER_BUILD_VERSION) --locked
	@touch $@

# Not --locked: the CLI's own lock file names a crate version the registry no longer has.
.stamps/wasm-bindgen: Cargo.lock
	@mkdir -p .stamps
	@wasm-bindgen --version 2>/dev/null | grep -q " $(WASM_BINDGEN_VERSION)$$" || \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@touch $@

.stamps/nextest:
	@mkdir -p .stamps
	@cargo nextest --version >/dev/null 2>&1 || cargo install cargo-nextest --locked
	@touch $@

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Copied when missing; an existing one gets the settings the example has
# and it lacks (a new secret after a pull), placeholders only.
.dev.vars: .dev.vars.example
	@test -f $@ || cp $< $@
	@test -z "$$(tail -c1 $@)" || echo >> $@
	@grep -E '^[A-Z_]+=' $< | while IFS= read -r line; do \
	  key=$${line%%=*}; grep -q "^$$key=" $@ || { echo "$$line" >> $@; echo ".dev.vars: added $$key (a placeholder) from .dev.vars.example"; }; \
	done; touch $@

## ---- build ----
# src/entry.mjs is wrangler's main: it calls the handlers of worker-build's
# output directly and relies on its shape (a default export whose prototype
# has the handlers, the init state on globalThis, wasm-bindgen's
# re-instantiation after a trap). Checked after every build, then copied.
define entry
	@for marker in 'globalThis.__worker_init_state' '.prototype.fetch=function' ' as default}' '__instance_terminated' '__wbindgen_reinit'; do \
	  grep -qF -- "$$marker" $(1)/index.js || { echo "$(1)/index.js lacks \`$$marker\`: worker-build's output is not the shape src/entry.mjs relies on (made for worker-build $(WORKER_BUILD_VERSION) and wasm-bindgen $(WASM_BINDGEN_VERSION)); check src/entry.mjs against the new output"; exit 1; }; \
	done
	cp src/entry.mjs $(1)/entry.mjs
endef

# The Worker as dev and tests run it: the release profile without wasm-opt,
# with the `diagnostics` feature (test and bench routes, which stay off
# unless TEST_ROUTES or BENCH_ROUTES is "1").
build: setup
	worker-build --release --no-opt . --features diagnostics
	$(call entry,build)

# The Worker as it is deployed: release profile plus wasm-opt.
# worker-build keeps the wasm name section (function names in stack traces):
# 120 KiB raw, 33 KiB gzip. Panics are still logged with their message and
# source location, so the deployed module goes without it.
WASM_FEATURES := $(addprefix --enable-,mutable-globals sign-ext nontrapping-float-to-int bulk-memory multivalue reference-types exception-handling)
build-release: setup
	worker-build --release -d build-release
	$(WASM_OPT_BIN) build-release/index_bg.wasm --strip-debug -Os $(WASM_FEATURES) -o build-release/index_bg.wasm
	$(call entry,build-release)

# The deployed build plus the `diagnostics` feature, for `make bench`.
build-bench: setup
	worker-build --release -d build-bench . --features diagnostics
	$(WASM_OPT_BIN) build-bench/index_bg.wasm --strip-debug -Os $(WASM_FEATURES) -o build-bench/index_bg.wasm
	$(call entry,build-bench)

$(PUBLISH): $(shell find publisher/src src -name '*.rs') publisher/Cargo.toml Cargo.toml
	cargo build -q -p publisher

## ---- editors ----
check: $(PUBLISH)
	$(PUBLISH) check

# Per alert: the languages it is translated into, outdated and missing.
translations: $(PUBLISH)
	$(PUBLISH) translations

publish: setup $(PUBLISH)
	$(PUBLISH) publish $(REMOTE_FLAG) $(PRUNE_FLAG) $(SYNTHETIC_FLAG)

new: $(PUBLISH)
	@test -n "$(SLUG)" || { echo "usage: make new SLUG=my-alert [TITLE='Access Alert: ...']"; exit 2; }
	$(PUBLISH) new $(SLUG) $(if $(TITLE),--title "$(TITLE)")

preview-link: $(PUBLISH) .dev.vars
	@test -n "$(SLUG)" || { echo "usage: make preview-link SLUG=my-alert [HOURS=72] [BASE=https://...]"; exit 2; }
	@$(PUBLISH) preview-link $(SLUG) $(if $(HOURS),--hours $(HOURS)) --base "$(or $(BASE),http://127.0.0.1:$(PORT))"

seed-synthetic: setup $(PUBLISH)
	@test -n "$(N)" || { echo "usage: make seed-synthetic N=10000"; exit 2; }
	$(PUBLISH) seed-synthetic $(N) --persist-to $(STATE)

## ---- subscribers (D1) ----
# Applies migrations/ to the local D1 database (REMOTE=1: Cloudflare's).
D1_WHERE := $(if $(filter 1,$(REMOTE)),--remote,--local --persist-to $(STATE))
migrate: setup
	$(WRANGLER) d1 migrations apply DB $(D1_WHERE)

# Counts per frequency, scope and topic, pending and dead mail: never an address.
subscribers: setup $(PUBLISH)
	@$(PUBLISH) subscribers $(REMOTE_FLAG)

# The running Worker's operator endpoints: `make dev`'s, or BASE's with
# OPERATOR_TOKEN set in the environment. $(1): method, $(2): path, $(3):
# the status that means done, $(4): curl's form arguments. Prints the answer.
define operator
	@token="$${OPERATOR_TOKEN:-$$(sed -n 's/^OPERATOR_TOKEN=//p' .dev.vars)}"; \
	  answer=$$(curl -sS -w '\n%{http_code}' -X $(1) -H "Authorization: Bearer $$token" $(4) \
	    "$(or $(BASE),http://127.0.0.1:$(PORT))$(2)") || exit 1; \
	  code=$${answer##*$$'\n'}; echo "$${answer%$$'\n'*}"; \
	  test "$$code" = $(3) || { echo "$@: the Worker answered $$code"; exit 1; }
endef

# An alert's email, as a subscriber would get it but marked as a test and
# with links that change no subscription, to one address, through the
# running Worker's transactional sender (its .eml path is in `make dev`'s log).
test-email: .dev.vars
	@test -n "$(SLUG)" -a -n "$(TO)" || { echo "usage: make test-email SLUG=my-alert TO=editor@example.org [MAIL_LANG=fr] [BASE=https://...]"; exit 2; }
	$(call operator,POST,/operator/test-email,202,--data-urlencode "slug=$(SLUG)" --data-urlencode "to=$(TO)" --data-urlencode "lang=$(MAIL_LANG)")

## ---- webhooks (README, "Push"), through the running Worker as test-email ----
# A new endpoint: prints its id and (FORMAT=json) its secret, this once.
webhook-add: .dev.vars
	@test -n "$(URL)" || { echo "usage: make webhook-add URL=https://... [FORMAT=json|slack] [TOPICS=c:Opinion,t:un] [BASE=https://...]"; exit 2; }
	$(call operator,POST,/operator/webhooks,201,--data-urlencode "url=$(URL)" --data-urlencode "format=$(or $(FORMAT),json)" --data-urlencode "topics=$(TOPICS)")

# Every endpoint (id, host, format, topics, health) and the dead deliveries.
webhooks: .dev.vars
	$(call operator,GET,/operator/webhooks,200,)

webhook-remove: .dev.vars
	@test -n "$(ID)" || { echo "usage: make webhook-remove ID=<endpoint id>"; exit 2; }
	$(call operator,POST,/operator/webhooks/$(ID)/remove,200,)

# A disabled endpoint (failing for days) is sent events again.
webhook-enable: .dev.vars
	@test -n "$(ID)" || { echo "usage: make webhook-enable ID=<endpoint id>"; exit 2; }
	$(call operator,POST,/operator/webhooks/$(ID)/enable,200,)

# A dead delivery (its id in `make webhooks`' "dead") back on the queue,
# with the same webhook-id and the whole retry schedule again.
webhook-resend: .dev.vars
	@test -n "$(ID)" || { echo "usage: make webhook-resend ID=<dead delivery id>"; exit 2; }
	$(call operator,POST,/operator/mail/$(ID)/resend,202,)

## ---- run ----
# Publishes content/ before the server first answers, then republishes on
# every change to content/ while wrangler dev serves, and fires the Cron
# Triggers each minute (wrangler dev runs none by itself).
dev: build $(PUBLISH)
	$(WRANGLER) d1 migrations apply DB --local --persist-to $(STATE)
	$(PUBLISH) publish --persist-to $(STATE)
	@SES_LOCAL_DIR=$(STATE)/ses node dev/ses-local.cjs --host 127.0.0.1 --port $(SES_PORT) & ses=$$!; \
	  $(PUBLISH) watch --persist-to $(STATE) --crons http://127.0.0.1:$(PORT) & watcher=$$!; \
	  trap 'kill $$watcher $$ses 2>/dev/null' EXIT INT TERM; \
	  $(WRANGLER) dev --ip 127.0.0.1 --port $(PORT) --persist-to $(STATE) --test-scheduled --show-interactive-dev-session=false

## ---- test ----
# The lint gate, first in `make test` (so in CI): unformatted code, a
# clippy warning (native, and the wasm-only edge layer), or a rustdoc
# warning (a broken intra-doc link, a stray HTML tag), private items
# included, fails the run.
LINT_DOC := RUSTDOCFLAGS="-D warnings -D rustdoc::broken_intra_doc_links -D rustdoc::private_intra_doc_links" cargo doc -q --no-deps --document-private-items
lint: .stamps/rust-target
	cargo fmt --all --check
	cargo clippy -q --workspace --all-targets --all-features -- -D warnings
	cargo clippy -q --target wasm32-unknown-unknown -p access-alerts --lib --all-features -- -D warnings
	$(LINT_DOC) --workspace
	$(LINT_DOC) --target wasm32-unknown-unknown -p access-alerts --lib --all-features
	@echo "lint: rustfmt, clippy and rustdoc clean"

test: lint build $(PUBLISH) .stamps/chromium
	@for v in $$(cargo tree --target wasm32-unknown-unknown -e normal --prefix none | sed -n 's/^getrandom v\([0-9.]*\).*/\1/p' | sort -u); do \
	  cargo tree --target wasm32-unknown-unknown -e normal,features -i getrandom@$$v | grep -q 'feature "wasm_js"' \
	    && echo "getrandom $$v in the wasm build: wasm_js backend on" \
	    || { echo "getrandom $$v in the wasm build lacks its wasm_js feature"; exit 1; }; \
	done
	$(WRANGLER) deploy --dry-run --outdir .stamps/dry-run > /dev/null
	$(MAKE) --no-print-directory size
	@# The test and bench routes' switches, compiled only with that feature.
	cargo nextest run -p access-alerts --lib --features diagnostics -E 'test(switched_off)'
	cargo nextest run --workspace --no-fail-fast

## ---- benchmarks (not part of make test: about 50 minutes the first time, 30 after) ----
.stamps/wrk:
	@mkdir -p .stamps
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk; }
	@touch $@

.stamps/twiggy:
	@mkdir -p .stamps
	@command -v twiggy >/dev/null || cargo install twiggy --version 0.8.0 --locked
	@touch $@

# Prints the tables and rewrites BENCHMARKS.md. Stores are seeded once and
# kept under .bench/ (the 100,000-alert one on /dev/shm when it has room).
bench: build-bench build-bench-base $(PUBLISH) .stamps/wrk .stamps/twiggy
	BENCH_BASE=$(BENCH_BASE) node bench/run.mjs

# The commit the cold paths are measured against (bench/cold-ab.mjs): the one
# before issue 23 (listings from reads; before it, 4a78fc7, the one before
# the caches). Checked out once in a git worktree under .bench/ and built
# with that commit's own Makefile recipe and publisher.
BENCH_BASE ?= 6688f28
BASE_DIR := .bench/base-$(BENCH_BASE)
build-bench-base: setup
	@git cat-file -e $(BENCH_BASE)^{commit} 2>/dev/null || { echo "make bench compares against commit $(BENCH_BASE), which this clone lacks: git fetch --unshallow, or BENCH_BASE=<commit>"; exit 1; }
	@test -d $(BASE_DIR) || { git worktree prune && git worktree add --detach $(BASE_DIR) $(BENCH_BASE); }
	ln -sfn $(CURDIR)/node_modules $(BASE_DIR)/node_modules
	$(MAKE) --no-print-directory -C $(BASE_DIR) -o setup build-bench
	cd $(BASE_DIR) && cargo build -q -p publisher

# Where one route's CPU goes inside the isolate (V8's sampling profiler through
# the inspector), on a release build that keeps function names (no wasm-opt).
ROUTE ?= /alerts/bench-10k-alert
profile: setup $(PUBLISH) .stamps/wrk
	worker-build --release --no-opt -d build-profile . --features diagnostics
	$(call entry,build-profile)
	node bench/profile.mjs $(ROUTE) build-profile

## ---- size budget (deterministic; checked by make test) ----
# Also checks that the deployed wasm carries no diagnostics: no test or bench
# route, no bench alert, no KV operation header.
size: build-release
	@for m in "/__bench/" "/__test/" "X-KV-Ops" "test panic route" "an alert in the shape the series uses"; do \
	  if grep -qaF "$$m" build-release/index_bg.wasm build-release/*.js; then echo "the deployed build carries a diagnostic: $$m"; exit 1; fi; \
	done; echo "deployed build: no test or bench routes, no bench alert"
	@out=$$($(WRANGLER) deploy --dry-run --outdir .stamps/size build-release/entry.mjs 2>&1); \
	  line=$$(echo "$$out" | grep -o 'Total Upload: .*'); \
	  raw=$$(echo "$$line" | sed -E 's/Total Upload: ([0-9.]+) KiB.*/\1/'); \
	  gz=$$(echo "$$line" | sed -E 's/.*gzip: ([0-9.]+) KiB.*/\1/'); \
	  test -n "$$gz" || { echo "$$out"; exit 1; }; \
	  echo "wasm: $$(stat -c %s build-release/index_bg.wasm) bytes raw, $$(gzip -9c build-release/index_bg.wasm | wc -c) bytes gzip"; \
	  echo "bundle: raw $$raw KiB, gzip $$gz KiB"; \
	  awk -v g=$$gz -v b=$(SIZE_BUDGET_KIB) 'BEGIN { if (g > b) { printf "over the %s KiB gzip budget\n", b; exit 1 } }'

## ---- deploy (see README: create the namespace, queues, secrets first) ----
# check-deploy refuses a missing setting, and /subscribe without Turnstile
# unless wrangler.toml [vars] says SUBSCRIBE_WITHOUT_TURNSTILE = "1".
deploy: build-release $(PUBLISH)
	$(PUBLISH) check-deploy
	$(WRANGLER) d1 migrations apply DB --remote
	$(WRANGLER) deploy build-release/entry.mjs

clean:
	rm -rf build build-release build-bench build-profile .stamps .publish .bench target
