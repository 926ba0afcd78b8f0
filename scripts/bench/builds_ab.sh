#!/usr/bin/env bash
# A/B of two builds of the orchestrator on one project: alternating runs, each with --refresh on
# one kept cache (parse trees kept, collection and every answer computed), the stages' seconds from
# --stats, and whether the answers (stats left out) are byte-identical. Each build is
# target/ab/<old|new>/codeflash-discover with its own codeflash-discover-workers/ beside it (for a
# change to the embedded worker: copy each commit's binary and the workers it needs there), else
# target/release/cfd-<old|new>, which share target/release's workers (an orchestrator-only
# change): build the old commit, copy its codeflash-discover to cfd-old, build the new one, copy it
# to cfd-new. Both builds one way or the other: with one of two in target/ab the script stops.
#
# usage: scripts/bench/builds_ab.sh ROUNDS [codeflash-discover flags...]
# e.g.:  scripts/bench/builds_ab.sh 2 --python .venvs/bench/bin/python --project-root NX \
#            --tests-root NX/networkx -j 2
# Prints `build round collect_seconds jedi_seconds total_seconds tests` per run. Not a test.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=$1
shift
# Both builds from target/ab, or both from target/release: a mix would compare different workers.
ab=0
for build in new old; do
    if [ -x "target/ab/$build/codeflash-discover" ]; then ab=$((ab + 1)); fi
done
case $ab in
    2) binary() { echo "target/ab/$1/codeflash-discover"; } ;;
    0) binary() { echo "target/release/cfd-$1"; } ;;
    *) echo "builds_ab.sh: target/ab has one build of two: put both there, or neither" >&2; exit 2 ;;
esac
out=$(mktemp -d)
cache=$(mktemp -d)
trap 'rm -rf "$out" "$cache"' EXIT
for round in $(seq "$rounds"); do
    for build in new old; do
        "$(binary "$build")" --cache-dir "$cache" --refresh --stats --quiet -o "$out/$build$round.json" "$@"
        python3 - "$out/$build$round.json" "$build" "$round" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
s = result["stats"]
print(sys.argv[2], sys.argv[3], round(s["collect_seconds"], 1), round(s["jedi_seconds"], 1), round(s["total_seconds"], 1), result["num_discovered_tests"])
PY
    done
done
python3 - "$out" <<'PY'
import json, pathlib, sys
answers = set()
for path in pathlib.Path(sys.argv[1]).glob("*.json"):
    result = json.loads(path.read_text())
    result.pop("stats")
    answers.add(json.dumps(result, sort_keys=True))
print("answers byte-identical across runs:", len(answers) == 1)
PY
