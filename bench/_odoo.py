"""Harness for benchmark scripts that need a real Odoo (database, in-process ORM, HTTP server).

Same settings as setup/lib.sh: Odoo from ``ODOO_SRC`` (default /opt/odoo-src), the project's .venv
python, the configuration in .local/odoo-test.conf (database, addons path, data_dir, secret key).

    import _odoo
    _odoo.require()                                  # prints "SKIPPED: ..." and exits 0 without prerequisites
    _odoo.ensure_database("b2b_bench", modules=("b2b_connector_base", "b2b_punchout"))
    with _odoo.odoo_env("b2b_bench") as env: ...     # superuser Environment; commit on success
    with _odoo.odoo_server("b2b_bench") as url: ...  # odoo-bin on a free port, stopped afterwards
    _odoo.report("label", seconds)                   # n, p50, p95, max in ms

``ensure_database`` clones the newest ``b2b_tpl_*`` template built by ``setup/test.sh odoo`` (Odoo and the
standard addons pre-installed, no demo data), then installs the addons (``-i``), or updates them (``-u``)
when their version or their data files (.py/.xml/.csv) changed since the last install.
"""

import configparser
import contextlib
import fcntl
import hashlib
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

REPO = pathlib.Path(__file__).resolve().parent.parent
ODOO_SRC = pathlib.Path(os.environ.get("ODOO_SRC", "/opt/odoo-src"))
VENV = pathlib.Path(os.environ.get("B2B_VENV", REPO / ".venv"))
LOCAL_DIR = pathlib.Path(os.environ.get("B2B_LOCAL_DIR", REPO / ".local"))
CONF = LOCAL_DIR / "odoo-test.conf"
PY = VENV / "bin" / "python"
FINGERPRINT_KEY = "b2b_bench.addons_fingerprint"
# the bench database; another name keeps one run apart from a colleague's on the same PostgreSQL
BENCH_DB = os.environ.get("B2B_BENCH_DB") or "b2b_bench"


def log(message):
    print(f"[bench] {message}", flush=True)


def skip(reason):
    """One clear line, exit 0: bench/run_all.sh goes on with the next script."""
    print(f"SKIPPED: {reason}", flush=True)
    sys.exit(0)


# ---------------------------------------------------------------------- settings and PostgreSQL
def _conf():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(CONF)
    opts = dict(parser["options"]) if parser.has_section("options") else {}
    return {
        "host": opts.get("db_host") or os.environ.get("B2B_DB_HOST", "127.0.0.1"),
        "port": int(opts.get("db_port") or os.environ.get("B2B_DB_PORT", 5432)),
        "user": opts.get("db_user") or os.environ.get("B2B_DB_USER", "odoo"),
        "password": opts.get("db_password") or os.environ.get("B2B_DB_PASSWORD", "odoo"),
        "data_dir": pathlib.Path(opts.get("data_dir") or pathlib.Path.home() / ".local/share/Odoo"),
    }


def _connect(dbname="postgres"):
    import psycopg2  # noqa: PLC0415  (Odoo's requirement, in .venv)

    c = _conf()
    cnx = psycopg2.connect(host=c["host"], port=c["port"], user=c["user"], password=c["password"], dbname=dbname,
                           connect_timeout=5)
    cnx.autocommit = True
    return cnx


def _query(sql, params=(), dbname="postgres"):
    cnx = _connect(dbname)
    try:
        with cnx.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall() if cr.description else []
    finally:
        cnx.close()


def db_exists(name):
    return bool(_query("SELECT 1 FROM pg_database WHERE datname = %s", [name]))


def newest_template():
    rows = _query(r"SELECT datname FROM pg_database WHERE datname LIKE 'b2b\_tpl\_%%' "
                  r"AND datname NOT LIKE '%%\_building' ORDER BY oid DESC LIMIT 1")
    return rows[0][0] if rows else None


def _filestore(name):
    return _conf()["data_dir"] / "filestore" / name


def require(dbname=BENCH_DB):
    """Exit 0 with one "SKIPPED: ..." line when Odoo, its configuration, PostgreSQL or a template is missing."""
    if not ((ODOO_SRC / "odoo-bin").is_file() and (ODOO_SRC / "odoo" / "release.py").is_file()):
        skip(f"no Odoo source at {ODOO_SRC} (see README.md to provide it)")
    if not PY.exists():
        skip(f"no virtualenv at {VENV} (run setup/install.sh)")
    if not CONF.is_file():
        skip(f"no Odoo configuration {CONF} (run setup/install.sh)")
    try:
        import psycopg2  # noqa: F401,PLC0415
    except ImportError:
        skip("psycopg2 is not importable: run the script with .venv/bin/python")
    try:
        has_db = db_exists(dbname)
    except Exception as exc:  # noqa: BLE001
        skip(f"PostgreSQL is not reachable ({str(exc).strip().splitlines()[0]})")
    if not has_db and not newest_template():
        skip("no b2b_tpl_* template database: run `setup/test.sh odoo` once")


# ---------------------------------------------------------------------- the database
def _addon_closure(modules):
    """The given addons and the repository addons they depend on, in no particular order."""
    seen, todo = set(), list(modules)
    while todo:
        name = todo.pop()
        manifest = REPO / name / "__manifest__.py"
        if name in seen or not manifest.is_file():
            continue
        seen.add(name)
        todo.extend(eval(manifest.read_text(), {"__builtins__": {}}).get("depends", []))  # noqa: S307 - our manifests
    return sorted(seen)


def _manifest_version(name):
    manifest = eval((REPO / name / "__manifest__.py").read_text(), {"__builtins__": {}})  # noqa: S307
    version = manifest.get("version", "1.0")
    return version if version.startswith("19.0.") else f"19.0.{version}"


def _fingerprint(modules):
    """What a module update depends on: models, views, data, access rights (tests excluded)."""
    digest = hashlib.sha1()
    for name in _addon_closure(modules):
        root = REPO / name
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if path.is_file() and path.suffix in (".py", ".xml", ".csv") and "tests" not in rel.parts:
                digest.update(f"{name}/{rel}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _module_states(dbname, modules):
    rows = _query("SELECT name, state, latest_version FROM ir_module_module WHERE name = ANY(%s)",
                  [list(modules)], dbname=dbname)
    return {name: (state, version) for name, state, version in rows}


def _stored_fingerprint(dbname):
    rows = _query("SELECT value FROM ir_config_parameter WHERE key = %s", [FINGERPRINT_KEY], dbname=dbname)
    return rows[0][0] if rows else None


def _store_fingerprint(dbname, value):
    _query("INSERT INTO ir_config_parameter (key, value, create_uid, write_uid, create_date, write_date) "
           "VALUES (%s, %s, 1, 1, now() at time zone 'UTC', now() at time zone 'UTC') "
           "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, write_date = EXCLUDED.write_date",
           [FINGERPRINT_KEY, value], dbname=dbname)


def drop_database(name):
    # our role's sessions only: PostgreSQL's own (autovacuum) are not ours to end, DROP DATABASE stops them
    _query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
           "AND usename = current_user", [name])
    _query(f'DROP DATABASE IF EXISTS "{name}"')
    shutil.rmtree(_filestore(name), ignore_errors=True)


def settle_database(name):
    """Bring the tables of database ``name`` to the state of a database in use, and keep them there during the
    bench: vacuumed (FULL: the dead rows of the bench's rolled-back runs gone), analysed, and left alone by
    autovacuum. A bench rolls back its runs (thousands of rows in a few tables); autovacuum would then record
    those tables as (nearly) empty at a moment of its own choosing, and PostgreSQL would plan the next run's
    queries on that - the figures of a run would depend on when autovacuum woke up. The copies bench_scale
    makes keep the setting (CREATE DATABASE ... TEMPLATE)."""
    rows = _query("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "WHERE n.nspname = 'public' AND c.relkind = 'r' AND pg_has_role(c.relowner, 'USAGE') "
                  "AND NOT coalesce('autovacuum_enabled=false' = ANY(c.reloptions), false)", dbname=name)
    if rows:
        cnx = _connect(name)
        try:
            with cnx.cursor() as cr:
                for (table,) in rows:
                    cr.execute(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false)')
        finally:
            cnx.close()
    _query("VACUUM (FULL, ANALYZE)", dbname=name)


def _clone_template(name):
    template = newest_template()
    if not template:
        print(f"[bench] no b2b_tpl_* template database to clone {name} from: run `setup/test.sh odoo` once "
              "(it builds the template with Odoo and the standard addons)", file=sys.stderr, flush=True)
        sys.exit(2)
    log(f"creating database {name} from template {template}")
    for attempt in range(30):  # a test run may be cloning the same template right now
        try:
            _query(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            break
        except Exception as exc:  # noqa: BLE001
            if "being accessed by other users" not in str(exc) or attempt == 29:
                raise
            time.sleep(1)
    source = _filestore(template)
    if source.is_dir():
        target = _filestore(name)
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, symlinks=True)


def odoo_bin_command(*args):
    return [str(PY), str(ODOO_SRC / "odoo-bin"), "-c", str(CONF), *args]


def ensure_database(name=BENCH_DB, modules=("b2b_connector_base", "b2b_punchout"), reset=False):
    """The database ``name`` with ``modules`` installed and up to date (no demo data); returns ``name``."""
    LOCAL_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOCAL_DIR / f"bench-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two bench scripts must not install into the same database at once
        if reset and db_exists(name):
            log(f"dropping database {name} (reset)")
            drop_database(name)
        if not db_exists(name):
            _clone_template(name)
        states = _module_states(name, modules)
        install = [m for m in modules if states.get(m, ("uninstalled",))[0] in ("uninstalled", "uninstallable")]
        fingerprint = _fingerprint(modules)
        outdated = [m for m in modules if m not in install and (
            states[m][0] != "installed" or states[m][1] != _manifest_version(m))]
        if not install and not outdated and _stored_fingerprint(name) != fingerprint:
            outdated = list(modules)  # code or data changed since the last install: update
        if not install and not outdated:
            log(f"database {name}: {', '.join(modules)} installed and up to date")
            return name
        args = ["-d", name, "--stop-after-init", "--no-http", "--max-cron-threads", "0", "--log-level", "warn"]
        if install:
            args += ["-i", ",".join(install)]
        if outdated:
            args += ["-u", ",".join(outdated)]
        logfile = LOCAL_DIR / f"bench-{name}.log"
        what = "; ".join(filter(None, [install and f"installing {','.join(install)}",
                                       outdated and f"updating {','.join(outdated)}"]))
        log(f"database {name}: {what} (log: {logfile})")
        start = time.perf_counter()
        with open(logfile, "w") as out:
            rc = subprocess.call(odoo_bin_command(*args), stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
        text = logfile.read_text(errors="replace")
        states = _module_states(name, modules)
        bad = [m for m in modules if states.get(m, ("missing",))[0] != "installed"]
        errors = [line for line in text.splitlines() if " ERROR " in line or " CRITICAL " in line]
        if rc != 0 or bad or errors:
            print("\n".join(text.splitlines()[-40:]), file=sys.stderr)
            print(f"[bench] odoo-bin failed (exit {rc}, not installed: {bad or 'none'}, {len(errors)} ERROR lines); "
                  f"full log in {logfile}", file=sys.stderr, flush=True)
            sys.exit(1)
        _store_fingerprint(name, fingerprint)
        log(f"database {name}: ready in {time.perf_counter() - start:.0f} s")
        return name


# ---------------------------------------------------------------------- Odoo in this process
_odoo_ready = False


def import_odoo(log_level="warn"):
    """Make Odoo importable in this process (configuration parsed once); returns the odoo package."""
    global _odoo_ready
    if str(ODOO_SRC) not in sys.path:
        sys.path.insert(0, str(ODOO_SRC))
    import odoo  # noqa: PLC0415

    if not _odoo_ready:
        from odoo.tools import config  # noqa: PLC0415

        config.parse_config(["-c", str(CONF), "--log-level", log_level], setup_logging=True)
        _odoo_ready = True
    return odoo


@contextlib.contextmanager
def odoo_env(dbname, context=None):
    """A superuser ``Environment`` on ``dbname`` in this process; commits on success, rolls back on error."""
    import_odoo()
    from odoo import api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    registry = Registry(dbname).check_signaling()  # reloads when the server changed something meanwhile
    cr = registry.cursor()
    try:
        env = api.Environment(cr, api.SUPERUSER_ID, dict(context or {}))
        yield env
        env.flush_all()
        cr.commit()
        registry.signal_changes()  # a running server drops the caches this changed
    except BaseException:
        cr.rollback()
        registry.reset_changes()
        raise
    finally:
        cr.close()


# ---------------------------------------------------------------------- Odoo as a server
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc):
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@contextlib.contextmanager
def odoo_server(dbname, port=None, timeout=180, extra_args=(), ready_log=None):
    """``odoo-bin`` serving ``dbname`` on a free port (threaded, no cron); yields its base URL once it answers
    (and, with ``ready_log``, once its log holds that text, e.g. the queue_job runner's "ready" line)."""
    port = port or free_port()
    logfile = tempfile.NamedTemporaryFile(prefix=f"odoo-bench-{dbname}-", suffix=".log", delete=False)
    cmd = odoo_bin_command("-d", dbname, "--http-interface", "127.0.0.1", "--http-port", str(port),
                           "--max-cron-threads", "0", "--workers", "0", *extra_args)
    url = f"http://127.0.0.1:{port}"
    log(f"starting Odoo on {url} (log: {logfile.name})")
    proc = subprocess.Popen(cmd, stdout=logfile, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True)
    # our own process group: Ctrl-C reaches this script, which stops the server in order (below)
    previous = signal.getsignal(signal.SIGTERM)

    def _on_term(signum, frame):
        raise KeyboardInterrupt

    if threading_main():
        signal.signal(signal.SIGTERM, _on_term)
    clean = False
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                logfile.flush()
                tail = pathlib.Path(logfile.name).read_text(errors="replace").splitlines()[-30:]
                raise RuntimeError(f"Odoo exited with code {proc.returncode} before answering:\n" + "\n".join(tail))
            try:
                with urllib.request.urlopen(f"{url}/web/login", timeout=30) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"Odoo did not answer {url}/web/login within {timeout} s (log: {logfile.name})")
            time.sleep(0.25)
        while ready_log and ready_log not in pathlib.Path(logfile.name).read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Odoo did not log {ready_log!r} within {timeout} s (log: {logfile.name})")
            time.sleep(0.25)
        log(f"Odoo answers on {url}")
        yield url
        clean = True
    finally:
        _stop(proc)
        logfile.close()
        if threading_main():
            signal.signal(signal.SIGTERM, previous)
        errors = [line for line in pathlib.Path(logfile.name).read_text(errors="replace").splitlines()
                  if " ERROR " in line or " CRITICAL " in line]
        if clean and not errors:
            os.unlink(logfile.name)
        else:
            log(f"Odoo server log kept: {logfile.name} ({len(errors)} ERROR line(s))")


def threading_main():
    import threading  # noqa: PLC0415

    return threading.current_thread() is threading.main_thread()


# ---------------------------------------------------------------------- figures
def percentile(values, p):
    """The p-th percentile (0-100) with linear interpolation between the closest ranks."""
    data = sorted(values)
    if not data:
        return float("nan")
    k = (len(data) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


def report(label, values, unit="ms", scale=1000.0, extra=""):
    """One line: ``label: n=.., p50 .., p95 .., max .. ms`` (values in seconds, printed in ``unit``)."""
    v = [x * scale for x in values]
    print(f"{label}: n={len(v)}  p50 {percentile(v, 50):7.1f} {unit}  p95 {percentile(v, 95):7.1f} {unit}  "
          f"max {max(v) if v else float('nan'):7.1f} {unit}{('  ' + extra) if extra else ''}", flush=True)
