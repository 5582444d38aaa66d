#!/usr/bin/env bash
# benches/run.sh: `detc validate` against `contentctl validate` (4.4.1) on the security_content
# corpus (and `detc compile` alone), in the same run on the same machine. Builds detc in release mode, runs each tool once to
# warm the file cache, then RUNS times (default 5), and prints every wall time, the medians,
# the ratio and each tool's peak RSS as a markdown table for BENCHMARKS.md.
#
# contentctl writes a dist/ folder where it runs, so it runs in a copy of the corpus in a temp dir.
#
# Environment: CORPUS (default ../shared/corpus/security_content), CONTENTCTL_VENV (default
# /work/contentctl-venv; created with contentctl==4.4.1 and pydantic==2.9.2 if it does not
# work), RUNS (default 5), SKIP_DETC=1 to measure contentctl alone.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CORPUS=$(cd "${CORPUS:-../shared/corpus/security_content}" && pwd)
CONTENTCTL_VENV=${CONTENTCTL_VENV:-/work/contentctl-venv}
RUNS=${RUNS:-5}

if ! "$CONTENTCTL_VENV/bin/contentctl" --help >/dev/null 2>&1; then
    echo "+ creating $CONTENTCTL_VENV with contentctl 4.4.1"
    python3 -m venv "$CONTENTCTL_VENV"
    # Without the pydantic pin, contentctl 4.4.1 crashes at start-up.
    "$CONTENTCTL_VENV/bin/pip" install --quiet contentctl==4.4.1 pydantic==2.9.2
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -r "$CORPUS" "$WORK/corpus"

# measure NAME DIR COMMAND...: one warm-up run, then RUNS timed runs; prints each time and
# leaves "median peak_rss_mb exit_status" in $WORK/NAME.result.
measure() {
    local name=$1 dir=$2
    shift 2
    local times=() cpus=() rss=0 status=0
    echo "+ (cd $dir && $*)"
    (cd "$dir" && "$@") >"$WORK/$name.out" 2>&1 || status=$?
    for _ in $(seq "$RUNS"); do
        local start end kb=0 cpu=nan
        start=$(date +%s.%N)
        if [ -x /usr/bin/time ]; then
            (cd "$dir" && /usr/bin/time -f '%M %U %S' -o "$WORK/$name.rss" "$@") >/dev/null 2>&1 || true
            read -r kb user sys < <(tail -n 1 "$WORK/$name.rss")
            cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
        else
            (cd "$dir" && "$@") >/dev/null 2>&1 || true
        fi
        end=$(date +%s.%N)
        times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')")
        cpus+=("$cpu")
        if [ "$kb" -gt "$rss" ]; then rss=$kb; fi
    done
    local median cpu_median
    median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
    cpu_median=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
    printf '  %s wall (s): %s\n' "$name" "${times[*]}"
    printf '  %s cpu user+sys (s): %s\n' "$name" "${cpus[*]}"
    printf '  %s median wall %.3f s, median cpu %s s, peak RSS %d MB, exit %d\n' \
        "$name" "$median" "$cpu_median" $((rss / 1024)) "$status"
    echo "$median $cpu_median $((rss / 1024)) $status" >"$WORK/$name.result"
}

if [ "${SKIP_DETC:-0}" != 1 ]; then
    echo "+ cargo build --release"
    cargo build --release --quiet
    DETC=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/detc
fi
# Other work on the machine skews wall times (CPU times much less); say how busy it was.
LOAD=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo unknown)
if [ "${SKIP_DETC:-0}" != 1 ]; then
    measure detc "$WORK/corpus" "$DETC" validate --content "$CORPUS"
    echo "  detc says: $(grep '^validated ' "$WORK/detc.out" | tail -n 1)"
    # Not compared with contentctl (it has no equivalent): expand + parse every search.
    measure detc_compile "$WORK/corpus" "$DETC" compile --content "$CORPUS"
    echo "  detc compile says: $(grep '^compiled ' "$WORK/detc_compile.out" | tail -n 1)"
fi
measure contentctl "$WORK/corpus" "$CONTENTCTL_VENV/bin/contentctl" validate
echo "  contentctl says: $(grep -v '^[[:space:]]*$' "$WORK/contentctl.out" | tail -n 1)"

echo
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
echo
echo "load average before the runs: $LOAD"
echo
echo "| tool | command | median wall of $RUNS (s) | median CPU user+sys (s) | peak RSS (MB) | exit |"
echo "|---|---|---|---|---|---|"
if [ -f "$WORK/detc.result" ]; then
    read -r d_med d_cpu d_rss d_exit <"$WORK/detc.result"
    echo "| detc | \`detc validate --content $CORPUS\` | $d_med | $d_cpu | $d_rss | $d_exit |"
fi
if [ -f "$WORK/detc_compile.result" ]; then
    read -r k_med k_cpu k_rss k_exit <"$WORK/detc_compile.result"
    echo "| detc | \`detc compile --content $CORPUS\` | $k_med | $k_cpu | $k_rss | $k_exit |"
fi
read -r c_med c_cpu c_rss c_exit <"$WORK/contentctl.result"
echo "| contentctl 4.4.1 | \`contentctl validate\` (in a copy of the corpus) | $c_med | $c_cpu | $c_rss | $c_exit |"
if [ -f "$WORK/detc.result" ]; then
    echo
    awk -v c="$c_med" -v d="$d_med" -v cc="$c_cpu" -v dc="$d_cpu" \
        'BEGIN { printf "detc is %.1fx faster than contentctl (wall), %.1fx less CPU\n", c / d, cc / dc }'
fi
