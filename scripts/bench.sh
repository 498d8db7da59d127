#!/usr/bin/env bash
# Runs the short BenchmarkDotNet suite (in-process, few short iterations: about three minutes on two cores) and prints
# one line per figure as "name: ratio", the ratio being to the baseline of the same class and entity count, followed
# by nanoseconds per entity, or microseconds per operation for classes without an entity count (the round trip).
#
#   scripts/bench.sh                    # the whole short suite
#   scripts/bench.sh '*Integrate*'      # BenchmarkDotNet --filter patterns
#   BENCH_FULL=1 scripts/bench.sh       # the default (separate-process, full-length) job instead of the short one
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$root/bench/SimHost.Benchmarks"
artifacts="$root/BenchmarkDotNet.Artifacts"

filters=("$@")
if [[ ${#filters[@]} -eq 0 ]]; then
  filters=('*CreateEntitiesBenchmarks*' '*IntegrateBenchmarks*' '*ParticleStepBenchmarks*'
    '*PhysicsFrameBenchmarks*' '*RoundTripBenchmarks*' '*SnapshotCommitBenchmarks*')
fi

job=(--short)
if [[ "${BENCH_FULL:-0}" == "1" ]]; then
  job=()
fi

# Old reports would be mistaken for this run's.
rm -rf "$artifacts/results"

# Release is required: BenchmarkDotNet refuses to measure non-optimised code.
dotnet run -c Release --project "$project" -- \
  "${job[@]}" --artifacts "$artifacts" --filter "${filters[@]}"

shopt -s nullglob
reports=("$artifacts"/results/*-report.csv)
if [[ ${#reports[@]} -eq 0 ]]; then
  echo "bench.sh: no CSV report under $artifacts/results" >&2
  exit 1
fi

echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for report in "${reports[@]}"; do
  # Report names look like SimHost.Benchmarks.Ecs.IntegrateBenchmarks-report.csv.
  class="$(basename "$report" -report.csv)"
  class="${class##*.}"
  # Columns are found by header name, so the order BenchmarkDotNet picks does not matter.
  awk -F';' -v class="$class" '
    function unquote(s) { gsub(/^"|"$/, "", s); return s }
    NR == 1 {
      for (i = 1; i <= NF; i++) {
        h = unquote($i)
        if (h == "Method") method = i
        else if (h == "Count") count = i
        else if (h == "Ratio") ratio = i
        else if (h == "ns/entity") perEntity = i
        else if (h == "Mean [ns]") mean = i
      }
      next
    }
    {
      name = class "." unquote($method)
      if (count) name = name "[Count=" unquote($count) "]"
      line = name ": " (ratio ? unquote($ratio) : "?")
      if (perEntity && unquote($perEntity) != "-") line = line "  (" unquote($perEntity) " ns/entity)"
      else if (mean) {
        # The mean is printed with thousands separators; without them it is a number again.
        m = unquote($mean); gsub(/,/, "", m)
        line = line "  (" sprintf("%.1f", m / 1000) " us/op)"
      }
      print line
    }
  ' "$report"
done
