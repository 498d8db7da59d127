#!/usr/bin/env bash
# Runs the benchmark suite and prints one line per figure as "name: ratio", the ratio being to the baseline of the
# same class and parameters, followed by nanoseconds per entity, or microseconds per operation for classes without an
# entity count (the round trip), then, where the class allocates, the bytes allocated per operation (per entity for
# the creation classes, whose operation is one entity) and the gen-2 collections per 1000 operations.
#
#   scripts/bench.sh                    # quick: the performance targets only, in under a minute once built
#   scripts/bench.sh '*Integrate*'      # the short in-process job over every parameter of the matching classes
#   BENCH_FULL=1 scripts/bench.sh       # the full suite: BenchmarkDotNet's default job, every class and parameter
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$root/bench/SimHost.Benchmarks"
artifacts="$root/BenchmarkDotNet.Artifacts"

filters=("$@")
if [[ "${BENCH_FULL:-0}" == "1" ]]; then
  job=()
  if [[ ${#filters[@]} -eq 0 ]]; then
    filters=('*')
  fi
elif [[ ${#filters[@]} -eq 0 ]]; then
  job=(--quick)
  filters=('*OffloadedFrameBenchmarks*' '*MailboxRoundTripBenchmarks*' '*GridForcesBenchmarks*' '*SnapshotCommitBenchmarks*'
    '*ParallelQueryBenchmarks*' '*IntegrateBenchmarks*' '*ReservedCreateBenchmarks*' '*InProcessFrameBenchmarks*'
    '*CopyScalingBenchmarks*')
else
  job=(--short)
fi

# Old reports would be mistaken for this run's.
rm -rf "$artifacts/results"

# Built first and apart, so the timing below is the measurement alone. Release is required: BenchmarkDotNet refuses
# to measure non-optimised code.
dotnet build -c Release "$project" -v quiet -nologo >/dev/null
started=$SECONDS
dotnet run -c Release --no-build --project "$project" -- \
  "${job[@]}" --artifacts "$artifacts" --filter "${filters[@]}"
elapsed=$((SECONDS - started))

shopt -s nullglob
reports=("$artifacts"/results/*-report.csv)
if [[ ${#reports[@]} -eq 0 ]]; then
  echo "bench.sh: no CSV report under $artifacts/results" >&2
  exit 1
fi

echo
echo "measured in ${elapsed} s; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
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
        header[i] = h
        if (h == "Method") method = i
        else if (h == "Count") count = i
        else if (h == "OffloadedJob" || h == "Storage" || h == "Workers" || h == "MailboxSpin") params[++nparams] = i
        else if (h == "Ratio") ratio = i
        else if (h == "ns/entity") perEntity = i
        else if (h == "Mean [ns]") mean = i
        else if (h == "Allocated [B]") allocated = i
        else if (h == "Gen2") gen2 = i
      }
      next
    }
    {
      name = class "." unquote($method)
      # Parameters as BenchmarkDotNet names them: [Count=1000000, Storage=Shared, Workers=1].
      inner = count ? "Count=" unquote($count) : ""
      for (k = 1; k <= nparams; k++) inner = inner (inner == "" ? "" : ", ") header[params[k]] "=" unquote($(params[k]))
      if (inner != "") name = name "[" inner "]"
      line = name ": " (ratio ? unquote($ratio) : "?")
      if (perEntity && unquote($perEntity) != "-") line = line "  (" unquote($perEntity) " ns/entity)"
      else if (mean) {
        # The mean is printed with thousands separators; without them it is a number again.
        m = unquote($mean); gsub(/,/, "", m)
        line = line "  (" sprintf("%.1f", m / 1000) " us/op)"
      }
      if (allocated && unquote($allocated) != "-" && unquote($allocated) != "") {
        a = unquote($allocated); gsub(/,/, "", a)
        line = line "  [allocated " a " B/op"
        if (gen2 && unquote($gen2) != "-" && unquote($gen2) != "") line = line ", gen2 " unquote($gen2) "/1k ops"
        line = line "]"
      }
      print line
    }
  ' "$report"
done
