#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The README's test command: set the machine up (ci/setup.sh), then lint and run the whole suite.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bash ci/setup.sh
.venv/bin/ruff check kit tests tools
exec .venv/bin/python -m pytest "$@"
