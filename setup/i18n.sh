#!/usr/bin/env bash
# The translation templates of our addons: <addon>/i18n/<addon>.pot, exported by Odoo's own exporter from a
# database where the addons are installed (no demo data), as Odoo's own .pot files are.
#
#   setup/i18n.sh                 install our addons in a scratch database (cloned from the test template when
#                                 there is one) and write every <addon>/i18n/<addon>.pot
#   setup/i18n.sh --check DB      export from the existing database DB (our addons installed) into a temporary
#                                 folder and fail when a committed .pot differs (header dates ignored);
#                                 setup/test.sh runs it on its test database after the Odoo tier
#
# After changing a user-facing string: run setup/i18n.sh, then add the new msgids to each <lang>.po (the pure
# tier fails on a .po missing a msgid of its .pot: tests/test_i18n.py).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CHECK_DB=""
MODULES="$B2B_ADDONS"
while [ $# -gt 0 ]; do
    case "$1" in
        --check) CHECK_DB="$2"; shift ;;
        --modules) MODULES="$2"; shift ;;
        *) die "unknown argument $1 (usage: setup/i18n.sh [--check DB] [--modules m1,m2])" ;;
    esac
    shift
done
conf="$LOCAL_DIR/odoo-test.conf"
[ -f "$conf" ] || bash "$REPO_ROOT/setup/install.sh" --pure-only || die "set-up failed (see above)"
[ -f "$conf" ] || die "no $conf (setup/install.sh did not finish)"

export_pots() {  # $1 database  $2 output folder ("" = the addons' i18n/)
    B2B_I18N_MODULES="$MODULES" B2B_I18N_OUT="$2" odoo_bin shell -c "$conf" -d "$1" --no-http --log-level=warn \
        < "$REPO_ROOT/setup/i18n_export.py" | grep '^b2b-i18n:'
    return "${PIPESTATUS[0]}"
}

# a .pot without the lines that change with every export (its dates)
stable() { grep -vE '^"(POT-Creation-Date|PO-Revision-Date): ' "$1"; }

if [ -n "$CHECK_DB" ]; then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    export_pots "$CHECK_DB" "$out" >/dev/null || die "exporting the .pot files from $CHECK_DB failed"
    stale=0
    for module in ${MODULES//,/ }; do
        committed="$REPO_ROOT/$module/i18n/$module.pot"
        if [ ! -f "$committed" ]; then
            warn "i18n: $module/i18n/$module.pot is missing"; stale=1
        elif ! diff -u <(stable "$committed") <(stable "$out/$module.pot") > "$out/$module.diff"; then
            warn "i18n: $module/i18n/$module.pot is not what Odoo exports:"; head -30 "$out/$module.diff" >&2; stale=1
        fi
    done
    if [ $stale != 0 ]; then
        warn "i18n: run setup/i18n.sh and complete the .po files"
        exit 1
    fi
    log "i18n: every .pot is what Odoo exports"
    exit 0
fi

db="b2b_i18n_$(date +%s)_$$"
trap 'psql_admin -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; rm -rf "${CACHE_DIR:?}/test-data/filestore/$db"' EXIT
tpl=$(psql_admin -c "SELECT datname FROM pg_database WHERE datname LIKE 'b2b\_tpl\_%' AND datname NOT LIKE '%\_building' ORDER BY oid DESC LIMIT 1")
if [ -n "$tpl" ]; then
    log "i18n: database $db cloned from $tpl"
    psql_admin -c "CREATE DATABASE $db TEMPLATE $tpl" >/dev/null || die "cannot clone $tpl"
    [ -d "$CACHE_DIR/test-data/filestore/$tpl" ] && cp -a "$CACHE_DIR/test-data/filestore/$tpl" "$CACHE_DIR/test-data/filestore/$db"
fi
log "i18n: installing $MODULES"
odoo_bin -c "$conf" -d "$db" -i "$MODULES" --stop-after-init --no-http --log-level=warn || die "installing the addons failed"
export_pots "$db" "" || die "exporting the .pot files failed"
log "i18n: .pot files written; complete the .po files (tests/test_i18n.py says what is missing)"
