# shellcheck shell=bash
# Shared settings and helpers for the set-up, start and test scripts. Sourced, never run.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo-src}"
ODOO_BRANCH="${ODOO_BRANCH:-19.0}"
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
# An Odoo source archive (.tar.xz / .tar.gz, files at its top or in one top-level folder), unpacked into
# ODOO_SRC when that is absent: the air-gapped way (see README.md).
ODOO_ARCHIVE="${ODOO_ARCHIVE:-}"
VENV="${B2B_VENV:-$REPO_ROOT/.venv}"
LOCAL_DIR="${B2B_LOCAL_DIR:-$REPO_ROOT/.local}"
# Shared by every clone on this machine: the test template's filestore and the credentials key.
CACHE_DIR="${B2B_CACHE_DIR:-$HOME/.cache/b2b-connect}"
SECRET_KEY_FILE="${B2B_SECRET_KEY_FILE:-$HOME/.config/b2b-connect/secret.key}"
PY="$VENV/bin/python"
PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-main}"
DB_HOST="${B2B_DB_HOST:-127.0.0.1}"
DB_PORT="${B2B_DB_PORT:-5432}"
DB_USER="${B2B_DB_USER:-odoo}"
DB_PASSWORD="${B2B_DB_PASSWORD:-odoo}"
DEMO_DB="${B2B_DEMO_DB:-b2b_demo}"
HTTP_PORT="${B2B_HTTP_PORT:-8069}"
TEST_HTTP_PORT="${B2B_TEST_HTTP_PORT:-8169}"
QUEUE_JOB_SPEC="${QUEUE_JOB_SPEC:-odoo-addon-queue-job==19.0.*}"

# Our addons, in dependency order.
B2B_ADDONS="b2b_connector_base,b2b_edi_connector,b2b_ecommerce_sync,b2b_shop_woocommerce,b2b_shop_prestashop,b2b_shop_magento2,b2b_shop_shopify,b2b_punchout,b2b_invoice_attach,b2b_ecommerce_invoice_attach,b2b_delivery_carrier,b2b_delivery_colissimo,b2b_delivery_chronopost,b2b_delivery_dhl_parcel,b2b_delivery_ecommerce,b2b_sandbox"
# Addons of tests/odoo_addons/ that setup/test.sh installs besides B2B_ADDONS (the demo never sees them).
B2B_TEST_ADDONS="b2b_test_shop_platform,b2b_test_delivery_shop"
# Odoo addons our addons depend on: pre-installed in the test template database.
B2B_TEMPLATE_MODULES="base,web,mail,contacts,queue_job,account,purchase,purchase_stock,stock,sale_management,sale_stock,stock_delivery,website_sale"

export PGPASSWORD="$DB_PASSWORD"

# Every line says how long the whole set-up has been running (started by the first script, inherited by the rest).
B2B_T0="${B2B_T0:-$(date +%s)}"
export B2B_T0
elapsed() { local s=$(( $(date +%s) - B2B_T0 )); printf '%d:%02d' $((s / 60)) $((s % 60)); }
log()  { printf '\033[1;34m[b2b %s]\033[0m %s\n' "$(elapsed)" "$*"; }
warn() { printf '\033[1;33m[b2b] %s\033[0m\n' "$*" >&2; }
die()  { printf '\033[1;31m[b2b] ERROR: %s\033[0m\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        die "'$*' needs root and sudo is not available"; fi
}

# pip with the noise of this machine's unreachable file:// indexes filtered out; keeps pip's exit code.
pip_quiet() {
    local rc
    "$VENV/bin/pip" --disable-pip-version-check "$@" 2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
    rc=$?
    return $rc
}

# Odoo's launcher: odoo-bin in a git checkout, setup/odoo in Odoo's packaged source tarballs.
odoo_launcher() {
    if [ -f "$1/odoo-bin" ]; then echo "$1/odoo-bin"; elif [ -f "$1/setup/odoo" ]; then echo "$1/setup/odoo"; fi
}
is_odoo_tree() { [ -f "$1/odoo/release.py" ] && [ -n "$(odoo_launcher "$1")" ]; }
have_odoo_src() { is_odoo_tree "$ODOO_SRC"; }

# Odoo's series ("19.0") as its release.py declares it.
odoo_series() {
    python3 -c 'import runpy, sys; print(runpy.run_path(sys.argv[1])["serie"])' "$1/odoo/release.py" 2>/dev/null
}

# The tree at ODOO_SRC is an Odoo of the expected series.
check_odoo_src() {
    local series
    is_odoo_tree "$ODOO_SRC" || { warn "$ODOO_SRC: no odoo-bin and odoo/release.py"; return 1; }
    series=$(odoo_series "$ODOO_SRC")
    if [ "$series" != "$ODOO_BRANCH" ]; then
        warn "$ODOO_SRC is Odoo ${series:-of unknown version}, b2b-connect needs Odoo $ODOO_BRANCH"
        return 1
    fi
}

# Unpacks an Odoo source archive into $2 (absent): next to it first, then moved in one step, so an
# interrupted unpack never leaves a half tree at ODOO_SRC.
unpack_odoo_archive() {
    local archive="$1" dest="$2" parent tmp root entries started
    parent=$(dirname "$dest")
    [ -d "$parent" ] || as_root mkdir -p "$parent"
    [ -w "$parent" ] || as_root chown "$(id -u):$(id -g)" "$parent"
    tmp=$(mktemp -d "$parent/.odoo-unpack.XXXXXX")
    started=$SECONDS
    log "unpacking Odoo source $archive into $dest (about 10 s)"
    if ! tar -xf "$archive" -C "$tmp"; then
        rm -rf "$tmp"; die "cannot unpack $archive (a .tar.xz or .tar.gz of Odoo's source is expected)"
    fi
    root="$tmp"
    if ! is_odoo_tree "$root"; then
        # Odoo's own tarballs hold one folder (odoo-19.0.post2025...): take it when it is the only entry
        entries=("$tmp"/*)
        if [ ${#entries[@]} = 1 ] && is_odoo_tree "${entries[0]}"; then root="${entries[0]}"; fi
    fi
    if ! is_odoo_tree "$root"; then
        rm -rf "$tmp"; die "$archive holds no Odoo source tree (odoo-bin and odoo/release.py, at its top or in one folder)"
    fi
    local series; series=$(odoo_series "$root")
    if [ "$series" != "$ODOO_BRANCH" ]; then
        rm -rf "$tmp"; die "$archive holds Odoo ${series:-of unknown version}, b2b-connect needs Odoo $ODOO_BRANCH"
    fi
    mv "$root" "$dest"
    rm -rf "$tmp"
    log "Odoo $series source ready at $dest ($((SECONDS - started)) s)"
}

# The addons folders of an Odoo tree: addons/ in a checkout (Odoo's tarballs keep them inside odoo/addons,
# which Odoo always loads).
odoo_addons_path() {
    if [ -d "$ODOO_SRC/addons" ]; then echo "$ODOO_SRC/addons,$REPO_ROOT"; else echo "$REPO_ROOT"; fi
}
# The tests' addons path: ours and the test-only addons (tests/odoo_addons/).
odoo_test_addons_path() { echo "$(odoo_addons_path),$REPO_ROOT/tests/odoo_addons"; }

odoo_src_id() {
    if git -C "$ODOO_SRC" rev-parse HEAD >/dev/null 2>&1; then
        git -C "$ODOO_SRC" rev-parse HEAD
    else
        # extracted archive: identify it by release + a checksum of the core manifests
        cat "$ODOO_SRC/odoo/release.py" "$ODOO_SRC/requirements.txt" | sha1sum | cut -c1-12
    fi
}

psql_admin() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

db_exists() { [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname='$1'")" = 1 ]; }

# Filters an Odoo install/update log into progress lines ("module 12/57: sale_stock") while keeping warnings,
# errors and tracebacks; used with --log-level=warn --log-handler=odoo.modules.loading:INFO.
odoo_progress() {
    local line
    while IFS= read -r line; do
        case "$line" in
            *" INFO "*"Loading module "*)
                line=${line#*Loading module }
                printf '\033[1;34m[b2b %s]\033[0m   module %s: %s\n' "$(elapsed)" "$(echo "$line" | grep -Eo '[0-9]+/[0-9]+')" "${line%% *}" ;;
            *" INFO "*) ;;
            *) printf '%s\n' "$line" ;;
        esac
    done
}

odoo_bin() { "$PY" "$(odoo_launcher "$ODOO_SRC")" "$@"; }
