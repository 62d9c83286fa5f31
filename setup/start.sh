#!/usr/bin/env bash
# Sets everything up (setup/install.sh), creates the demo database with all b2b-connect addons and demo data
# on first run (upgrades our addons on later runs), starts the sandbox peers (wholesaler, shops,
# procurement system, BaseLinker) and runs Odoo on http://127.0.0.1:8069 with queue_job as server-wide
# module (job runner active). Log in as admin / admin.
#
# Usage: setup/start.sh [--no-peers] [--reset]   (--reset drops and recreates the demo database)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PEERS=1
RESET=0
for arg in "$@"; do
    case "$arg" in
        --no-peers) PEERS=0 ;;
        --reset) RESET=1 ;;
        *) die "unknown option $arg" ;;
    esac
done

bash "$REPO_ROOT/setup/install.sh"
conf="$LOCAL_DIR/odoo.conf"

if [ "$RESET" = 1 ] && db_exists "$DEMO_DB"; then
    log "dropping $DEMO_DB"
    psql_admin -c "DROP DATABASE $DEMO_DB" >/dev/null
    rm -rf "$LOCAL_DIR/data/filestore/$DEMO_DB"
fi

# A new demo database: base, then accounting, then our addons, each with demo data; after each step
# setup/demo_company.py makes the main company the Dutch demo company (EUR, the Dutch chart: 21 % / 9 % VAT).
create_demo_db() {
    local modules
    for modules in base account "$B2B_ADDONS"; do
        odoo_bin -c "$conf" -d "$DEMO_DB" -i "$modules" --with-demo --stop-after-init --no-http --log-level=warn \
            --log-handler=odoo.modules.loading:INFO 2>&1 | odoo_progress
        [ "${PIPESTATUS[0]}" = 0 ] || return 1
        odoo_bin shell -c "$conf" -d "$DEMO_DB" --no-http --log-level=warn < "$REPO_ROOT/setup/demo_company.py" \
            || return 1
    done
}

if ! db_exists "$DEMO_DB"; then
    log "creating demo database $DEMO_DB (company B2B Demo B.V., Netherlands, EUR) with $B2B_ADDONS and demo data (a few minutes, once)"
    if ! create_demo_db; then
        # a half-made demo database would be "updated" on the next start: drop it
        psql_admin -c "DROP DATABASE IF EXISTS $DEMO_DB" >/dev/null 2>&1
        rm -rf "$LOCAL_DIR/data/filestore/$DEMO_DB"
        die "creating $DEMO_DB failed (see above); it was dropped, setup/start.sh tries again"
    fi
else
    log "updating our addons in $DEMO_DB"
    odoo_bin -c "$conf" -d "$DEMO_DB" -u "$B2B_ADDONS" --stop-after-init --no-http --log-level=warn \
        --log-handler=odoo.modules.loading:INFO 2>&1 | odoo_progress
    [ "${PIPESTATUS[0]}" = 0 ] || die "updating $DEMO_DB failed (see above)"
fi

if [ "$PEERS" = 1 ]; then
    mkdir -p "$LOCAL_DIR"
    if [ -f "$LOCAL_DIR/peers.pid" ] && kill -0 "$(cat "$LOCAL_DIR/peers.pid")" 2>/dev/null; then
        kill "$(cat "$LOCAL_DIR/peers.pid")" || true
    fi
    "$PY" "$REPO_ROOT/setup/peers.py" > "$LOCAL_DIR/peers.log" 2>&1 &
    echo $! > "$LOCAL_DIR/peers.pid"
    trap 'kill $(cat "$LOCAL_DIR/peers.pid") 2>/dev/null || true' EXIT
    sleep 1
    kill -0 "$(cat "$LOCAL_DIR/peers.pid")" 2>/dev/null || { cat "$LOCAL_DIR/peers.log"; die "sandbox peers did not start"; }
    log "sandbox peers running (log: $LOCAL_DIR/peers.log)"
fi

log "ready in $(elapsed) (min:s): Odoo on http://127.0.0.1:$HTTP_PORT  (database $DEMO_DB, login admin / admin)"
odoo_bin -c "$conf" -d "$DEMO_DB"
