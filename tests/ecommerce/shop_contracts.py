"""Contract checks of what the shop adapters send, against the platforms' published definitions
(tests/fixtures/specs/, origins in its SOURCES.md): the Shopify Admin GraphQL schema (graphql-core) and the
Magento 2 REST OpenAPI file. Used by the tests of the adapters; not a test module itself."""

import functools
import gzip
import json
import pathlib
import re

SPECS = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "specs"
SHOPIFY_SCHEMA = SPECS / "shopify" / "admin_2026-07.introspection.json.gz"
SHOPIFY_VERSIONS = SPECS / "shopify" / "supported-versions.json"
MAGENTO_OPENAPI = SPECS / "magento2" / "magento-2.4.5-admin-openapi.json"
MAGENTO_MSI = SPECS / "magento2" / "msi_source_items.json"


# ---------------------------------------------------------------------------- Shopify (GraphQL)
@functools.cache
def shopify_schema():
    from graphql import build_client_schema

    with gzip.open(SHOPIFY_SCHEMA, "rt", encoding="utf-8") as handle:
        introspection = json.load(handle)
    return build_client_schema(introspection["data"], assume_valid=True)


def shopify_supported_versions():
    return [v["name"] for v in json.loads(SHOPIFY_VERSIONS.read_text())["admin"]]


def _named(type_):
    from graphql import get_named_type
    return get_named_type(type_)


def _deprecated_in_values(type_, value, path, problems):
    """Deprecated input fields and enum values in a variables value of ``type_`` (already coerced valid)."""
    from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull

    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if value is None:
        return
    if isinstance(type_, GraphQLList):
        for n, item in enumerate(value if isinstance(value, list) else [value]):
            _deprecated_in_values(type_.of_type, item, f"{path}[{n}]", problems)
    elif isinstance(type_, GraphQLInputObjectType):
        for key, item in value.items():
            field = type_.fields[key]
            if field.deprecation_reason:
                problems.append(f"{path}.{key}: input field {type_.name}.{key} is deprecated "
                                f"({field.deprecation_reason.strip()})")
            _deprecated_in_values(field.type, item, f"{path}.{key}", problems)
    elif isinstance(type_, GraphQLEnumType):
        enum_value = type_.values.get(value)
        if enum_value is not None and enum_value.deprecation_reason:
            problems.append(f"{path}: enum value {type_.name}.{value} is deprecated")


def shopify_problems(query, variables=None, operation_name=None):
    """Everything wrong with one GraphQL request against the schema: validation errors of the document, the
    variables that do not coerce (unknown input fields, missing required ones, wrong types), variables sent
    that the operation does not declare, and every deprecated field, argument, input field or enum value the
    document or the variables use. Empty: the request is what the schema accepts, with nothing deprecated."""
    from graphql import (
        GraphQLError,
        TypeInfo,
        TypeInfoVisitor,
        Visitor,
        get_operation_ast,
        parse,
        validate,
        visit,
    )
    from graphql.execution.values import get_variable_values
    from graphql.utilities import type_from_ast

    schema = shopify_schema()
    try:
        document = parse(query)
    except GraphQLError as exc:
        return [f"syntax: {exc.message}"]
    problems = [f"document: {e.message}" for e in validate(schema, document)]
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return problems + [f"no operation {operation_name!r} in the document"]
    type_info = TypeInfo(schema)

    class Deprecations(Visitor):
        def enter_field(self, node, *_args):
            field = type_info.get_field_def()
            if field is not None and field.deprecation_reason:
                problems.append(f"field {type_info.get_parent_type()}.{node.name.value} is deprecated "
                                f"({field.deprecation_reason.strip()})")

        def enter_argument(self, node, *_args):
            argument = type_info.get_argument()
            if argument is not None and argument.deprecation_reason:
                problems.append(f"argument {node.name.value} is deprecated ({argument.deprecation_reason.strip()})")

        def enter_object_field(self, node, *_args):
            parent = _named(type_info.get_parent_input_type()) if type_info.get_parent_input_type() else None
            field = getattr(parent, "fields", {}).get(node.name.value)
            if field is not None and field.deprecation_reason:
                problems.append(f"input field {parent.name}.{node.name.value} is deprecated")

        def enter_enum_value(self, node, *_args):
            enum_value = type_info.get_enum_value()
            if enum_value is not None and enum_value.deprecation_reason:
                problems.append(f"enum value {node.value} is deprecated")

    visit(document, TypeInfoVisitor(type_info, Deprecations()))
    if variables is None:  # the document alone
        return problems
    declared = {d.variable.name.value: d for d in operation.variable_definitions or ()}
    problems += [f"variable ${name} is not declared by {operation_name}"
                 for name in sorted(set(variables) - set(declared))]
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
    if isinstance(coerced, list):
        return problems + [f"variables: {e.message}" for e in coerced]
    for name, definition in declared.items():
        if name in variables:
            _deprecated_in_values(type_from_ast(schema, definition.type), variables[name], f"${name}", problems)
    return problems


def directive_on(query, field_name, directive):
    """The arguments (name -> GraphQL source text) of ``@directive`` on the selection of ``field_name`` in
    ``query``, or None when that field does not carry it."""
    from graphql import FieldNode, Visitor, parse, print_ast, visit

    found = []

    class Find(Visitor):
        def enter_field(self, node, *_args):
            if isinstance(node, FieldNode) and node.name.value == field_name:
                for d in node.directives or ():
                    if d.name.value == directive:
                        found.append({a.name.value: print_ast(a.value) for a in d.arguments or ()})

    visit(parse(query), Find())
    return found[0] if found else None


# ---------------------------------------------------------------------------- Magento 2 (OpenAPI)
@functools.cache
def magento_openapi():
    spec = json.loads(MAGENTO_OPENAPI.read_text(encoding="utf-8"))
    msi = json.loads(MAGENTO_MSI.read_text(encoding="utf-8"))
    return spec, msi


def _path_regex(template):
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$")


@functools.cache
def _magento_operations():
    spec, msi = magento_openapi()
    operations = []
    for template, methods in spec["paths"].items():
        for method, operation in methods.items():
            operations.append((template, method.upper(), _path_regex(template), operation, "openapi"))
    # MSI (not in the 2.4.5 file): the routes of magento/inventory's webapi.xml, the POST body of source-items
    for template, methods in msi["paths"].items():
        for method in methods:
            operation = {"body": msi["post_body"]} if (template, method) == ("/V1/inventory/source-items", "post") \
                else {}
            operations.append((template, method.upper(), _path_regex(template), operation, "msi"))
    return operations


def magento_operation(method, path):
    """The published operation (template, its definition, where it is from) of ``method`` ``path`` (a path
    under ``/rest/<store>``, e.g. ``/V1/products/SKU``), or None. Literal templates win over ones with
    parameters, as Magento's router matches them."""
    matches = [(t, op, src) for t, m, rx, op, src in _magento_operations() if m == method.upper() and rx.match(path)]
    matches.sort(key=lambda item: item[0].count("{"))
    return matches[0] if matches else None


def _resolve(spec, schema):
    while isinstance(schema, dict) and "$ref" in schema:
        *parts, name = schema["$ref"].lstrip("#/").split("/")
        table = spec
        for part in parts:
            table = table.get(part, {})
        schema = table.get(name) or spec[name]  # the MSI file keeps its one definition at the top
    return schema


def magento_body_problems(method, path, body):
    """The fields of ``body`` that the published request schema of ``method`` ``path`` does not have (with
    their path in the body), walking nested objects and arrays. (Not the schema's ``required`` lists: Magento
    generates them from its interfaces' getters and its web API does not enforce them.)"""
    found = magento_operation(method, path)
    if found is None:
        return [f"{method} {path}: no such operation in the published API"]
    template, operation, source = found
    spec = magento_openapi()[0] if source == "openapi" else magento_openapi()[1]
    schema = _request_schema(spec, operation)
    if schema is None:
        return [] if body in (None, {}) else [f"{method} {template}: takes no body"]
    problems = []
    _walk_body(spec, schema, body, "body", problems)
    return problems


def _request_schema(spec, operation):
    request = operation.get("requestBody")
    if request is not None:
        request = _resolve(spec, request) if "$ref" in request else request
        content = request.get("content") or {}
        media = content.get("application/json") or next(iter(content.values()), {})
        return _resolve(spec, media.get("schema"))
    for parameter in operation.get("parameters") or []:
        parameter = _resolve(spec, parameter)
        if parameter.get("in") == "body":
            return _resolve(spec, parameter.get("schema"))
    return operation.get("body")


def _walk_body(spec, schema, value, where, problems):
    schema = _resolve(spec, schema) or {}
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    if kind == "array" and isinstance(value, list):
        for n, item in enumerate(value):
            _walk_body(spec, schema.get("items") or {}, item, f"{where}[{n}]", problems)
    elif kind == "object" and isinstance(value, dict):
        properties = schema.get("properties") or {}
        if not properties and schema.get("additionalProperties") is not None:
            return  # a free map
        for key, item in value.items():
            if key not in properties:
                problems.append(f"{where}.{key} is not a field of the published schema")
            else:
                _walk_body(spec, properties[key], item, f"{where}.{key}", problems)
