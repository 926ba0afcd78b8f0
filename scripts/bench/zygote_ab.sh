#!/usr/bin/env bash
# A/B of the Jedi stage with and without the worker's compiled-subprocess zygote
# (src/jedi/embedded/zygote.rs): alternating runs, each with --refresh on a kept cache (parse trees
# kept, collection and every answer computed), the stage's seconds from --stats.
#
# usage: scripts/bench/zygote_ab.sh PROJECT_ROOT FUNCTIONS_JSON ROUNDS [extra flags...]
# (PYTHON=... for the project's interpreter; default .venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$1 functions=$2 rounds=$3
shift 3
python=${PYTHON:-.venv/bin/python}
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
run() {
    env CODEFLASH_DISCOVER_NO_ZYGOTE="$1" target/release/codeflash-discover --python "$python" --project-root "$root" \
        --functions-file "$functions" --cache-dir "$cache" --refresh --stats --quiet "${@:2}" |
        "$python" -c 'import json, sys; s = json.load(sys.stdin)["stats"]; print(s["jedi_seconds"], s["total_seconds"], s["compiled_zygotes"])'
}
run 0 "$@" >/dev/null  # fills the tree store
for i in $(seq "$rounds"); do
    echo "round $i zygote    $(run 0 "$@")"
    echo "round $i no-zygote $(run 1 "$@")"
done | tee /dev/stderr | "$python" -c '
import statistics, sys
rows = [line.split() for line in sys.stdin]
for mode in ("zygote", "no-zygote"):
    jedi = [float(r[3]) for r in rows if r[2] == mode]
    wall = [float(r[4]) for r in rows if r[2] == mode]
    print(f"{mode:10} jedi median {statistics.median(jedi):.2f} s, total median {statistics.median(wall):.2f} s")
'
