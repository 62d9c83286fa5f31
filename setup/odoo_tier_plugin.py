"""pytest plugin of the Odoo tier (``setup/test.sh odoo``), loaded on top of pytest-odoo with ``-p odoo_tier_plugin``.

pytest-odoo runs Odoo's test classes with pytest's unittest support on an installed database. Odoo's own
runner (``odoo-bin --test-enable``) decides more than that, and so does our tier; this plugin keeps both:

* the tests are the ones Odoo would run: test modules imported by the addon's ``tests/__init__.py``, classes
  defined in that module, their own ``test*`` methods (inherited ones only with ``allow_inherited_tests_method``),
  selected by Odoo's tags (``--b2b-test-tags``, Odoo's ``--test-tags`` syntax; default ``standard``) and
  being ``at_install`` or ``post_install``. Everything else pytest collected is deselected, and a test Odoo
  would run that pytest did not collect is an error, so both runners run the same tests;
* ``at_install`` tests run before ``post_install`` ones, each group in ``test_sequence`` order (Odoo's);
* an ERROR or CRITICAL log record emitted while a test runs (its class set-up and tear-down included, from
  any thread, e.g. the HTTP server's) fails that test, as the tier's log check always did under Odoo's runner:
  expected errors are wrapped in ``mute_logger(...)`` / ``assertLogs``, whose loggers then never reach the
  root logger; one emitted outside any test (e.g. while importing test modules) fails the session;
* a skipped test fails the session: a browser test skipped for lack of Chromium is not a pass;
* OCA queue_job's runner thread stays off (``odoo-bin --test-enable`` never starts it): pytest-odoo's HTTP
  server would otherwise start it, and it would run the jobs tests leave behind.
"""

import logging
import os

import pytest

_FORMAT = logging.Formatter("%(levelname)s %(name)s: %(message)s")


def pytest_addoption(parser):
    group = parser.getgroup("b2b-odoo", "b2b-connect Odoo tier")
    group.addoption(
        "--b2b-test-tags",
        default="",
        help="select tests as Odoo's --test-tags does (e.g. /b2b_sandbox:TestSandboxBackend.test_x); default: standard",
    )


def _active(config):
    return config.pluginmanager.hasplugin("odoo") and bool(config.getoption("--odoo-database", None))


class _ErrorCatcher(logging.Handler):
    """Collects ERROR/CRITICAL records; test phases take what was emitted while they ran."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []
        self.outside = []  # emitted while no test was running
        self.in_test = False

    def emit(self, record):
        (self.records if self.in_test else self.outside).append(record)

    def take(self):
        records, self.records = self.records, []
        return records


def _describe(records):
    return "\n".join(_FORMAT.format(r) for r in records)


class OdooTierPlugin:
    def __init__(self):
        self.catcher = _ErrorCatcher()
        self.skipped = []

    # ------------------------------------------------------------ set-up
    @pytest.hookimpl(trylast=True)
    def pytest_configure(self, config):
        logging.getLogger().addHandler(self.catcher)
        # pytest-odoo's default log level (critical) would drop the ERROR records the rule is about
        for name in ("odoo", "werkzeug"):
            logger = logging.getLogger(name)
            if logger.level > logging.ERROR:
                logger.setLevel(logging.ERROR)
        # read by queue_job's runner when the HTTP server starts: capacity 0, no runner thread
        os.environ["ODOO_QUEUE_JOB_CHANNELS"] = "root:0"

    def pytest_unconfigure(self, config):
        logging.getLogger().removeHandler(self.catcher)

    # ------------------------------------------------------------ selection
    @pytest.hookimpl(tryfirst=True)
    def pytest_collection(self, session):
        """Odoo's test modules of each addon named on the command line, read before pytest imports any test
        file: once imported, a file the addon's tests/__init__.py forgot looks imported to Odoo's loader too."""
        from odoo.tests import loader  # noqa: PLC0415  (importable once pytest-odoo has configured Odoo)

        self.whole = set()  # addons whose whole tests/ folder (or addon folder) was given
        self.odoo_modules = {}  # addon -> names of the test modules Odoo's loader finds
        for arg in session.config.args:
            path = (session.config.invocation_params.dir / arg.split("::")[0]).resolve()
            addon = next((p for p in (path, *path.parents) if (p / "__manifest__.py").is_file()), None)
            if addon is None:
                continue
            if path in (addon, addon / "tests"):
                self.whole.add(addon.name)
            if addon.name not in self.odoo_modules:
                self.odoo_modules[addon.name] = loader.get_test_modules(addon.name)

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, session, config, items):
        from odoo.tests.loader import get_module_test_cases  # noqa: PLC0415
        from odoo.tests.tag_selector import TagsSelector  # noqa: PLC0415

        known = {m.__name__ for modules in self.odoo_modules.values() for m in modules}
        orphans = sorted({
            name for name in map(_module_name, items) if _addon_of(name) in self.odoo_modules and name not in known
        })
        if orphans:
            raise pytest.UsageError(
                f"not imported by their addon's tests/__init__.py, so Odoo never runs them: {', '.join(orphans)}")

        selector = TagsSelector(config.getoption("--b2b-test-tags") or "standard")
        positions = (TagsSelector("at_install"), TagsSelector("post_install"))
        expected = {}  # (module, class, method) -> sort key
        for modules in self.odoo_modules.values():
            for module in modules:
                for test in get_module_test_cases(module):
                    position = next((i for i, p in enumerate(positions) if p.check(test)), None)
                    if position is None or not selector.check(test):
                        continue
                    key = (module.__name__, type(test).__qualname__, test._testMethodName)
                    expected[key] = (position, getattr(test, "test_sequence", 0))

        kept, deselected, seen = [], [], set()
        for item in items:
            key = _key(item)
            if key in expected and key not in seen:
                seen.add(key)
                kept.append(item)
            else:
                deselected.append(item)
        # every test Odoo runs for an addon whose whole tests/ folder was given must have been collected
        missing = sorted(k for k in expected if k not in seen and _addon_of(k[0]) in self.whole)
        if missing:
            raise pytest.UsageError(
                "pytest did not collect {} test(s) Odoo runs (file names must match test_*.py):\n  {}".format(
                    len(missing), "\n  ".join(".".join(k) for k in missing)))
        order = {id(item): n for n, item in enumerate(kept)}
        kept.sort(key=lambda item: (*expected[_key(item)], order[id(item)]))
        if deselected:
            config.hook.pytest_deselected(items=deselected)
        items[:] = kept

    # ------------------------------------------------------------ ERROR log lines, skips
    def pytest_runtest_logstart(self, nodeid, location):
        self.catcher.take()
        self.catcher.in_test = True

    def pytest_runtest_logfinish(self, nodeid, location):
        self.catcher.in_test = False

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if call.when == "setup" and report.passed:
            return report  # what setUpClass/setUp logged fails the test after it ran, as under Odoo
        records = self.catcher.take()
        if records and report.outcome != "failed":
            report.outcome = "failed"
            report.longrepr = (
                f"{len(records)} ERROR/CRITICAL log line(s) while it ran (an expected error goes in "
                f"mute_logger(...)):\n{_describe(records)}"
            )
        return report

    def pytest_runtest_logreport(self, report):
        if report.skipped:
            self.skipped.append(report.nodeid)

    def pytest_terminal_summary(self, terminalreporter):
        if self.skipped:
            terminalreporter.write_line(
                f"FAILED: {len(self.skipped)} test(s) skipped; a skip is not a pass here (no Chromium? no "
                "websocket-client?)", red=True, bold=True)
        if self.catcher.outside:
            terminalreporter.write_line(
                f"FAILED: {len(self.catcher.outside)} ERROR/CRITICAL log line(s) outside any test:\n"
                f"{_describe(self.catcher.outside)}", red=True, bold=True)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        if (self.skipped or self.catcher.outside) and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _addon_of(module_name):
    """``b2b_x`` for ``odoo.addons.b2b_x.tests.test_y``."""
    parts = module_name.split(".")
    return parts[2] if len(parts) > 3 and parts[:2] == ["odoo", "addons"] else None


def _module_name(item):
    module = getattr(item, "module", None)
    return module.__name__ if module is not None else ""


def _key(item):
    cls = getattr(item, "cls", None)
    module = getattr(item, "module", None)
    if cls is None or module is None or cls.__module__ != module.__name__:
        return None  # not a class of that module: Odoo's loader would not run it there
    return (module.__name__, cls.__qualname__, item.name)


def pytest_configure(config):
    if _active(config):
        config.pluginmanager.register(OdooTierPlugin(), "b2b_odoo_tier")
