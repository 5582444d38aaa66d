#!/usr/bin/env bash
# benches/engine.sh: `detc run` throughput over the uncompressed OTRF JSON lines (the 70 files of
# ../shared/events/otrf, decompressed: 275.9 MB, 137,813 events), release build, measured in ONE
# run so that the rows compare under the same load:
#   - parse:  read and normalize only (a content tree with no detection: the same pipeline,
#             threads and pieces as a real run, nothing matched);
#   - one:    one corpus detection (Detect Renamed 7-Zip, tstats on Endpoint.Processes);
#   - story:  our story, `--story "Collection and Staging"` over this repository's content;
#   - all:    every compiled corpus detection (`--content ../shared/corpus/security_content`).
# Each is run once to warm the page cache, then RUNS times (default 5); the script prints every
# wall time, the median, events/s and MB/s at the median, and the peak RSS of the slowest
# figure's kind (`/usr/bin/time -v`, every run). The ratio all/one is how the cost grows with the
# number of detections. Environment: EVENTS, CORPUS, WORK, RUNS, THREADS, DETC (a built binary,
# instead of building), ONLY (space-separated subset of: parse one story all).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
EVENTS=${EVENTS:-$( [ -d ../shared/events ] && echo ../shared/events || echo ../../shared/events )}
CORPUS=${CORPUS:-$EVENTS/../corpus/security_content}
WORK=${WORK:-/tmp/detc-engine-bench}
RUNS=${RUNS:-5}
THREADS=${THREADS:-2}
ONLY=${ONLY:-parse one story all}

mkdir -p "$WORK/otrf"
find "$EVENTS/otrf" -name '*.json.gz' | sort | while read -r file; do
    out="$WORK/otrf/$(echo "${file#"$EVENTS"/otrf/}" | tr / _)"
    out=${out%.gz}
    [ -s "$out" ] || gzip -dc "$file" >"$out"
done
# A content root with no detection: `detc run` then reads and normalizes, and matches nothing.
mkdir -p "$WORK/empty/macros"
printf 'definition: "index=*"\ndescription: makes this folder a content root\nname: detc_bench_empty\n' \
    >"$WORK/empty/macros/detc_bench_empty.yml"

if [ -z "${DETC:-}" ]; then
    cargo build --release --bin detc >&2
    DETC=${CARGO_TARGET_DIR:-target}/release/detc
fi
bytes=$(cat "$WORK"/otrf/* | wc -c)
events=$(cat "$WORK"/otrf/* | grep -c .)

declare -A ARGS=(
    [parse]="--content $WORK/empty"
    [one]="--content $CORPUS --detection detect_renamed_7_zip"
    [story]="--content . --story Collection_and_Staging"
    [all]="--content $CORPUS"
)

echo "commit $(git rev-parse --short HEAD)$(git diff --quiet || echo '+dirty'), $(nproc) cores, $THREADS threads, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "input: $WORK/otrf, $bytes bytes, $events events"
declare -A MEDIAN
for name in $ONLY; do
    read -r -a args <<<"${ARGS[$name]}"
    # The story's name has spaces: it is written with underscores above.
    args=("${args[@]/Collection_and_Staging/Collection and Staging}")
    command=("$DETC" run "${args[@]}" --events "$WORK/otrf" --threads "$THREADS" --now latest --format jsonl --output /dev/null)
    "${command[@]}" 2>/dev/null || true
    walls=()
    rss=0
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "${command[@]}" 2>"$WORK/stderr.txt" || true
        read -r wall kb <"$WORK/time.txt"
        walls+=("$wall")
        [ "$kb" -gt "$rss" ] && rss=$kb
    done
    median=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    MEDIAN[$name]=$median
    rows=$(grep -E '^[0-9,]+ rows from' "$WORK/stderr.txt" || true)
    echo "== $name: detc run ${args[*]} --threads $THREADS"
    echo "   walls ${walls[*]} s; median $median s; $(awk -v e="$events" -v b="$bytes" -v m="$median" 'BEGIN {printf "%.0f events/s, %.1f MB/s", e/m, b/m/1e6}'); peak RSS $((rss / 1024)) MB; $rows"
done
if [ -n "${MEDIAN[one]:-}" ] && [ -n "${MEDIAN[all]:-}" ]; then
    awk -v a="${MEDIAN[all]}" -v o="${MEDIAN[one]}" -v p="${MEDIAN[parse]:-0}" 'BEGIN {
        printf "all/one wall: %.2f", a/o
        if (p > 0 && o > p) printf "; above parse: all %.2f s, one %.2f s, ratio %.1f", a-p, o-p, (a-p)/(o-p)
        printf "\n" }'
fi
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
