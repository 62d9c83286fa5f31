#!/usr/bin/env bash
# Runs every check and test of b2b-connect, in three tiers, and exits non-zero when any fails:
#   0. lint tier (all or lint): ruff check (.ruff.toml) on the repository and pylint-odoo with OCA's mandatory
#      checks (.pylintrc-mandatory) on the addons, the hooks of .pre-commit-config.yaml, with the versions of
#      requirements-dev.txt; skipped by `pure` and `odoo` (the lint tier alone: `setup/test.sh lint`);
#   1. pure tier: pytest on tests/ (protocol packages, shared library, sandbox peers); no Odoo needed,
#      always runs;
#   2. Odoo tier: our addons (B2B_ADDONS, then B2B_TEST_ADDONS) installed on a fresh database cloned from a
#      cached template (Odoo + the standard addons we depend on), then their TransactionCase and HttpCase
#      (Chromium tours) tests run by pytest with pytest-odoo (setup/odoo_tier_plugin.py: the tests Odoo's own
#      runner would run, in its order; an ERROR log line fails its test, a skip fails the run).
#      `--runner odoo` runs them with Odoo's own runner instead (odoo-bin --test-enable), as before.
#      Odoo comes from ODOO_SRC or an archive (ODOO_ARCHIVE, see setup/install.sh). Only when no Odoo can be had
#      at all does it print one loud SKIPPED line; when a source or archive was there and the tier did not run
#      (template build failed, install failed, no test executed, tests skipped) the run fails. When all our
#      addons were installed, the tier also fails when a committed i18n/<addon>.pot is not what Odoo exports
#      from them (setup/i18n.sh --check).
# Each tier ends with a plain "N passed, N failed" line.
#
# Usage: setup/test.sh [lint|pure|odoo|all] [--modules m1,m2] [--test-tags SPEC] [--runner pytest|odoo] [--keep-db]
#                      [-- pytest args]
#   --test-tags   Odoo's syntax (/module:Class.method, tags, -exclusions), with either runner
#   -- ...        extra pytest arguments (-k, -x, node ids such as b2b_sandbox/tests/test_x.py::TestX) for the
#                 pytest tiers that run; with node ids or paths, name the tier (pure or odoo)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TIER=all
# test-only addons (B2B_TEST_ADDONS, from TEST_ADDONS_DIR) are installed after ours when there are any
TEST_ADDONS_DIR="$REPO_ROOT/tests/odoo_addons"
MODULES="$B2B_ADDONS${B2B_TEST_ADDONS:+,$B2B_TEST_ADDONS}"
TEST_TAGS=""
RUNNER=pytest
KEEP_DB=0
PYTEST_ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        lint|pure|odoo|all) TIER="$1" ;;
        --modules) MODULES="$2"; shift ;;
        --test-tags) TEST_TAGS="$2"; shift ;;
        --runner) RUNNER="$2"; shift
            case "$RUNNER" in pytest|odoo) ;; *) die "--runner pytest or --runner odoo, not '$RUNNER'" ;; esac ;;
        --keep-db) KEEP_DB=1 ;;
        --) shift; PYTEST_ARGS=("$@"); break ;;
        *) die "unknown argument $1 (usage: setup/test.sh [lint|pure|odoo|all] [--modules m1,m2] [--test-tags SPEC] [--runner pytest|odoo] [--keep-db] [-- pytest args])" ;;
    esac
    shift
done

bash "$REPO_ROOT/setup/install.sh" --pure-only || die "set-up failed (see above)"

rc_lint=0
rc_pure=0
rc_odoo=0

# ---------------------------------------------------------------- lint tier
if [ "$TIER" = all ] || [ "$TIER" = lint ]; then
    log "lint tier: ruff check, pylint-odoo (mandatory checks)"
    lint_passed=0 lint_failed=0
    # never --fix here: the test command does not change the tree (.ruff.toml says fix = true, for pre-commit)
    if (cd "$REPO_ROOT" && "$VENV/bin/ruff" check --no-fix --quiet .); then
        lint_passed=$((lint_passed + 1))
    else
        lint_failed=$((lint_failed + 1)); warn "lint tier: ruff check failed (fix: $VENV/bin/ruff check --fix .)"
    fi
    # without Odoo's source on the path (as pre-commit runs it): 30 s instead of 70 (the same messages today)
    if (cd "$REPO_ROOT" && "$VENV/bin/pylint" --rcfile=.pylintrc-mandatory --output-format=parseable \
            ${B2B_ADDONS//,/ }); then
        lint_passed=$((lint_passed + 1))
    else
        lint_failed=$((lint_failed + 1)); warn "lint tier: pylint-odoo failed"
    fi
    log "lint: $lint_passed passed, $lint_failed failed"
    [ $lint_failed = 0 ] || rc_lint=1
fi
if [ "$TIER" = lint ]; then
    [ $rc_lint = 0 ] || { warn "LINT FAILED"; exit 1; }
    exit 0
fi

# ---------------------------------------------------------------- pure tier
if [ "$TIER" != odoo ]; then
    log "pure tier: pytest tests/"
    # pytest-odoo is installed for developers but needs an Odoo import path; the pure tier runs without it.
    pure_log=$(mktemp)
    # tests/odoo_addons holds addons for the Odoo tier, not pure tests
    (cd "$REPO_ROOT" && "$PY" -m pytest -p no:odoo -p no:cacheprovider -q --ignore=tests/odoo_addons tests \
        "${PYTEST_ARGS[@]}") | tee "$pure_log"
    rc_pure=${PIPESTATUS[0]}
    # pytest's own closing line, reduced to the plain form every tier ends with
    pure_passed=$(tail -1 "$pure_log" | grep -Eo '[0-9]+ passed' | grep -Eo '[0-9]+' || echo 0)
    pure_failed=$(tail -1 "$pure_log" | grep -Eo '[0-9]+ (failed|errors?)' | awk '{s+=$1} END {print s+0}')
    rm -f "$pure_log"
    log "pure tier: ${pure_passed:-0} passed, ${pure_failed:-0} failed"
    [ $rc_pure = 0 ] || warn "pure tier: FAILED (exit $rc_pure)"
fi

# ---------------------------------------------------------------- Odoo tier
run_odoo_tier() {
    local conf="$LOCAL_DIR/odoo-test.conf"
    filestore="$CACHE_DIR/test-data/filestore"  # global: used by the EXIT trap
    local tpl_id tpl
    # global on purpose: the EXIT trap drops the database after this function has returned
    testdb="" logf=""
    tpl_id=$( { odoo_src_id; echo "$B2B_TEMPLATE_MODULES"; "$VENV/bin/pip" show odoo-addon-queue-job 2>/dev/null | grep ^Version; } | sha1sum | cut -c1-10)
    tpl="b2b_tpl_$tpl_id"
    mkdir -p "$filestore" "$CACHE_DIR"

    # The template: built once per Odoo source / module list, under a lock so parallel runs share it.
    (
        flock 9
        if ! db_exists "$tpl"; then
            log "Odoo tier: building template database $tpl ($B2B_TEMPLATE_MODULES); takes about two minutes"
            local building="${tpl}_building"
            psql_admin -c "DROP DATABASE IF EXISTS $building" >/dev/null
            rm -rf "${filestore:?}/$building"
            if ! odoo_bin -c "$conf" -d "$building" -i "$B2B_TEMPLATE_MODULES" --stop-after-init --no-http \
                    --log-level=warn > "$CACHE_DIR/$building.log" 2>&1; then
                tail -40 "$CACHE_DIR/$building.log" >&2
                die "building the template database failed; full log in $CACHE_DIR/$building.log"
            fi
            psql_admin -c "ALTER DATABASE $building RENAME TO $tpl" >/dev/null
            [ -d "$filestore/$building" ] && mv "$filestore/$building" "$filestore/$tpl"
            # keep the three newest templates (other branches may use another module list); drop older ones
            for old in $(psql_admin -c "SELECT datname FROM pg_database WHERE datname LIKE 'b2b\_tpl\_%' AND datname NOT LIKE '%\_building' ORDER BY oid DESC OFFSET 3"); do
                psql_admin -c "DROP DATABASE IF EXISTS $old" >/dev/null && rm -rf "${filestore:?}/$old"
            done
        fi
    ) 9>"$CACHE_DIR/template.lock" || return 1

    testdb="b2b_test_$(date +%s)_$$"
    logf="$CACHE_DIR/$testdb.log"
    log "Odoo tier: database $testdb cloned from $tpl"
    psql_admin -c "CREATE DATABASE $testdb TEMPLATE $tpl" >/dev/null || return 1
    [ -d "$filestore/$tpl" ] && cp -a "$filestore/$tpl" "$filestore/$testdb"
    cleanup_db() {
        if [ "$KEEP_DB" = 0 ]; then
            psql_admin -c "DROP DATABASE IF EXISTS $testdb" >/dev/null 2>&1
            rm -rf "${filestore:?}/$testdb"
        else
            log "kept database $testdb"
        fi
    }
    trap cleanup_db EXIT

    # the test-only addons' folder joins the addons path when it exists
    local addons_path
    addons_path=$(odoo_addons_path)
    [ -d "$TEST_ADDONS_DIR" ] && addons_path="$addons_path,$TEST_ADDONS_DIR"
    if [ "$RUNNER" = odoo ]; then run_with_odoo_runner "$conf" "$addons_path"; else run_with_pytest "$conf" "$addons_path"; fi
}

# pytest with pytest-odoo: install first (no tests), then pytest on the addons' tests/ folders.
run_with_pytest() {
    local conf="$1" addons_path="$2"
    log "Odoo tier: installing $MODULES (log: $logf)"
    odoo_bin -c "$conf" -d "$testdb" --addons-path "$addons_path" -i "$MODULES" --stop-after-init --no-http \
        --log-level=info > "$logf" 2>&1
    local rc=$?
    local install_errors
    install_errors=$(grep -cE ' (ERROR|CRITICAL) ' "$logf")
    grep -E ' (ERROR|CRITICAL|WARNING) |Traceback|^  File |^\S*Error' "$logf"
    if [ "$rc" != 0 ] || [ "$install_errors" != 0 ]; then
        warn "Odoo tier: FAILED: installing $MODULES failed (exit code $rc, $install_errors ERROR log lines; see $logf)"
        return 1
    fi

    # the addons' tests/ folders, unless paths or node ids were given after --
    local dirs=() m a named=0
    for a in "${PYTEST_ARGS[@]}"; do
        [[ "$a" != -* ]] && [ -e "$REPO_ROOT/${a%%::*}" ] && named=1
    done
    for m in ${MODULES//,/ }; do
        [ "$named" = 1 ] && break
        if [ -d "$REPO_ROOT/$m/tests" ]; then dirs+=("$m/tests")
        elif [ -d "$TEST_ADDONS_DIR/$m/tests" ]; then dirs+=("${TEST_ADDONS_DIR#"$REPO_ROOT"/}/$m/tests")
        fi
    done
    if [ "$named" = 0 ] && [ ${#dirs[@]} = 0 ]; then
        warn "Odoo tier: FAILED: no tests/ folder in $MODULES"
        return 1
    fi
    local tags_args=()
    [ -n "$TEST_TAGS" ] && tags_args=(--b2b-test-tags "$TEST_TAGS")
    log "Odoo tier: pytest-odoo on ${dirs[*]:-${PYTEST_ARGS[*]}}${TEST_TAGS:+ (--test-tags $TEST_TAGS)} (Odoo log: $logf)"
    local out; out=$(mktemp)
    # Odoo's log goes to the log file (pytest shows a failed test's own log lines); the HTTP server for
    # HttpCase takes a free port, so several runs (branches, CI) can go side by side. No conftest.py: the
    # tier's rules are the plugin's, and tests/conftest.py (pure tier, above tests/odoo_addons) fakes Odoo.
    (cd "$REPO_ROOT" && PYTHONPATH="$ODOO_SRC:$REPO_ROOT/setup${PYTHONPATH:+:$PYTHONPATH}" "$PY" -m pytest \
        --noconftest -p odoo_tier_plugin --odoo-database="$testdb" --odoo-config="$conf" --odoo-addons-path="$addons_path" \
        --odoo-http --odoo-log-level=info --odoo-extra "logfile=$logf" -rfEs \
        "${tags_args[@]}" "${dirs[@]}" "${PYTEST_ARGS[@]}") | tee "$out"
    rc=${PIPESTATUS[0]}

    # pytest's closing line, e.g. "=== 2 failed, 204 passed, 1 skipped, 3 deselected, 1 error in 301.2s ==="
    local closing passed failed errors skipped
    closing=$(grep -E '^=+ .* in [0-9.]+s' "$out" | tail -1)
    rm -f "$out"
    count() { echo "$closing" | grep -Eo "[0-9]+ $1" | grep -Eo '^[0-9]+' || echo 0; }
    passed=$(count passed); failed=$(count failed); errors=$(count 'errors?'); skipped=$(count skipped)
    # a skip is no pass here: counted with the failures
    log "Odoo tier: $passed passed, $((failed + errors + skipped)) failed ($errors errors, $skipped skipped, pytest exit code $rc)"
    if [ "$rc" != 0 ] || [ "$failed" != 0 ] || [ "$errors" != 0 ] || [ "$skipped" != 0 ]; then
        # exit code 5: pytest collected no test; the plugin turns skips and stray ERROR lines into exit code 1
        warn "Odoo tier: FAILED (see above and $logf)"
        return 1
    fi
    if [ "$passed" = 0 ]; then
        warn "Odoo tier: FAILED: no test ran (see $logf)"
        return 1
    fi
    log "Odoo tier: passed"
    return 0
}

# Odoo's own runner: install with --test-enable, parse Odoo's log (for comparison and debugging).
run_with_odoo_runner() {
    local conf="$1" addons_path="$2"
    local tags="$TEST_TAGS"
    [ -z "$tags" ] && tags=$(echo "$MODULES" | sed 's/[^,][^,]*/\/&/g')
    log "Odoo tier: installing $MODULES with --test-enable --test-tags $tags (log: $logf)"
    # a free port per run, so several test runs (branches, CI) can go side by side
    local port
    port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    odoo_bin -c "$conf" -d "$testdb" --addons-path "$addons_path" -i "$MODULES" --test-enable --test-tags "$tags" \
        --stop-after-init --http-port "$port" \
        --log-level=test 2>&1 | tee "$logf" | grep -E --line-buffered \
        ' (ERROR|CRITICAL|WARNING) |odoo.tests.stats|odoo.tests.result|FAIL|Traceback|^  File |^\S*Error|Starting |Ran [0-9]+ test'
    local rc=${PIPESTATUS[0]}

    # The exit code alone is not trusted: the summary lines must show tests ran and none failed.
    local summary ran failed errors
    summary=$(grep -Eo '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$logf")
    ran=$(echo "$summary" | awk '{s+=$6} END {print s+0}')
    failed=$(echo "$summary" | awk '{s+=$1} END {print s+0}')
    errors=$(echo "$summary" | awk '{s+=$3} END {print s+0}')
    local module_errors skipped
    module_errors=$(grep -cE ' (ERROR|CRITICAL) ' "$logf")
    # Odoo skips browser tests when Chromium or websocket-client is missing: a skip is not a pass.
    skipped=$(grep -cE ' INFO [^ ]+ [^ ]+: skipped ' "$logf")
    grep -E ' INFO [^ ]+ [^ ]+: skipped ' "$logf" | sed 's/^/    /' >&2
    log "Odoo tier: $((ran - failed - errors - skipped)) passed, $((failed + errors + skipped)) failed ($ran tests, $errors errors, $skipped skipped, exit code $rc, $module_errors ERROR log lines)"
    if [ "$rc" != 0 ] || [ "$failed" != 0 ] || [ "$errors" != 0 ] || [ "$module_errors" != 0 ] || [ "$skipped" != 0 ]; then
        warn "Odoo tier: FAILED (see $logf)"
        return 1
    fi
    if [ "$ran" = 0 ]; then
        warn "Odoo tier: FAILED: no test ran (see $logf)"
        return 1
    fi
    # The .pot files are what Odoo exports from the addons just installed (only when all of ours are).
    local missing_addon="" addon
    for addon in ${B2B_ADDONS//,/ }; do
        case ",$MODULES," in *",$addon,"*) ;; *) missing_addon=$addon ;; esac
    done
    if [ -z "$missing_addon" ]; then
        bash "$REPO_ROOT/setup/i18n.sh" --check "$testdb" || { warn "Odoo tier: FAILED: a .pot file is stale"; return 1; }
    fi
    log "Odoo tier: passed"
    return 0
}

if [ "$TIER" != pure ]; then
    if ! have_odoo_src; then
        # install.sh unpacks ODOO_ARCHIVE when it exists, so only "no Odoo anywhere" gets here
        printf '\n\033[1;41m%s\033[0m\n\n' "SKIPPED: Odoo tier (no Odoo source at $ODOO_SRC${ODOO_ARCHIVE:+, no archive at $ODOO_ARCHIVE}, no network to clone it; see README.md)"
        log "Odoo tier: 0 passed, 0 failed (skipped: no Odoo)"
    elif [ ! -f "$LOCAL_DIR/odoo-test.conf" ]; then
        warn "Odoo tier: FAILED: Odoo is at $ODOO_SRC but there is no $LOCAL_DIR/odoo-test.conf (setup/install.sh did not finish)"
        rc_odoo=1
    else
        ( run_odoo_tier )
        rc_odoo=$?
    fi
fi

if [ $rc_lint != 0 ] || [ $rc_pure != 0 ] || [ $rc_odoo != 0 ]; then
    warn "TESTS FAILED (lint tier exit $rc_lint, pure tier exit $rc_pure, Odoo tier exit $rc_odoo)"
    exit 1
fi
log "all tests passed"
