# Baton: the two commands that matter are `make run` and `make test`.
# Both set up a fresh Debian 12 or Ubuntu 22.04+ machine first.

SHELL := /bin/bash
CACHE ?= $(HOME)/.cache/baton
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends
# Build tools; the Windows and macOS type-check; the Windows build run under Wine.
APT_BUILD := build-essential pkg-config ca-certificates curl jq
APT_XCHECK := rustc-web cargo-web rust-web-src rust-web-clippy llvm-22 clang-22
# Windows for real: MinGW, Wine, the installer (nsis), and the lab's fixtures
# (MSIs by wixl, Authenticode signatures by osslsigncode, certificates by openssl).
APT_WINE := gcc-mingw-w64-x86-64 wine wine64 nsis wixl osslsigncode openssl python3 python3-yaml python3-venv
# The desktop app: its build; the real webview, a tray host (trayer), input (xdotool)
# and screenshots (python3-xlib) under Xvfb for its tests.
APT_APP := libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libssl-dev xvfb xauth dbus-x11 webkit2gtk-driver trayer xdotool python3-xlib
XVFB := xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session


.PHONY: bindings
.PHONY: run demo test check-fast setup setup-rust setup-xcheck setup-wine setup-app ui-build ui-test app-build e2e bundle deb-test xcheck wine-test linux-migrate-test bench fmt lint unit bundle-windows windows-install-test windows-lab-build windows-lab winget-manifest lint-workflows

# The app on this machine (the real system).
run: setup-rust setup-app ui-build
	cargo run --locked --release -p baton-app --features custom-protocol

# The app on a simulated machine: Kaspersky Internet Security to Bitdefender.
demo: setup-rust setup-app ui-build
	BATON_SIMULATE_PACE_MS=700 cargo run --locked -p baton-app --features custom-protocol -- --simulate scenarios/kis-to-bitdefender.json

test: setup-rust setup-xcheck setup-wine setup-app ui-build lint lint-workflows ui-test unit xcheck bundle-windows windows-install-test winget-manifest wine-test windows-lab linux-migrate-test e2e deb-test
	@echo "make test: all green"

# For your own iteration: everything but the cross-target check, Wine and the app's end-to-end tests.
check-fast: ui-build lint unit

setup: setup-rust setup-xcheck setup-wine setup-app

setup-app:
	@dpkg -s $(APT_APP) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(APT) $(APT_APP); }
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(APT) nodejs npm; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
	  || { echo "The UI build (Vite 8) needs Node.js 20.19 or later; this machine has $$(node --version). Install a newer Node.js (for example from deb.nodesource.com) and run make again."; exit 1; }
	@[ -d ui/node_modules ] && [ ui/node_modules/.package-lock.json -nt ui/package-lock.json ] || npm --prefix ui ci --no-audit --no-fund
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --version 2.1.0

ui-build:
	npm --prefix ui run build

# The UI's TypeScript types from the Rust types (ts-rs).
bindings:
	scripts/bindings.sh --write

ui-test:
	scripts/bindings.sh
	npm --prefix ui test
	cd ui && npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings

# The app with its UI inside the binary, as end-to-end tests need it.
app-build: ui-build
	cargo build --locked -p baton-app --features custom-protocol,test-hooks

e2e: app-build
	rm -rf target/e2e
	cd ui && $(XVFB) node e2e/run.mjs

bundle: setup-app
	ui/node_modules/.bin/tauri build --bundles deb

deb-test: bundle
	scripts/deb-test.sh

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

# The Windows installer a user double-clicks: target/windows/Baton_<version>_x64-setup.exe.
bundle-windows: setup-wine ui-build
	BATON_CACHE=$(CACHE) scripts/windows-bundle.sh

# The installer under Wine: install, scan, uninstall.
windows-install-test:
	BATON_CACHE=$(CACHE) scripts/windows-install-test.sh target/windows/Baton_$$(jq -r .version src-tauri/tauri.conf.json)_x64-setup.exe

# Baton's winget manifests for that installer, checked (winget/README.md).
winget-manifest:
	scripts/winget-manifest.sh

# The GitHub Actions workflows (hosted Linux, Windows and macOS CI; releases).
lint-workflows:
	BATON_CACHE=$(CACHE) scripts/lint-workflows.sh

# The release baton.exe's collector and engine under Wine (after bundle-windows).
wine-test:
	BATON_CACHE=$(CACHE) scripts/wine-test.sh target/windows/baton.exe

# The migration's Windows steps for real under Wine, with the lab build of baton.exe.
windows-lab-build:
	BATON_CACHE=$(CACHE) scripts/windows-build.sh lab

windows-lab: windows-lab-build
	BATON_CACHE=$(CACHE) scripts/windows-lab.sh target/windows-lab/baton.exe

# The real Linux path: installs ClamAV on this machine through apt-get.
linux-migrate-test:
	scripts/linux-migrate-test.sh

bench: bundle
	cargo bench --locked -p baton-core --bench detect
	scripts/bench-cli.sh
	cargo build --locked --release -p minimal-app --features custom-protocol
	cd ui && $(XVFB) node e2e/bench.mjs
