#!/usr/bin/env bash
# One run of a build on networkx all files, every file of the project and of the environment
# written just before it: a fresh copy of networkx 3.6.1's package (its tests) and every file of
# .venvs/bench touched, as after a checkout and an install minutes before (the case where the
# reference's parso cache keeps evicting: README, "parso's cache across files"). Stdlib files keep
# their old mtimes. Touches .venvs/bench (the suite's venv, ours) and rewrites $NX (default
# /tmp/bnx/nx); never a user's files. -j 2 --refresh, HOME as given (a kept HOME keeps parse trees).
#
# WAIT=S waits S seconds between the touch and the run: with S near 600 the files turn old during
# the run (the primed children's clock is the model's, so the answer must not change).
#
# usage: scripts/bench/fresh_run.sh BINARY OUT_JSON [HOME]
# Prints `wall_seconds reanalysed_for_eviction tests`; the debug log goes to OUT_JSON.log. Not a test.
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "$1")
out=$(realpath -m "$2")
home=${3:-$HOME}
venv=$PWD/.venvs/bench
nx=${NX:-/tmp/bnx/nx}
mkdir -p "$nx"
rm -rf "$nx/networkx"
cp -r "$venv/lib/python3.11/site-packages/networkx" "$nx/networkx"
find "$nx" -name __pycache__ -prune -exec rm -rf {} +
printf '[tool.codeflash]\nmodule-root = "networkx"\ntests-root = "networkx"\n' > "$nx/pyproject.toml"
find "$venv" -type f -exec touch {} +
sleep "${WAIT:-0}"
start=$(date +%s.%N)
(cd "$nx" && HOME=$home CODEFLASH_DISCOVER_LOG=codeflash_discover=debug "$binary" --python "$venv/bin/python" \
    --project-root "$nx" --tests-root "$nx/networkx" -j 2 --refresh --stats -o "$out" 2> "$out.log")
end=$(date +%s.%N)
python3 - "$out" "$start" "$end" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
print(round(float(sys.argv[3]) - float(sys.argv[2]), 1), result["stats"]["test_files_reanalysed_for_eviction"], result["num_discovered_tests"])
PY
