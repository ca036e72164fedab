#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The README's first command: set the machine up, show that it is ready ('kit doctor'), then 'kit demo': a new
# PMD (acme, with its NIC model) and a new mempool driver (acme_pool) scaffolded, built and tested, traffic
# forwarded through dpdk-testpmd with the new mempool as the mbuf pool, and a summary table.
# Usage: bash ci/demo.sh [DIR]   (default DIR: a directory under the kit's cache, ~/.cache/dpdk-kit/demo)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bash ci/setup.sh
.venv/bin/kit doctor
exec .venv/bin/kit demo "$@"
