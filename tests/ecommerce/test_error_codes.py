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


def _result_sites():
    """(file, line, the ``error=`` value) of every ``Result(...)`` our adapters write with an error."""
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
                func = node.func if isinstance(node, ast.Call) else None
                name = getattr(func, "id", None) or getattr(func, "attr", None)
                if name == "Result":
                    for keyword in node.keywords:
                        if keyword.arg == "error":
                            yield str(path.relative_to(REPO)), node.lineno, keyword.value


def test_no_record_is_refused_in_words_of_ours_that_cannot_be_translated():
    """A record an adapter refuses in its own words gives ``Result(error=ShopError(code, _lt(...)))``; a plain
    string is the shop's own text (a variable), never a sentence of ours (which the user would read in English)."""
    sites = list(_result_sites())
    assert len(sites) > 20  # the walk finds them
    ours = [f"{path}:{line}" for path, line, value in sites
            if isinstance(value, ast.JoinedStr) or (isinstance(value, ast.Constant) and value.value)
            # str(exc) drops the code and template of a ShopError: pass the error itself
            or (isinstance(value, ast.Call) and getattr(value.func, "id", None) == "str")]
    assert not ours, "\n".join(ours)


def test_a_result_refused_by_a_coded_error_keeps_it_for_the_odoo_layer():
    from odoo.addons.b2b_ecommerce_sync.protocol.model import Result  # noqa: PLC0415

    exc = RecordRefused("shop.test.no_product", "no product %(sku)s", sku="A-1")
    refused = Result("A-1", error=exc)
    assert (refused.ok, refused.error, refused.problem) == (False, "no product A-1", exc)
    told = Result("A-1", error="Invalid ID.")  # the shop's own words: as they are, nothing to translate
    assert (told.ok, told.error, told.problem) == (False, "Invalid ID.", None)
    assert Result("A-1", remote_id="7", error="").ok
    from odoo.addons.b2b_connector_base.lib.errors import Phrase  # noqa: PLC0415

    second = RecordRefused("shop.test.no_image", "image %(image)s refused", image="a.png")
    both = Result("A-1", remote_id="7", error=Phrase.join([exc, second], "; "))  # each part translated later
    assert (both.ok, both.error) == (False, "no product A-1; image a.png refused")
    assert both.problem.params == {"p0": exc, "p1": second}
