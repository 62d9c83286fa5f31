#!/usr/bin/env bash
# Installs everything b2b-connect needs, idempotently (a second run only checks and changes nothing):
#   Debian packages (PostgreSQL, wkhtmltopdf, Chromium, build headers), a running PostgreSQL cluster and
#   the "odoo" role, the Odoo 19 source (ODOO_SRC), the virtualenv .venv with Odoo's and our requirements
#   plus OCA queue_job from PyPI and the developer tools (requirements-dev.txt), and the local Odoo
#   configuration .local/odoo.conf.
#
# Usage: setup/install.sh [--pure-only]
#   --pure-only   when the Odoo source is absent and cannot be cloned, only prepare what the pure test tier
#                 needs instead of failing (used by setup/test.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PURE_ONLY=0
for arg in "$@"; do
    case "$arg" in
        --pure-only) PURE_ONLY=1 ;;
        *) die "unknown option $arg" ;;
    esac
done

# ---------------------------------------------------------------- Debian packages
APT_PACKAGES=(postgresql libpq-dev libldap2-dev libsasl2-dev wkhtmltopdf chromium python3-venv git)
missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]} (a minute or two)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# ---------------------------------------------------------------- PostgreSQL
if ! pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c && $4=="online"' | grep -q .; then
    log "starting PostgreSQL $PG_VERSION/$PG_CLUSTER"
    as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
fi
for _ in $(seq 1 30); do pg_isready -q -h "$DB_HOST" -p "$DB_PORT" && break; sleep 0.5; done
pg_isready -q -h "$DB_HOST" -p "$DB_PORT" || die "PostgreSQL does not answer on $DB_HOST:$DB_PORT"
if ! psql_admin -c "SELECT 1" >/dev/null 2>&1; then
    log "creating PostgreSQL role $DB_USER"
    as_root su postgres -c "psql -qc \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='$DB_USER') THEN CREATE ROLE $DB_USER WITH LOGIN CREATEDB PASSWORD '$DB_PASSWORD'; END IF; END\\\$\\\$\""
    psql_admin -c "SELECT 1" >/dev/null || die "cannot log in to PostgreSQL as $DB_USER on $DB_HOST:$DB_PORT"
fi

# ---------------------------------------------------------------- Odoo source
# Three ways, in this order: a tree at ODOO_SRC, an Odoo source archive (ODOO_ARCHIVE), a clone of the
# official branch. Whatever is used is checked to be Odoo 19.0 before anything runs on it.
if [ -e "$ODOO_SRC" ] && ! have_odoo_src; then
    die "$ODOO_SRC exists but is not an Odoo source tree (no odoo-bin or odoo/release.py); move it away or set ODOO_SRC"
fi
if ! have_odoo_src; then
    if [ -n "$ODOO_ARCHIVE" ] && [ -f "$ODOO_ARCHIVE" ]; then
        unpack_odoo_archive "$ODOO_ARCHIVE" "$ODOO_SRC"
    elif [ -n "$ODOO_ARCHIVE" ] && [ "$PURE_ONLY" = 0 ]; then
        die "ODOO_ARCHIVE=$ODOO_ARCHIVE: no such file"
    elif git ls-remote --exit-code --heads "$ODOO_GIT_URL" "$ODOO_BRANCH" >/dev/null 2>&1 </dev/null; then
        log "cloning Odoo $ODOO_BRANCH into $ODOO_SRC (this takes a while)"
        git clone --quiet --depth 1 --branch "$ODOO_BRANCH" "$ODOO_GIT_URL" "$ODOO_SRC"
    elif [ "$PURE_ONLY" = 1 ]; then
        warn "no Odoo source: not at $ODOO_SRC, no archive${ODOO_ARCHIVE:+ at $ODOO_ARCHIVE}, $ODOO_GIT_URL unreachable: preparing the pure tier only"
    else
        die "No Odoo $ODOO_BRANCH source. Provide it in one of three ways, then run this again:
      1. an Odoo $ODOO_BRANCH source tree:   export ODOO_SRC=/path/to/odoo   (default /opt/odoo-src)
      2. Odoo's source tarball (.tar.xz or .tar.gz, e.g. the official nightly odoo_$ODOO_BRANCH.latest.tar.gz):
                                         export ODOO_ARCHIVE=/path/to/odoo-$ODOO_BRANCH-src.tar.xz
      3. network access to $ODOO_GIT_URL (cloned into \$ODOO_SRC)"
    fi
fi
if have_odoo_src; then
    check_odoo_src || die "$ODOO_SRC is not a usable Odoo $ODOO_BRANCH source tree (see above)"
fi

# ---------------------------------------------------------------- virtualenv
if [ ! -x "$PY" ]; then
    log "creating virtualenv $VENV"
    python3 -m venv "$VENV"
fi
req_files=("$REPO_ROOT/requirements.txt")
have_odoo_src && req_files+=("$ODOO_SRC/requirements.txt")
stamp_id=$( { cat "${req_files[@]}"; echo "$QUEUE_JOB_SPEC"; "$PY" -V; } | sha1sum | cut -c1-16)
stamp="$VENV/.b2b-installed-$stamp_id"
if [ ! -f "$stamp" ]; then
    log "installing Python requirements into $VENV (a few minutes the first time)"
    pip_quiet install -q -U "pip>=24" "setuptools<81" wheel
    constraint="$VENV/.build-constraints.txt"
    echo 'setuptools<81' > "$constraint"
    if have_odoo_src; then
        # --build-constraint needs pip >= 25.3; older pips get the same effect from PIP_CONSTRAINT
        log "  Odoo's requirements ($ODOO_SRC/requirements.txt)"
        if pip_quiet install --help | grep -q -- '--build-constraint'; then
            pip_quiet install -q --build-constraint "$constraint" -r "$ODOO_SRC/requirements.txt"
        else
            PIP_CONSTRAINT="$constraint" pip_quiet install -q -r "$ODOO_SRC/requirements.txt"
        fi
    fi
    log "  b2b-connect's requirements (requirements.txt)"
    pip_quiet install -q -r "$REPO_ROOT/requirements.txt"
    if have_odoo_src; then
        log "  OCA queue_job ($QUEUE_JOB_SPEC)"
        # OCA queue_job from PyPI; its "odoo" requirement is met by the source tree, not by a PyPI package.
        pip_quiet install -q --no-deps "$QUEUE_JOB_SPEC"
        rm -f "$VENV"/.b2b-installed-*
        touch "$stamp"
    fi
fi
# the developer tools (requirements-dev.txt: ruff, pylint-odoo), run by setup/test.sh's lint tier; a stamp of
# their own so that clones without the file keep theirs
if [ -f "$REPO_ROOT/requirements-dev.txt" ]; then
    dev_stamp="$VENV/.b2b-dev-installed-$( { cat "$REPO_ROOT/requirements-dev.txt"; "$PY" -V; } | sha1sum | cut -c1-16)"
    if [ ! -f "$dev_stamp" ]; then
        log "  b2b-connect's developer tools (requirements-dev.txt)"
        pip_quiet install -q -r "$REPO_ROOT/requirements-dev.txt"
        rm -f "$VENV"/.b2b-dev-installed-*
        touch "$dev_stamp"
    fi
fi

# ---------------------------------------------------------------- Odoo configuration
mkdir -p "$LOCAL_DIR"
keyfile="$SECRET_KEY_FILE"
mkdir -p "$(dirname "$keyfile")" "$CACHE_DIR"
if [ ! -s "$keyfile" ]; then
    # The Fernet key that encrypts B2B credentials: it lives in odoo.conf, never in the database.
    ( umask 077; "$PY" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > "$keyfile" )
fi
write_conf() {  # $1 file  $2 http port  $3 data dir  $4 extra  $5 addons path
    local tmp; tmp=$(mktemp)
    cat > "$tmp" <<EOF
[options]
addons_path = $5
data_dir = $3
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = $DB_PASSWORD
http_interface = 127.0.0.1
http_port = $2
server_wide_modules = base,web,queue_job
$4

[queue_job]
channels = root:2

[b2b_connector]
# Fernet key(s) encrypting B2B credentials (comma-separated for rotation, newest first)
secret_key = $(cat "$keyfile")
EOF
    if ! cmp -s "$tmp" "$1"; then mv "$tmp" "$1"; chmod 600 "$1"; log "wrote $1"; else rm -f "$tmp"; fi
}
if have_odoo_src; then
    write_conf "$LOCAL_DIR/odoo.conf" "$HTTP_PORT" "$LOCAL_DIR/data" "dbfilter = ^$DEMO_DB\$
list_db = False" "$(odoo_addons_path)"
    # the tests also see the test-only addons of tests/odoo_addons/ (installed by setup/test.sh, B2B_TEST_ADDONS)
    write_conf "$LOCAL_DIR/odoo-test.conf" "$TEST_HTTP_PORT" "$CACHE_DIR/test-data" "list_db = False
max_cron_threads = 0" "$(odoo_test_addons_path)"
fi
exit 0
