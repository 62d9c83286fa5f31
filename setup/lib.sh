# shellcheck shell=bash
# Shared settings and helpers for the set-up, start and test scripts. Sourced, never run.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo-src}"
ODOO_BRANCH="${ODOO_BRANCH:-19.0}"
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
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
B2B_ADDONS="b2b_connector_base,b2b_sandbox,b2b_edi_connector,b2b_ecommerce_sync,b2b_punchout,b2b_invoice_attach"
# Odoo addons our addons depend on: pre-installed in the test template database.
B2B_TEMPLATE_MODULES="base,web,mail,contacts,queue_job,account,purchase,purchase_stock,stock,sale_management,sale_stock,stock_delivery,website_sale"

export PGPASSWORD="$DB_PASSWORD"

log()  { printf '\033[1;34m[b2b]\033[0m %s\n' "$*"; }
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

have_odoo_src() { [ -f "$ODOO_SRC/odoo-bin" ] && [ -f "$ODOO_SRC/odoo/release.py" ]; }

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

odoo_bin() { "$PY" "$ODOO_SRC/odoo-bin" "$@"; }
