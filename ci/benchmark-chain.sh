#!/usr/bin/env bash
# Rerunnable benchmark: a chain of N migrations must cost O(N). Rehearses generated golang-migrate histories of
# SMALL and LARGE steps (defaults 60 and 240), alternating in one session, and prints the ratio of the medians
# next to the ratio of the sizes. A linear runner gives about LARGE/SMALL (4x); one that replays earlier
# migrations per step would give its square (16x).
# Usage: bash ci/benchmark-chain.sh [ROUNDS] [SMALL] [LARGE]     (defaults: 3 rounds, 60, 240)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-3}"
small="${2:-60}"
large="${3:-240}"
swift build -c release --product rehearse >/dev/null
rehearse="$(swift build -c release --show-bin-path)/rehearse"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 ci/generate-history.py --layout golang-migrate --count "$small" --out "$work/small"
python3 ci/generate-history.py --layout golang-migrate --count "$large" --out "$work/large"

run() {
    local start end status=0
    start=$(date +%s.%N)
    "$rehearse" verify "$1" --jobs 1 >"$work/out.txt" 2>&1 || status=$?
    end=$(date +%s.%N)
    if [ "$status" -ne 0 ]; then
        echo "rehearse verify $1 exited $status:" >&2; tail -20 "$work/out.txt" >&2; exit 1
    fi
    echo "$end - $start" | bc
}

smalls=(); larges=()
for round in $(seq "$rounds"); do
    smalls+=("$(run "$work/small")")
    larges+=("$(run "$work/large")")
    printf 'round %d: %d steps %.2fs, %d steps %.2fs\n' "$round" "$small" "${smalls[-1]}" "$large" "${larges[-1]}"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
s=$(median "${smalls[@]}"); l=$(median "${larges[@]}")
printf 'median: %d steps %.2fs, %d steps %.2fs; %d steps cost %.2fx %d steps (sizes differ %.2fx)\n' \
    "$small" "$s" "$large" "$l" "$large" "$(echo "$l / $s" | bc -l)" "$small" "$(echo "$large / $small" | bc -l)"
