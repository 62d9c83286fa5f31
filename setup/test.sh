#!/usr/bin/env bash
# Runs every test of b2b-connect, in two tiers, and exits non-zero when any test fails:
#   1. pure tier: pytest on tests/ (protocol packages, shared library, sandbox peers); no Odoo needed,
#      always runs;
#   2. Odoo tier: our addons installed with --test-enable on a fresh database cloned from a cached template
#      (Odoo + the standard addons we depend on), TransactionCase and HttpCase (Chromium tours) included.
#      Odoo comes from ODOO_SRC or an archive (ODOO_ARCHIVE, see setup/install.sh). Only when no Odoo can be had
#      at all does it print one loud SKIPPED line; when a source or archive was there and the tier did not run
#      (template build failed, no test executed, tests skipped) the run fails. When all our addons were
#      installed, the tier also fails when a committed i18n/<addon>.pot is not what Odoo exports from them
#      (setup/i18n.sh --check).
# Each tier ends with a plain "N passed, N failed" line.
#
# Usage: setup/test.sh [pure|odoo|all] [--modules m1,m2] [--test-tags SPEC] [--keep-db] [-- pytest args]
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TIER=all
MODULES="$B2B_ADDONS,$B2B_TEST_ADDONS"
TEST_TAGS=""
KEEP_DB=0
PYTEST_ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        pure|odoo|all) TIER="$1" ;;
        --modules) MODULES="$2"; shift ;;
        --test-tags) TEST_TAGS="$2"; shift ;;
        --keep-db) KEEP_DB=1 ;;
        --) shift; PYTEST_ARGS=("$@"); break ;;
        *) die "unknown argument $1 (usage: setup/test.sh [pure|odoo|all] [--modules m1,m2] [--test-tags SPEC] [--keep-db])" ;;
    esac
    shift
done

bash "$REPO_ROOT/setup/install.sh" --pure-only || die "set-up failed (see above)"

rc_pure=0
rc_odoo=0

# ---------------------------------------------------------------- pure tier
if [ "$TIER" != odoo ]; then
    log "pure tier: pytest tests/"
    # pytest-odoo is installed for developers but needs an Odoo import path; the pure tier runs without it.
    pure_log=$(mktemp)
    (cd "$REPO_ROOT" && "$PY" -m pytest -p no:odoo -p no:cacheprovider -q tests "${PYTEST_ARGS[@]}") | tee "$pure_log"
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

    local tags="$TEST_TAGS"
    [ -z "$tags" ] && tags=$(echo "$MODULES" | sed 's/[^,][^,]*/\/&/g')
    log "Odoo tier: installing $MODULES with --test-enable --test-tags $tags (log: $logf)"
    # a free port per run, so several test runs (branches, CI) can go side by side
    local port
    port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    odoo_bin -c "$conf" -d "$testdb" -i "$MODULES" --test-enable --test-tags "$tags" --stop-after-init \
        --http-port "$port" \
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
    log "Odoo tier: $((ran - failed - errors)) passed, $((failed + errors)) failed ($ran tests, $errors errors, $skipped skipped, exit code $rc, $module_errors ERROR log lines)"
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

if [ $rc_pure != 0 ] || [ $rc_odoo != 0 ]; then
    warn "TESTS FAILED (pure tier exit $rc_pure, Odoo tier exit $rc_odoo)"
    exit 1
fi
log "all tests passed"
