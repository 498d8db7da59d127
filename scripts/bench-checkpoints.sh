#!/usr/bin/env bash
# The checkpoint figures of issue 14, as "name: ratio" lines:
#   - checkpoint write and load of 1M and 4M particles against a plain sequential file write/read of the same bytes
#     (BenchmarkDotNet, CheckpointWriteBenchmarks and CheckpointLoadBenchmarks, through scripts/bench.sh);
#   - the frame-time p99 of a simhost run with a checkpoint every 60 frames against the same run without: REPEAT
#     pairs of runs, the two runs of a pair back to back (which goes first alternates from pair to pair, so a machine
#     slowing down or warming up favours neither), and the median of the pairs' ratios. One run's p99 is its
#     FRAMES/100-th slowest frame, so a short run's figure is a handful of frames: 600 frames gave 0.97-1.94 for the
#     same build; 3000 frames and three pairs keep it to the code, not to which second the machine was busy.
#
#   scripts/bench-checkpoints.sh                     # both
#   P99_ONLY=1 scripts/bench-checkpoints.sh          # the frame-time figure alone
#   ENTITIES=4000000 WORKERS=1 FRAMES=6000 REPEAT=5 EVERY=120 scripts/bench-checkpoints.sh
#   P99_ONLY=1 DIR=/dev/shm scripts/bench-checkpoints.sh   # checkpoints on tmpfs: what they cost without the disk
#
# Each run with checkpoints also prints how many it wrote and skipped: one due while the previous is still being
# written is skipped, and at 1M particles a frame takes about 2 ms, so every 60 frames asks this VM's disk for
# 48 MB every ~120 ms, more than it writes (about half are skipped on /tmp; none on /dev/shm).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
entities="${ENTITIES:-1000000}"
workers="${WORKERS:-2}"
frames="${FRAMES:-3000}"
repeat="${REPEAT:-3}"
every="${EVERY:-60}"

if [[ "${P99_ONLY:-0}" != "1" ]]; then
  "$root/scripts/bench.sh" '*CheckpointWriteBenchmarks*' '*CheckpointLoadBenchmarks*'
fi

dotnet build -c Release "$root/Cli" -v quiet -nologo >/dev/null
simhost="$root/Cli/bin/Release/net10.0/simhost.dll"
checkpoints="$(mktemp -d "${DIR:-${TMPDIR:-/tmp}}/simhost-bench-checkpoints.XXXXXX")"
trap 'rm -rf "$checkpoints"' EXIT

summary="$checkpoints/summary"
p99() {
  # The summary line reads: frame time:      p50 0.242 ms, p90 4.545 ms, p99 16.721 ms, max ...
  dotnet "$simhost" run --workers "$workers" --entities "$entities" --frames "$frames" --log-level warning "$@" 2>"$summary.err" >"$summary"
  sed -n 's/^frame time:.* p99 \([0-9.]*\) ms.*/\1/p' "$summary"
}

# How many checkpoints the last run wrote and skipped: a checkpoint due while the previous is still being written is
# skipped, so a disk slower than the checkpoints' bytes per second halves what the "with" run writes.
written() { sed -n 's/^checkpoints: *\([0-9]* written, [0-9]* skipped\).*/\1/p' "$summary"; }

ratios=()
echo
for ((pair = 1; pair <= repeat; pair++)); do
  rm -rf "${checkpoints:?}/run"
  if ((pair % 2 == 1)); then
    without="$(p99)"
    with="$(p99 --checkpoint-every "$every" --checkpoint-dir "$checkpoints/run")"
    counts="$(written)"
  else
    with="$(p99 --checkpoint-every "$every" --checkpoint-dir "$checkpoints/run")"
    counts="$(written)"
    without="$(p99)"
  fi
  if [[ -z "$with" || -z "$without" ]]; then
    echo "bench-checkpoints.sh: a simhost run printed no frame time (it failed); the last run's errors:" >&2
    tail -5 "$summary.err" >&2
    exit 1
  fi
  ratio="$(awk -v a="$with" -v b="$without" 'BEGIN { printf "%.3f", a / b }')"
  ratios+=("$ratio")
  echo "pair $pair: p99 $with ms with ($counts), $without ms without: $ratio"
done

median="$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "CheckpointFrameTime.p99[Count=$entities, Workers=$workers, Every=$every, Frames=$frames]: $median  (median of $repeat pairs: ${ratios[*]})"
