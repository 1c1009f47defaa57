#!/usr/bin/env bash
# Before a release: build the sdist and the wheel, check them with twine, and
# list what the wheel holds. Needs `pip install build twine` in the venv.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
.venv/bin/python -m build --outdir "$out" 2>&1 | tee "$out.log" | tail -1
if grep -E "WARNING|SetuptoolsDeprecationWarning" "$out.log"; then
  echo "setuptools warned (above): fix pyproject.toml" >&2
  exit 1
fi
.venv/bin/twine check --strict "$out"/*
.venv/bin/python -m zipfile -l "$out"/portfolio_gen-*.whl
echo "built into $out"
