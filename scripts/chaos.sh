#!/usr/bin/env bash
# Chaos check: run the physics scenario on 3 workers while killing random simhost-worker children of that simhost
# with SIGKILL, then run it in-process, and compare the checksums. Exit 0 on PASS, 1 on FAIL.
#
#   scripts/chaos.sh [FRAMES] [ENTITIES] [SEED]
#
# The kill pauses come from $RANDOM seeded with SEED, so a run's kill schedule is repeatable up to timing.
set -euo pipefail

frames="${1:-600}"
entities="${2:-100000}"
seed="${3:-7}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
bin="$repo/Cli/bin/Release/net10.0"
work="$(mktemp -d "${TMPDIR:-/tmp}/simhost-chaos.XXXXXX")"
simhost_pid=""

cleanup() {
    if [[ -n "$simhost_pid" ]] && kill -0 "$simhost_pid" 2>/dev/null; then
        kill -9 "$simhost_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "chaos: building Cli (Release)"
dotnet build "$repo/Cli" -c Release --nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

checksum_of() {
    sed -n 's/^checksum: *//p' "$1"
}

echo "chaos: $frames frames of $entities particles on 3 workers, killing workers at random"
# A generous restart intensity keeps every slot coming back, so the kills keep landing on real workers.
dotnet "$bin/simhost.dll" run --workers 3 --frames "$frames" --entities "$entities" --seed "$seed" \
    --max-restarts 100000 --run-dir "$work" >"$work/chaos.out" 2>"$work/chaos.err" &
simhost_pid=$!

RANDOM="$seed"
kills=0
while kill -0 "$simhost_pid" 2>/dev/null; do
    # A pause of 0.05 to 0.55 s between kills.
    sleep "0.$(( RANDOM % 5 ))$(( RANDOM % 10 ))"
    sleep 0.05
    mapfile -t workers < <(pgrep -P "$simhost_pid" -f simhost-worker || true)
    if (( ${#workers[@]} == 0 )); then
        continue
    fi

    victim="${workers[RANDOM % ${#workers[@]}]}"
    if kill -9 "$victim" 2>/dev/null; then
        kills=$(( kills + 1 ))
    fi
done

chaos_status=0
wait "$simhost_pid" || chaos_status=$?
simhost_pid=""
chaos_checksum="$(checksum_of "$work/chaos.out")"

echo "chaos: the same run in-process (--workers 0)"
reference_status=0
dotnet "$bin/simhost.dll" run --workers 0 --frames "$frames" --entities "$entities" --seed "$seed" \
    --run-dir "$work" >"$work/reference.out" 2>"$work/reference.err" || reference_status=$?
reference_checksum="$(checksum_of "$work/reference.out")"

leftover_workers="$(pgrep -f "simhost-worker --pipe $work" || true)"
leftover_files="$(find "$work" -mindepth 1 -maxdepth 1 -name 'simhost-*' | wc -l)"

echo "workers killed:      $kills"
echo "restarts reported:   $(sed -n 's/^worker restarts: *//p' "$work/chaos.out")"
echo "chaos checksum:      ${chaos_checksum:-<none>} (exit $chaos_status)"
echo "in-process checksum: ${reference_checksum:-<none>} (exit $reference_status)"
echo "left behind:         $(wc -w <<<"$leftover_workers") workers, $leftover_files run directories"

if [[ $chaos_status -eq 0 && $reference_status -eq 0 && -n "$chaos_checksum" && "$chaos_checksum" == "$reference_checksum" \
      && -z "$leftover_workers" && $leftover_files -eq 0 ]]; then
    echo "PASS"
else
    echo "FAIL"
    echo "--- chaos stderr (last 20 lines)"
    tail -n 20 "$work/chaos.err"
    exit 1
fi
