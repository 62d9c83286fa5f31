"""Every shop error our protocol packages write carries a stable code and an ``_lt`` template, so that the
Odoo layer shows it in the user's language and the log keeps the code (issue 17)."""

import ast
import pathlib
import re

import pytest

from odoo.addons.b2b_ecommerce_sync.protocol.errors import ShopError
from odoo.addons.b2b_shop_prestashop.protocol import RecordRefused

REPO = pathlib.Path(__file__).resolve().parents[2]
PACKAGES = ["b2b_ecommerce_sync/protocol", "b2b_shop_woocommerce/protocol", "b2b_shop_prestashop/protocol",
            "b2b_shop_magento2/protocol", "b2b_shop_shopify/protocol"]
ERRORS = {"ShopError", "RecordRefused"}
# raise sites whose whole text is the shop's own (no word of ours to translate): (file, function)
PEER_TEXT = {
    ("b2b_shop_shopify/protocol/catalogue.py", "_collection_write"),  # the userErrors of collectionUpdate
}


def _raise_sites():
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for function in ast.walk(tree):
                if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for node in ast.walk(function):
                    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ERRORS
                            and function.name != "__init__"):
                        yield str(path.relative_to(REPO)), function.name, node


def _problem(node):
    """What is wrong with one ``ShopError(...)`` call, or None."""
    args = node.args
    if len(args) == 2 and isinstance(args[0], ast.Attribute) and args[0].attr == "code":
        return None  # re-raised with the code, template and parameters of the caught error
    if len(args) != 2:
        return "no code (want ShopError(code, _lt(template), **params))"
    code, template = args
    if not (isinstance(code, ast.Constant) and isinstance(code.value, str) and code.value.startswith("shop.")):
        return "the code is not a 'shop.<platform>.<what>' literal"
    if not (isinstance(template, ast.Call) and getattr(template.func, "id", None) == "_lt"):
        return "the template is not marked with _lt()"
    if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in template.args):
        return "the template is not a plain string (an f-string cannot be translated)"
    names = {k.arg for k in node.keywords} - {"kind", "retryable", "status"}
    placeholders = set(re.findall(r"%\((\w+)\)s", "".join(a.value for a in template.args)))
    if placeholders != names:
        return f"placeholders {sorted(placeholders)} but parameters {sorted(names)}"
    return None


def test_every_shop_error_we_write_has_a_code_and_a_template():
    sites = list(_raise_sites())
    assert len(sites) > 100  # the walk finds them
    problems = [f"{path}:{node.lineno} ({function}): {problem}" for path, function, node in sites
                if (path, function) not in PEER_TEXT and (problem := _problem(node))]
    assert not problems, "\n".join(problems)


def test_the_peer_text_exceptions_are_still_peer_text():
    """An entry of PEER_TEXT that got a code of its own is to be removed from the list."""
    found = {(path, function) for path, function, node in _raise_sites() if _problem(node)}
    assert found == PEER_TEXT


@pytest.mark.parametrize("error", [ShopError, RecordRefused])
def test_a_coded_error_reads_in_english_and_keeps_its_parts(error):
    exc = error("shop.test.refused", "Shop refused %(what)s: %(error)s", what="order 12", error="no stock")
    assert str(exc) == "Shop refused order 12: no stock"
    assert (exc.code, exc.params) == ("shop.test.refused", {"what": "order 12", "error": "no stock"})
    assert exc.module == ""  # raised from the tests, not from an addon: nothing to translate with
