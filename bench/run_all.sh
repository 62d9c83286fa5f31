#!/usr/bin/env bash
# Run every benchmark script (or the ones named: bench/run_all.sh bench_dico bench_base), each to its end
# whatever the others did, then print the figures they reported (bench/_report.py) and one closing line
# `BENCH {json}` with every key of bench/_report.py KEYS (null: no script reported it; the line above says
# which). Exits 1 when a script failed (after the BENCH line), 0 otherwise; a skipped script is no failure.
# PY: the python to use (default: $B2B_VENV/bin/python, else .venv/bin/python); BENCH_TIMEOUT: seconds
# one script may take (default 3600).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-${B2B_VENV:-.venv}/bin/python}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-3600}

work=$(mktemp -d "${TMPDIR:-/tmp}/b2b-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export B2B_BENCH_RESULTS="$work/results.jsonl"
export PYTHONUNBUFFERED=1  # the figures as they come, in order with the errors
: > "$B2B_BENCH_RESULTS"

if [ $# -gt 0 ]; then
    scripts=()
    for name in "$@"; do scripts+=("bench/${name%.py}.py"); done
else
    scripts=(bench/bench_*.py)
fi

failed=()
skipped=()
for script in "${scripts[@]}"; do
    echo "== $script"
    if [ ! -f "$script" ]; then
        echo "no such script"
        failed+=("$script (missing)")
        continue
    fi
    log="$work/$(basename "$script").log"
    start=$(date +%s)
    # its own figures stay in the results file whatever happens to the next script
    timeout --kill-after=30 "$BENCH_TIMEOUT" "$PY" "$script" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    took=$(( $(date +%s) - start ))
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        failed+=("$script (stopped after ${BENCH_TIMEOUT} s)")
    elif [ "$rc" != 0 ]; then
        failed+=("$script (exit $rc)")
    elif grep -q '^SKIPPED' "$log"; then
        skipped+=("$script: $(grep -m1 '^SKIPPED' "$log")")
    fi
    echo "== $script: exit $rc in ${took} s"
done

echo "== summary"
[ ${#skipped[@]} -eq 0 ] || printf 'skipped: %s\n' "${skipped[@]}"
[ ${#failed[@]} -eq 0 ] || printf 'failed: %s\n' "${failed[@]}"
"$PY" bench/_report.py --collect "$B2B_BENCH_RESULTS"
[ ${#failed[@]} -eq 0 ]
