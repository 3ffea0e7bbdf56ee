#!/usr/bin/env bash
# The shell steps of the GitHub Action (action.yml); runs anywhere with git and dedup on PATH.
#
# On a pull request: check the article files added or changed since the merge base with the
# base branch against the index, building the index from the base branch's articles first if
# none was restored (a workflow's very first run). On any other event: add the articles to
# the index. The exit code is dedup's: 0 no finding, 1 a finding, 2 bad input or set-up.
#
# Environment (the action's inputs):
#   DEDUP_PATHS      article directories, separated by spaces (required)
#   DEDUP_INDEX      index file (default .dedup/index.sqlite)
#   DEDUP_FAIL_ON    copy | commentary | never (default copy)
#   DEDUP_FORMAT     text | json | github | junit | sarif (default github)
#   DEDUP_EVENT      the event name (github.event_name); pull_request checks, others add
#   DEDUP_BASE_REF   the pull request's base branch (github.base_ref)
#   DEDUP_BIN        the dedup command (default dedup)
set -euo pipefail

die() { echo "dedup-action: $*" >&2; exit 2; }

paths="${DEDUP_PATHS:-}"
[ -n "$paths" ] || die "no paths given (the action's 'paths' input)"
read -r -a path_list <<< "$paths"
index="${DEDUP_INDEX:-.dedup/index.sqlite}"
fail_on="${DEDUP_FAIL_ON:-copy}"
format="${DEDUP_FORMAT:-github}"
event="${DEDUP_EVENT:-push}"
dedup="${DEDUP_BIN:-dedup}"
mkdir -p "$(dirname "$index")"
index_abs="$(cd "$(dirname "$index")" && pwd)/$(basename "$index")"

if [ "$event" != "pull_request" ]; then
    echo "dedup-action: adding ${path_list[*]} to $index" >&2
    exec $dedup index add "${path_list[@]}" --index "$index_abs" --quiet
fi

base_ref="${DEDUP_BASE_REF:-}"
[ -n "$base_ref" ] || die "a pull request needs DEDUP_BASE_REF (github.base_ref)"
base_commit=""
for ref in "origin/$base_ref" "$base_ref"; do
    if base_commit="$(git rev-parse --verify --quiet "$ref^{commit}")"; then
        break
    fi
done
[ -n "$base_commit" ] || die "base branch '$base_ref' not found; check out with fetch-depth: 0"
merge_base="$(git merge-base "$base_commit" HEAD)" \
    || die "no merge base between $base_ref and HEAD; check out with fetch-depth: 0"

if [ ! -f "$index_abs" ]; then
    # No cached index yet: build it from the base branch's articles, named as on the branch.
    echo "dedup-action: no index at $index; building it from $base_ref's articles" >&2
    tree="$(mktemp -d)"
    trap 'rm -rf "$tree"' EXIT
    present=()
    for path in "${path_list[@]}"; do
        if git cat-file -e "$merge_base:$path" 2>/dev/null; then
            present+=("$path")
        fi
    done
    if [ "${#present[@]}" -gt 0 ]; then
        git archive "$merge_base" -- "${present[@]}" | tar -x -C "$tree"
        (cd "$tree" && $dedup index add "${present[@]}" --index "$index_abs" --quiet)
    fi
fi

check_args=()
if [ ! -f "$index_abs" ]; then
    # The base branch has no articles at all: the new ones are checked among themselves.
    check_args+=(--allow-missing-index)
fi
$dedup check "${path_list[@]}" --since "$merge_base" --index "$index_abs" \
    --format "$format" --fail-on "$fail_on" --quiet "${check_args[@]}"
