#!/usr/bin/env bash
# Runs the built-in physics scenario: scripts/run.sh --workers 2 --entities 100000 --frames 100
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run --project Cli -c Release -- run "$@"
