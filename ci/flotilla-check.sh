#!/usr/bin/env bash
# CI for a fleet repo, without a live engine: validates the fleet repo at HEAD (rendering every
# site with kustomize), then writes the plan of the change (merge base with the target branch ->
# HEAD) as markdown for a pull request comment.
#
# Usage: flotilla-check.sh [--repo DIR] [--base REF] [--out FILE]
#   --repo DIR   the fleet repo (a folder in a Git checkout; default: .)
#   --base REF   the target branch (default: origin/$GITHUB_BASE_REF, else origin/main)
#   --out FILE   where the markdown goes (default: flotilla-plan.md); it starts with the marker
#                <!-- flotilla-check --> so a CI job can edit its own earlier comment in place
# The flotilla command is $FLOTILLA (default: flotilla on PATH), e.g. "java -jar flotilla.jar".
# Exit: 0 valid (the plan is in FILE), 2 invalid (the problems are in FILE), 1 a tool or Git failed.
set -euo pipefail

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

repo=.
base=""
out=flotilla-plan.md
while (($#)); do
  case "$1" in
    --repo) repo=$2; shift 2 ;;
    --base) base=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "flotilla-check: unknown argument '$1'" >&2; usage >&2; exit 1 ;;
  esac
done
read -r -a flotilla <<< "${FLOTILLA:-flotilla}"
base=${base:-origin/${GITHUB_BASE_REF:-main}}
marker='<!-- flotilla-check -->'

to=$(git -C "$repo" rev-parse HEAD)
if ! from=$(git -C "$repo" merge-base "$base" HEAD 2>/dev/null); then
  echo "flotilla-check: no merge base of $base and HEAD in $repo (fetch the target branch: fetch-depth 0)" >&2
  exit 1
fi

echo "flotilla-check: validating $repo at ${to:0:12} (with render)" >&2
set +e
problems=$("${flotilla[@]}" validate --repo "$repo" --rev "$to" --render 2>&1)
status=$?
set -e
if ((status != 0)); then
  {
    echo "$marker"
    echo "### Flotilla: the fleet repo at \`${to:0:12}\` is invalid"
    echo
    echo '```'
    echo "$problems"
    echo '```'
  } > "$out"
  echo "$problems" >&2
  exit "$status"
fi

echo "flotilla-check: planning ${from:0:12} -> ${to:0:12}" >&2
plan=$("${flotilla[@]}" plan --repo "$repo" --from "$from" --to "$to" --format markdown)
{
  echo "$marker"
  echo "### Flotilla plan: \`${from:0:12}\` → \`${to:0:12}\`"
  echo
  echo "$plan"
} > "$out"
echo "flotilla-check: the plan is in $out" >&2
