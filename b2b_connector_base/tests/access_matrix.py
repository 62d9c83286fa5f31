"""The access matrix: who may do what with each model and each sensitive field of our addons, declared as a
table in each addon's ``tests/test_access_matrix.py`` and checked here against the ORM, as each user.

A table (``MATRIX``, a plain literal: ``tests/test_security_doc.py`` reads it without Odoo and checks that
docs/SECURITY.md prints it) names the roles it covers and has two kinds of rows:

* ``models``: ``(model, companies, code per role)``. A code has one letter per operation, ``r`` read, ``w``
  write, ``c`` create, ``u`` unlink, ``-`` where it is refused (``"r--u"``: read and delete). ``companies`` says
  how the records of another company are kept apart: ``"company"`` (a record rule on ``company_id``: invisible
  outside the allowed companies), ``"company+shared"`` (the same, records without a company are everybody's),
  ``"global"`` (the model has no company: nothing in it belongs to one).
* ``fields``: ``(model, label, field names, code per role)``. A code is two letters: how the field reads (``r``
  its value, ``m`` only the mask of a secret, ``f`` the payload follows the related record, ``-`` refused) and
  whether it may be written and given on creation (``w``, ``-`` refused).

Every code is obtained for real: ``search``/``read``/``write``/``create``/``unlink`` as the role's user, each
in a savepoint that is rolled back, with an empty cache as in a request. A write writes the current value
back (nothing changes, the rights are what is tried; the rows of a one2many are updated with nothing); a
creation that passes the access checks and then fails a constraint counts as allowed.
"""

import contextlib

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from ..tools import SECRET_MASK

# role: (column title, description, groups of its user). Every user is of company A only (the manager of
# both companies of the company checks is extra).
ROLES = {
    "internal": ("Internal", "Internal user (base.group_user only)", "base.group_user"),
    "contacts": ("Contacts", "Internal user with Contact Creation", "base.group_user,base.group_partner_manager"),
    "sales": ("Sales", "Salesman (own documents), with Contact Creation",
              "sales_team.group_sale_salesman,base.group_partner_manager"),
    "purchase": ("Purchase", "Purchase user", "purchase.group_purchase_user"),
    "invoicing": ("Invoicing", "Invoicing user", "account.group_account_invoice"),
    "b2b_user": ("B2B User", "B2B User", "b2b_connector_base.group_b2b_user"),
    "b2b_manager": ("B2B Manager", "B2B Manager", "b2b_connector_base.group_b2b_manager"),
    "b2b_manager_contacts": ("Manager + Contacts", "B2B Manager with Contact Creation",
                             "b2b_connector_base.group_b2b_manager,base.group_partner_manager"),
    "stock": ("Stock", "Inventory user", "stock.group_stock_user"),
    "stock_manager": ("Stock Manager", "Inventory administrator", "stock.group_stock_manager"),
    "b2b_manager_stock": ("Manager + Stock", "B2B Manager and Inventory administrator",
                          "b2b_connector_base.group_b2b_manager,stock.group_stock_manager"),
    "portal": ("Portal", "Portal user", "base.group_portal"),
}
COMPANY_MODES = ("company", "company+shared", "global")
# the logs of refused accesses (INFO) and of the failing constraints tried on purpose
MUTE = ("odoo.models", "odoo.orm.models", "odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model",
        "odoo.sql_db")


class Fixture:
    """The records a row is tried on: ``a`` of company A (the one the roles work in), ``write`` and ``create``
    the values of a harmless write and a minimal creation; ``b`` a record of company B, ``create_b`` values
    creating one in company B, ``shared`` a record of no company (for ``company+shared``)."""

    def __init__(self, a, write=None, create=None, b=None, create_b=None, shared=None):
        self.a, self.write, self.create, self.b, self.create_b, self.shared = a, write, create, b, create_b, shared


class _Refused(Exception):
    pass


class AccessMatrixMixin:
    """Mix into a TransactionCase; set ``MATRIX`` and implement ``_matrix_fixtures()`` -> {model: Fixture}
    for every model of the table. The tests check every cell and that the table covers the addon."""

    MATRIX = None
    allow_inherited_tests_method = True  # Odoo's loader runs only the test methods of the class itself otherwise

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": f"Matrix Company B ({cls.MATRIX['addon']})"})
        prefix = cls.MATRIX["addon"].removeprefix("b2b_")
        cls.matrix_users = {
            role: new_test_user(cls.env, f"mx_{prefix}_{role}", groups=ROLES[role][2], company_id=cls.company_a.id,
                                company_ids=[cls.company_a.id], tz="UTC")
            for role in cls.MATRIX["roles"]
        }
        cls.manager_ab = new_test_user(
            cls.env, f"mx_{prefix}_manager_ab",
            groups="b2b_connector_base.group_b2b_manager,base.group_partner_manager", company_id=cls.company_a.id,
            company_ids=[cls.company_a.id, cls.company_b.id], tz="UTC")
        cls.fixtures = cls._matrix_fixtures()

    @classmethod
    def _matrix_fixtures(cls):
        raise NotImplementedError

    # ------------------------------------------------------------------ trying one thing
    def _allowed(self, func):
        """Run ``func`` in a savepoint that is always rolled back: False when refused with an AccessError."""
        self.env.invalidate_all()  # as in a request: nothing already in the cache spares an access check
        try:
            with contextlib.closing(self.env.cr.savepoint()), mute_logger(*MUTE):
                try:
                    func()
                    self.env.flush_all()
                except AccessError:
                    raise _Refused() from None
        except _Refused:
            return False
        finally:
            self.env.invalidate_all()
        return True

    def _allowed_create(self, model, user, vals, **context):
        """Whether ``user`` may create ``vals``: the access checks come before the constraints, so a creation
        refused by a constraint (the values of one field alone may not be a valid record) passed them."""

        def create():
            try:
                self.env[model].with_user(user).with_context(**context).create(dict(vals))
                self.env.flush_all()
            except (ValidationError, UserError) as exc:
                if isinstance(exc, AccessError):
                    raise
        return self._allowed(create)

    def _readable(self, record, user, **context):
        rec = record.with_user(user).with_context(active_test=False, **context)
        self.env.invalidate_all()
        try:
            with mute_logger(*MUTE):
                found = rec.search([("id", "=", record.id)])
                if found:
                    rec.read(["display_name"])
        except AccessError:
            return False
        return bool(found)

    # ------------------------------------------------------------------ the codes, as they are
    def _model_code(self, model, user):
        fx = self.fixtures[model]
        rec = fx.a.with_user(user)
        code = "r" if self._readable(fx.a, user) else "-"
        code += "w" if self._allowed(lambda: rec.write(dict(fx.write))) else "-"
        code += "c" if self._allowed_create(model, user, fx.create) else "-"
        code += "u" if self._allowed(lambda: rec.unlink()) else "-"
        return code

    def _write_value(self, record, fname, create=False):
        """The current value of ``fname`` on ``record`` as ``write`` (or ``create``) takes it."""
        field = record._fields[fname]
        if fname in self._secret_names(record):
            return SECRET_MASK if record.sudo()[f"{fname}_enc"] else False
        value = record.sudo()[fname]
        if field.type == "many2one":
            return value.id
        if field.type == "many2many":
            return [Command.set(value.ids)]
        if field.type == "one2many":
            # the rows are "updated" with nothing: the right to write them is tried too
            return [] if create else [Command.update(rid, {}) for rid in value.ids]
        return value

    @staticmethod
    def _secret_names(record):
        return record._b2b_secret_names() if hasattr(record, "_b2b_secret_names") else ()

    def _read_code(self, record, fname, user):
        rec = record.with_user(user)
        field = record._fields[fname]
        self.env.invalidate_all()
        try:
            with mute_logger(*MUTE):
                value = rec.read([fname])[0][fname]
                if field.store and field.column_type:
                    # a field one may not read is not searchable either (no guessing the value by searching)
                    rec.search_count([("id", "=", record.id), (fname, "!=", False)])
        except AccessError:
            return "-"
        if fname in self._secret_names(record):
            self.assertTrue(record.sudo()[f"{fname}_enc"], f"{record._name}.{fname}: the fixture sets every secret")
            return "m" if value == SECRET_MASK else "r"
        return "r"

    def _field_code(self, model, fname, user, create_allowed):
        fx = self.fixtures[model]
        record = fx.a
        field = record._fields[fname]
        code = self._read_code(record, fname, user)
        if code == "r" and self._payload_row(fname):
            code = self._payload_code(user)
        if field.compute and not field.inverse:
            return code + "-"  # nobody writes a computed field
        value = self._write_value(record, fname)
        written = self._allowed(lambda: record.with_user(user).write({fname: value}))
        if create_allowed and field.type != "one2many":  # a new record has no rows to try the rights on
            created = self._allowed_create(model, user, dict(fx.create, **{
                fname: self._write_value(record, fname, create=True)}))
            if created != written:
                return code + "?"  # written but not given on creation, or the reverse: never declared
        return code + ("w" if written else "-")

    # payloads: b2b_connector_base's test defines the fixtures (an exchange of no record, one of a record the
    # roles of company A cannot read)
    @staticmethod
    def _payload_row(fname):
        return fname == "payload_preview"

    def _payload_code(self, user):
        raise NotImplementedError

    # ------------------------------------------------------------------ the tests
    def _declared(self):
        matrix = self.MATRIX
        roles = matrix["roles"]
        self.assertLessEqual(set(roles), set(ROLES), "unknown roles")
        for row in matrix["models"]:
            self.assertEqual(len(row), 2 + len(roles), row)
            self.assertIn(row[1], COMPANY_MODES, row)
        for row in matrix["fields"]:
            self.assertEqual(len(row), 3 + len(roles), row)
            self.assertIsInstance(row[2], tuple, row)
        return matrix, roles

    def _fail_on(self, mismatches, what):
        if mismatches:
            lines = "\n".join(f"  {row:<60} {role:<22} declared {declared!r:8} is {actual!r}"
                              for row, role, declared, actual in mismatches)
            self.fail(f"the {what} of the access matrix ({self.MATRIX['addon']}) differ from reality:\n{lines}")

    def test_matrix_models(self):
        matrix, roles = self._declared()
        mismatches = []
        for model, _companies, *codes in matrix["models"]:
            for role, declared in zip(roles, codes, strict=False):
                actual = self._model_code(model, self.matrix_users[role])
                if actual != declared:
                    mismatches.append((model, role, declared, actual))
        self._fail_on(mismatches, "model rights")

    def test_matrix_fields(self):
        matrix, roles = self._declared()
        may_create = {row[0]: dict(zip(roles, row[2:], strict=False)) for row in matrix["models"]}
        mismatches = []
        for model, label, fnames, *codes in matrix["fields"]:
            for role, declared in zip(roles, codes, strict=False):
                user = self.matrix_users[role]
                create_allowed = "c" in may_create.get(model, {}).get(role, "") or (
                    model not in may_create and self._allowed_create(model, user, self.fixtures[model].create))
                for fname in fnames:
                    actual = self._field_code(model, fname, user, create_allowed)
                    if actual != declared:
                        mismatches.append((f"{model}.{fname} ({label})", role, declared, actual))
        self._fail_on(mismatches, "field rights")

    def test_matrix_companies(self):
        """A role of company A never reads, writes or creates a record of company B; a manager of both
        companies neither, while only company A is allowed (the company switcher), and sees both with both."""
        matrix, roles = self._declared()
        problems = []
        for model, companies, *codes in matrix["models"]:
            problems += self._company_problems(model, companies, roles, codes)
        if problems:
            self.fail("multi-company:\n  " + "\n  ".join(problems))

    def _company_problems(self, model, companies, roles, codes):
        """What ``test_matrix_companies`` finds wrong with one model's row."""
        fx = self.fixtures[model]
        if companies == "global":
            return [f"{model}: declared global but it has a company"] if "company_id" in self.env[model]._fields else []
        if not fx.b:
            return [f"{model}: no record of company B to try"]
        if fx.b.sudo().company_id != self.company_b or fx.a.sudo().company_id != self.company_a:
            return [f"{model}: the fixtures are not of companies A and B"]
        problems = []
        readers = [self.matrix_users[role] for role, code in zip(roles, codes, strict=False) if code[0] == "r"]
        writers = [self.matrix_users[role] for role, code in zip(roles, codes, strict=False) if code[1] == "w"]
        creators = [self.matrix_users[role] for role, code in zip(roles, codes, strict=False) if code[2] == "c"]
        only_a = {"allowed_company_ids": [self.company_a.id]}
        for user in readers:
            if self._readable(fx.b, user):
                problems.append(f"{model}: {user.login} (company A) reads a record of company B")
            if fx.shared and not self._readable(fx.shared, user):
                problems.append(f"{model}: {user.login} does not read a record of no company")
        if readers:
            if self._readable(fx.b, self.manager_ab, **only_a):
                problems.append(f"{model}: a manager of A and B reads B's record while only A is allowed")
            if not self._readable(fx.b, self.manager_ab,
                                  allowed_company_ids=[self.company_a.id, self.company_b.id]):
                problems.append(f"{model}: a manager of A and B does not read B's record with both allowed")
        for user in writers + ([self.manager_ab] if writers else []):
            rec = fx.b.with_user(user).with_context(**only_a)
            if self._allowed(lambda rec=rec, values=dict(fx.write): rec.write(values)):
                problems.append(f"{model}: {user.login} writes a record of company B")
        for user in creators + ([self.manager_ab] if creators else []):
            if fx.create_b is None:
                problems.append(f"{model}: no values creating a record of company B")
                break
            if self._allowed_create(model, user, fx.create_b, **only_a):
                problems.append(f"{model}: {user.login} creates a record of company B")
        return problems

    def test_matrix_secrets(self):
        """Nobody reads a secret in clear, by any read path: managers read the mask, others nothing; the
        ciphertext is for managers, never the clear value."""
        matrix, roles = self._declared()
        listed = {(row[0], fname) for row in matrix["fields"] for fname in row[2]}
        checked = 0
        for model in {row[0] for row in matrix["fields"]}:
            record = self.fixtures[model].a
            for name in self._secret_names(record):
                if (model, name) not in listed:
                    continue  # another addon's secret on a shared model (res.partner)
                checked += 1
                self.assertIn((model, f"{name}_enc"), listed, f"{model}.{name}_enc is not in the matrix")
                clear = record._b2b_secret(name)
                self.assertTrue(clear, f"{model}.{name}: the fixture sets it")
                self.assertNotEqual(record.sudo()[f"{name}_enc"], clear)
                for user in [*self.matrix_users.values(), self.manager_ab, self.env.ref("base.user_admin")]:
                    rec = record.with_user(user)
                    seen = []
                    domain = [("id", "=", record.id)]
                    for read in (lambda rec=rec, name=name: rec.read([name])[0][name],
                                 lambda rec=rec, name=name, domain=domain: rec.search_read(domain, [name])[0][name],
                                 lambda rec=rec, name=name: rec.web_read({name: {}})[0][name],
                                 lambda rec=rec, name=name: rec.export_data([name])["datas"][0][0]):
                        try:
                            with mute_logger(*MUTE):
                                seen.append(read())
                        except (AccessError, UserError):  # UserError: no right to export at all
                            seen.append(None)
                    self.assertNotIn(clear, seen, f"{model}.{name} read in clear by {user.login}")
                    self.assertLessEqual(set(seen), {SECRET_MASK, None}, f"{model}.{name} by {user.login}")
        self.assertEqual(checked, sum(1 for row in matrix["fields"] for fname in row[2]
                                      if fname in self._secret_names(self.fixtures[row[0]].a)))

    def test_matrix_covers_the_addon(self):
        """Every model of the addon has its row; every field the addon adds to a model of another module, and
        every field of its own models kept for some group, has its row: a new one must be declared."""
        matrix, _roles = self._declared()
        addon = matrix["addon"]
        declared_models = {row[0] for row in matrix["models"]}
        declared_fields = {(row[0], fname) for row in matrix["fields"] for fname in row[2]}
        own = set(self.env["ir.model"].search([("model", "=like", "b2b.%")]).filtered(
            lambda m: addon in (m.modules or "").split(", ") and not self.env[m.model]._abstract).mapped("model"))
        # a row of another module's model (e.g. Odoo's delivery.carrier) says what the addon relies on
        self.assertEqual(own, {m for m in declared_models if m.startswith("b2b.")},
                         "models of the addon without their row")
        self.assertLessEqual(set(self.fixtures), declared_models | {row[0] for row in matrix["fields"]})
        # the fields this addon declares (their ir.model.data), wherever they are
        self.env.cr.execute("SELECT res_id FROM ir_model_data WHERE module = %s AND model = 'ir.model.fields'",
                            [addon])
        missing = []
        for ir_field in self.env["ir.model.fields"].browse([row[0] for row in self.env.cr.fetchall()]).exists():
            field = self.env[ir_field.model]._fields.get(ir_field.name) if ir_field.model in self.env else None
            if not field or not (field._module or "").startswith("b2b_") or self.env[ir_field.model]._abstract:
                continue  # e.g. mail.thread's fields on a model of ours
            if ir_field.model in own and not field.groups:
                continue
            if (ir_field.model, ir_field.name) not in declared_fields:
                missing.append(f"{ir_field.model}.{ir_field.name}")
        self.assertFalse(missing, "fields without their row in the access matrix")
