#!/usr/bin/env bash
# Rewrites the expected stdout/stderr/exit of golden CLI cases from the current binary.
# usage: tests/cli/bless.sh [NAME...]      (no names: every case in tests/cli/cases)
# Builds tarsier first (in TARSIER_BUILD_DIR, default build). Blessed output is only a
# proposal: read every change (git diff tests/cli/cases) and check the facts in it against
# independent tools before committing.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$root" || exit 1
build=${TARSIER_BUILD_DIR:-build}
[[ $build == /* ]] || build=$root/$build
cases=tests/cli/cases

if [[ ! -f $build/build.ninja ]]; then
  echo "bless: no build in ${build#"$root"/}: run scripts/setup --tests first" >&2
  exit 2
fi
ninja -C "$build" src/cli/tarsier >/dev/null || { echo "bless: build failed" >&2; exit 1; }

if (($#)); then
  names=("$@")
else
  names=()
  for file in "$cases"/*.case; do [[ -e $file ]] && names+=("$(basename "$file" .case)"); done
fi
((${#names[@]})) || { echo "bless: no cases in $cases" >&2; exit 2; }

blessed=0 skipped=0 broken=0
for name in "${names[@]}"; do
  name=${name%.case}
  name=${name##*/}
  python3 tests/cli/run_case.py --bless --binary "$build/src/cli/tarsier" \
    --source-root "$root" "$cases/$name.case"
  case $? in
    0) ((++blessed)) ;;
    77) ((++skipped)) ;;
    *) ((++broken)) ;;
  esac
done
echo "bless: $blessed blessed, $skipped skipped, $broken broken; review: git diff -- $cases" >&2
((broken == 0))
