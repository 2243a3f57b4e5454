# Baton: the two commands that matter are `make run` and `make test`.
# Both set up a fresh Debian 12 or Ubuntu 22.04+ machine first.

SHELL := /bin/bash
CACHE ?= $(HOME)/.cache/baton
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends
# Build tools; the Windows and macOS type-check; the Windows build run under Wine.
APT_BUILD := build-essential pkg-config ca-certificates curl jq
APT_XCHECK := rustc-web cargo-web rust-web-src rust-web-clippy llvm-22 clang-22
APT_WINE := gcc-mingw-w64-x86-64 wine wine64

.PHONY: run test check-fast setup setup-rust setup-xcheck setup-wine xcheck wine-test linux-migrate-test bench fmt lint unit

run: setup-rust
	cargo run --release -p baton-cli --bin baton -- scan

test: setup-rust setup-xcheck setup-wine lint unit xcheck wine-test linux-migrate-test
	@echo "make test: all green"

# For your own iteration: everything but the cross-target check and Wine.
check-fast: lint unit

setup: setup-rust setup-xcheck setup-wine

setup-rust:
	@command -v cargo >/dev/null || { $(SUDO) apt-get update -qq && $(APT) cargo rustc; }
	@command -v jq >/dev/null && command -v cc >/dev/null || { $(SUDO) apt-get update -qq && $(APT) $(APT_BUILD); }

setup-xcheck:
	@dpkg -s $(APT_XCHECK) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(APT) $(APT_XCHECK); }

setup-wine:
	@dpkg -s $(APT_WINE) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(APT) $(APT_WINE); }

fmt:
	cargo fmt --all

lint:
	cargo fmt --all -- --check
	cargo clippy --locked --workspace --all-targets -- -D warnings

unit:
	cargo test --locked --workspace

xcheck:
	BATON_CACHE=$(CACHE) scripts/xcheck.sh

wine-test:
	BATON_CACHE=$(CACHE) scripts/wine-test.sh

# The real Linux path: installs ClamAV on this machine through apt-get.
linux-migrate-test:
	scripts/linux-migrate-test.sh

bench:
	cargo bench --locked -p baton-core --bench detect
	scripts/bench-cli.sh
