#!/usr/bin/env bash
# Rerunnable benchmark: how much `--jobs N` speeds up a rehearsal of the e-commerce sample on PostgreSQL.
#
# These machines are noisy, so the runs alternate (jobs 1, jobs N, jobs 1, …) in one session and the result is
# reported as a ratio of medians measured together, never as absolute seconds to compare across machines.
# Usage: bash ci/benchmark.sh [ROUNDS] [JOBS]     (defaults: 5 rounds, jobs = number of cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-5}"
jobs="${2:-$(nproc)}"
swift build -c release --product rehearse >/dev/null
rehearse="$(swift build -c release --show-bin-path)/rehearse"

run() {
    local start end
    start=$(date +%s.%N)
    "$rehearse" verify sample-migrations --project e-commerce --database postgresql --jobs "$1" >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

serial=(); parallel=()
for round in $(seq "$rounds"); do
    serial+=("$(run 1)")
    parallel+=("$(run "$jobs")")
    printf 'round %d: jobs 1 %.2fs, jobs %d %.2fs\n' "$round" "${serial[-1]}" "$jobs" "${parallel[-1]}"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
s=$(median "${serial[@]}"); p=$(median "${parallel[@]}")
printf 'median: jobs 1 %.2fs, jobs %d %.2fs; jobs %d takes %.2f of the serial time (%.2fx faster)\n' \
    "$s" "$jobs" "$p" "$jobs" "$(echo "$p / $s" | bc -l)" "$(echo "$s / $p" | bc -l)"
