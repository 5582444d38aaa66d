#!/usr/bin/env bash
# benches/events.sh: parse-only throughput of the event readers (benches/events.rs), release
# build, 2 threads by default, over three inputs made from ../shared/events:
#   - otrf: the 70 OTRF JSON-lines files, decompressed (275.9 MB);
#   - xml:  xml/*.xml.gz and the evtx/*.xml.gz exports, decompressed (6.4 MB);
#   - evtx: the 244 EVTX files as they are (19.1 MB, linked from $WORK/evtx);
#   - with LARGE=1 also otrf-large: ../shared/events-large/otrf decompressed (1.47 GB).
# Inputs are written to $WORK (default /tmp/detc-events-bench), never to the repository. Each
# input is read once to warm the page cache, then RUNS times (default 3); the last run is under
# /usr/bin/time -v for the peak RSS. Environment: EVENTS, EVENTS_LARGE, WORK, RUNS, THREADS.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
EVENTS=${EVENTS:-$( [ -d ../shared/events ] && echo ../shared/events || echo ../../shared/events )}
EVENTS_LARGE=${EVENTS_LARGE:-$EVENTS/../events-large}
WORK=${WORK:-/tmp/detc-events-bench}
RUNS=${RUNS:-3}
THREADS=${THREADS:-2}

# unpack SRC_DIR PATTERN DEST_DIR: every matching .gz under SRC_DIR, decompressed, flat.
unpack() {
    mkdir -p "$3"
    find "$1" -name "$2" | sort | while read -r file; do
        local out="$3/$(echo "${file#$1/}" | tr / _)"
        out=${out%.gz}
        [ -s "$out" ] || gzip -dc "$file" >"$out"
    done
}
unpack "$EVENTS/otrf" '*.json.gz' "$WORK/otrf"
unpack "$EVENTS/xml" '*.xml.gz' "$WORK/xml"
unpack "$EVENTS/evtx" '*.xml.gz' "$WORK/xml"
# The EVTX files without their XML exports beside them: links in one folder.
mkdir -p "$WORK/evtx"
find "$EVENTS/evtx" -name '*.evtx' | sort | while read -r file; do
    ln -sf "$(realpath "$file")" "$WORK/evtx/$(echo "${file#$EVENTS/evtx/}" | tr / _)"
done
inputs=("otrf:$WORK/otrf" "xml:$WORK/xml" "evtx:$WORK/evtx")
if [ "${LARGE:-0}" = 1 ]; then
    unpack "$EVENTS_LARGE/otrf" '*.json.gz' "$WORK/otrf-large"
    inputs+=("otrf-large:$WORK/otrf-large")
fi

bench=$(cargo bench --bench events --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "events":
        print(m["executable"])')
echo "commit $(git rev-parse --short HEAD)$(git diff --quiet || echo '+dirty'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for input in "${inputs[@]}"; do
    name=${input%%:*}
    path=${input#*:}
    echo "== $name ($path)"
    "$bench" --threads "$THREADS" "$path" >/dev/null
    for _ in $(seq "$RUNS"); do
        "$bench" --threads "$THREADS" "$path" | grep "^threads"
    done
    /usr/bin/time -v "$bench" --threads "$THREADS" "$path" 2>"$WORK/time.txt" | grep "^threads"
    grep -E 'Maximum resident|Elapsed' "$WORK/time.txt"
done
