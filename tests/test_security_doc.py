"""docs/SECURITY.md prints the access matrix that the Odoo tier checks (each addon's
``tests/test_access_matrix.py``): the tables between its markers must be exactly those the declared matrices
render to. The matrices are read as literals, without importing Odoo.

After changing a matrix, rewrite the section with ``python tests/test_security_doc.py``."""

import ast
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "SECURITY.md"
MACHINERY = REPO / "b2b_connector_base" / "tests" / "access_matrix.py"
BEGIN = "<!-- access-matrix:begin (generated from the addons' tests/test_access_matrix.py) -->"
END = "<!-- access-matrix:end -->"
# the order of the README
ADDONS = ("b2b_connector_base", "b2b_edi_connector", "b2b_ecommerce_sync", "b2b_punchout", "b2b_invoice_attach",
          "b2b_ecommerce_invoice_attach", "b2b_shop_woocommerce", "b2b_shop_prestashop", "b2b_shop_magento2",
          "b2b_shop_shopify", "b2b_delivery_carrier", "b2b_delivery_colissimo", "b2b_delivery_chronopost",
          "b2b_delivery_dhl_parcel", "b2b_delivery_ecommerce", "b2b_sandbox")
OPS = {"r": "read", "w": "write", "c": "create", "u": "delete"}
FIELD_READ = {"r": "read", "m": "mask", "f": "read (1)"}
COMPANIES = {"company": "own companies", "company+shared": "own companies, shared", "global": "none (2)"}


def literal(path, name):
    """The value of the top-level assignment ``name = <literal>`` in ``path``."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise LookupError(f"{path}: no {name} = ...")


def matrices():
    return [literal(REPO / addon / "tests" / "test_access_matrix.py", "MATRIX") for addon in ADDONS]


def model_cell(code):
    if code == "rwcu":
        return "all"
    return ", ".join(OPS[op] for op in code if op != "-") or "—"


def field_cell(code):
    words = [FIELD_READ[code[0]]] if code[0] != "-" else []
    if code[1] == "w":
        words.append("write")
    return ", ".join(words) or "—"


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render(roles, matrices):
    out = ["Roles (each of one company; rights add up when a user has several groups):", ""]
    used = [role for role in roles if any(role in m["roles"] for m in matrices)]
    out += _table(["Column", "Who", "Groups"],
                  [[roles[r][0], roles[r][1], ", ".join(f"`{g}`" for g in roles[r][2].split(","))] for r in used])
    for matrix in matrices:
        titles = [roles[role][0] for role in matrix["roles"]]
        out += ["", f"### {matrix['title']}", ""]
        if matrix["models"]:
            out += _table(["Model", "Records of", *titles],
                          [[f"`{model}`", COMPANIES[companies], *map(model_cell, codes)]
                           for model, companies, *codes in matrix["models"]])
            out.append("")
        out += _table(["Model", "Fields", *titles],
                      [[f"`{model}`", f"{label}: " + ", ".join(f"`{f}`" for f in fnames), *map(field_cell, codes)]
                       for model, label, fnames, *codes in matrix["fields"]])
    out += ["", "(1) the payload and response of an exchange about a record (an order, a customer) only to who may "
            "read that record; (2) nothing in it belongs to a company."]
    return "\n".join(out)


def section(text):
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[start:end].strip("\n")


def expected():
    return render(literal(MACHINERY, "ROLES"), matrices())


def test_every_addon_declares_its_matrix():
    addons = sorted(p.parent.name for p in REPO.glob("*/__manifest__.py"))
    assert sorted(ADDONS) == addons, "an addon without its place in the access matrix (ADDONS here)"
    roles = literal(MACHINERY, "ROLES")
    for addon, matrix in zip(ADDONS, matrices(), strict=False):
        assert matrix["addon"] == addon
        assert set(matrix["roles"]) <= set(roles), addon
        for row in matrix["models"]:
            assert row[1] in COMPANIES and len(row) == 2 + len(matrix["roles"]), row
            assert all(len(c) == 4 and all(ch in f"{op}-" for ch, op in zip(c, "rwcu", strict=False))
                       for c in row[2:]), row
        for row in matrix["fields"]:
            assert isinstance(row[2], tuple) and len(row) == 3 + len(matrix["roles"]), row
            assert all(len(c) == 2 and c[0] in "rmf-" and c[1] in "w-" for c in row[3:]), row


def test_security_doc_prints_the_declared_matrix():
    assert section(DOC.read_text()) == expected(), (
        "docs/SECURITY.md does not print the declared access matrix: run python tests/test_security_doc.py")


if __name__ == "__main__":
    text = DOC.read_text()
    head, rest = text.split(BEGIN, 1)
    DOC.write_text(f"{head}{BEGIN}\n{expected()}\n{END}{rest.split(END, 1)[1]}")
    sys.stdout.write(f"{DOC.relative_to(REPO)}: access matrix rewritten\n")
