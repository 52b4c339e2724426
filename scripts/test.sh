#!/usr/bin/env bash
# The whole test suite: unit tests, integration tests against real servers, and the benchmarks' quick runs.
# Works on a fresh Debian 12 machine with a JDK 17 and Maven: it installs what else it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
mvn verify "$@"
