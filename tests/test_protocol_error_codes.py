"""Every raise of the protocol errors the Odoo layer translates passes a code, an ``_lt`` English template and
the parameters the template names (issue 17): found by walking the code, so a new raise without them fails."""

import ast
import pathlib
import re

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
FILES = sorted([
    REPO / "b2b_connector_base/lib/safe_xml.py",
    *REPO.glob("b2b_punchout/protocol/*.py"),
    *REPO.glob("b2b_punchout/protocol/cxml/*.py"),
    REPO / "b2b_invoice_attach/protocol/baselinker.py",
])
ERRORS = {"PunchoutError", "InputError", "OCIError", "CXMLError", "PeppolError", "BaseLinkerError", "XMLInputError",
          "XMLSizeError", "XMLSecurityError", "XMLSyntaxError"}
IMPLICIT = {"BaseLinkerError": {"method"}}  # a parameter of every template of the class
PEER_CODES = {"BaseLinkerError"}  # an ERROR answer keeps BaseLinker's own error_code (a variable)
CODE_RE = re.compile(r"^([a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+|ERROR_[A-Z_]+)$")
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)s")


def _raises(path):
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ERRORS:
                yield name, node.exc


def _is_reraise(call):
    # ``XError(exc.code, exc.message_en, **exc.params)``: another error's code, template and parameters
    return (len(call.args) == 2 and all(isinstance(a, ast.Attribute) for a in call.args)
            and [a.attr for a in call.args] == ["code", "message_en"]
            and any(k.arg is None for k in call.keywords))


def test_the_walk_finds_the_raises():
    assert sum(1 for path in FILES for _ in _raises(path)) > 40


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_raise_passes_a_code_a_template_and_its_parameters(path):
    problems = []
    for name, call in _raises(path):
        where = f"{path.relative_to(REPO)}:{call.lineno} {name}"
        if _is_reraise(call):
            continue
        if len(call.args) != 2:
            problems.append(f"{where}: not (code, _lt(template))")
            continue
        code, message = call.args
        peer_code = name in PEER_CODES and isinstance(code, ast.Name)
        if not peer_code and not (isinstance(code, ast.Constant) and isinstance(code.value, str)
                                  and CODE_RE.match(code.value)):
            problems.append(f"{where}: the code is no constant like 'xml.size' or 'ERROR_BAD_ANSWER'")
        if not (isinstance(message, ast.Call) and getattr(message.func, "id", "") == "_lt" and len(message.args) == 1
                and isinstance(message.args[0], ast.Constant) and isinstance(message.args[0].value, str)):
            problems.append(f"{where}: the message is no _lt(\"...\") template")
            continue
        named = set(PLACEHOLDER_RE.findall(message.args[0].value))
        given = {k.arg for k in call.keywords if k.arg} | IMPLICIT.get(name, set())
        if named - given:
            problems.append(f"{where}: the template names {sorted(named - given)} but the raise does not pass them")
        if not named and "%" in message.args[0].value:
            problems.append(f"{where}: positional placeholder in the template")
    assert not problems, "\n".join(problems)
