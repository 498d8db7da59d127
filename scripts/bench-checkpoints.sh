#!/usr/bin/env bash
# The checkpoint figures of issue 14, as "name: ratio" lines:
#   - checkpoint write and load of 1M and 4M particles against a plain sequential file write/read of the same bytes
#     (BenchmarkDotNet, CheckpointWriteBenchmarks and CheckpointLoadBenchmarks, through scripts/bench.sh);
#   - the frame-time p99 of a simhost run with a checkpoint every 60 frames against the same run without.
#
#   scripts/bench-checkpoints.sh                     # both
#   ENTITIES=4000000 WORKERS=1 scripts/bench-checkpoints.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
entities="${ENTITIES:-1000000}"
workers="${WORKERS:-2}"
frames="${FRAMES:-600}"

"$root/scripts/bench.sh" '*CheckpointWriteBenchmarks*' '*CheckpointLoadBenchmarks*'

dotnet build -c Release "$root/Cli" -v quiet -nologo >/dev/null
simhost="$root/Cli/bin/Release/net10.0/simhost.dll"
checkpoints="$(mktemp -d)"
trap 'rm -rf "$checkpoints"' EXIT

p99() {
  # The summary line reads: frame time:      p50 0.242 ms, p90 4.545 ms, p99 16.721 ms, max ...
  dotnet "$simhost" run --workers "$workers" --entities "$entities" --frames "$frames" --log-level warning "$@" 2>/dev/null |
    sed -n 's/^frame time:.* p99 \([0-9.]*\) ms.*/\1/p'
}

without="$(p99)"
with="$(p99 --checkpoint-every 60 --checkpoint-dir "$checkpoints")"
echo
awk -v a="$with" -v b="$without" -v n="$entities" -v w="$workers" \
  'BEGIN { printf "CheckpointFrameTime.p99[Count=%d, Workers=%d, Every=60]: %.2f  (p99 %.3f ms with, %.3f ms without)\n", n, w, a / b, a, b }'
