#!/usr/bin/env bash
# benches/compare-corpus.sh [BASE_REV]: shows that a refactor keeps detc's output on the corpus.
#
# Builds BASE_REV (default: the merge base of HEAD with main) in a temporary git worktree and
# the current tree (uncommitted changes included), runs `detc validate --format json` and
# `detc compile --format json` with each on the same corpus from the same directory, and prints
# the differences. Exit status: 0 when both outputs are identical, 1 when they differ, 2 on a
# usage or build error.
#
# Environment: CORPUS (default ../shared/corpus/security_content), CARGO_TARGET_DIR (the base
# builds in $CARGO_TARGET_DIR/compare-base, so the current tree's build is not disturbed),
# PROFILE (default dev; `release` measures nothing here and builds far slower).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$(pwd)
BASE_REV=${1:-$(git merge-base HEAD main)}
BASE_COMMIT=$(git rev-parse --verify --quiet "$BASE_REV^{commit}") || {
    echo "compare-corpus: unknown revision $BASE_REV" >&2
    exit 2
}
CORPUS=$(cd "${CORPUS:-../shared/corpus/security_content}" && pwd)
PROFILE=${PROFILE:-dev}
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
BIN_DIR=$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")

WORK=$(mktemp -d)
cleanup() {
    git -C "$REPO" worktree remove --force "$WORK/base" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "+ building the current tree" >&2
cargo build --quiet --profile "$PROFILE" --bin detc --target-dir "$TARGET" || exit 2
cp "$TARGET/$BIN_DIR/detc" "$WORK/detc-current"

echo "+ building base $BASE_COMMIT" >&2
git worktree add --quiet --detach "$WORK/base" "$BASE_COMMIT"
(cd "$WORK/base" && cargo build --quiet --profile "$PROFILE" --bin detc \
    --target-dir "$TARGET/compare-base") || exit 2
cp "$TARGET/compare-base/$BIN_DIR/detc" "$WORK/detc-base"

status=0
for command in validate compile; do
    for side in base current; do
        # Exit 1 means "the content has errors", which is output too; only 2+ is a failure.
        (cd "$REPO" && "$WORK/detc-$side" "$command" --content "$CORPUS" --format json \
            >"$WORK/$command-$side.jsonl") || [ $? -eq 1 ] || exit 2
    done
    if diff -u --label "$command@${BASE_COMMIT:0:10}" --label "$command@current" \
        "$WORK/$command-base.jsonl" "$WORK/$command-current.jsonl"; then
        echo "$command: identical ($(wc -l <"$WORK/$command-current.jsonl") lines)" >&2
    else
        status=1
    fi
done
exit $status
