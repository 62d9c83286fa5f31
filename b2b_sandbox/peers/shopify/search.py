"""Shopify's search syntax (``field:value``, comparisons, quotes, AND / OR / NOT, parentheses) on the sandbox's
records."""


from ..shop import decimal as _d
from .store import GraphQLError, _parse_time


def _tokenize(text):
    """Tokens of Shopify's search syntax: (value, quoted) pairs and parentheses."""
    tokens, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c in "()":
            tokens.append((c, False))
            i += 1
            continue
        buf, quoted = [], False
        while i < n and not text[i].isspace() and text[i] not in "()":
            if text[i] in "'\"":
                quote, quoted = text[i], True
                i += 1
                while i < n and text[i] != quote:
                    if text[i] == "\\" and i + 1 < n:
                        i += 1
                    buf.append(text[i])
                    i += 1
                i += 1
                continue
            buf.append(text[i])
            i += 1
        tokens.append(("".join(buf), quoted))
    return tokens


class SearchQuery:
    """A parsed search string; ``matches(fields)`` with ``fields`` = name -> value or list of values."""

    def __init__(self, text):
        self.tokens = _tokenize(text or "")
        self.pos = 0
        self.tree = self._or() if self.tokens else None
        if self.pos < len(self.tokens):
            raise GraphQLError(f"Invalid search query: unexpected {self.tokens[self.pos][0]!r}", "BAD_REQUEST")

    def _peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, False)

    def _or(self):
        nodes = [self._and()]
        while self._peek() == ("OR", False):
            self.pos += 1
            nodes.append(self._and())
        return nodes[0] if len(nodes) == 1 else ("or", nodes)

    def _and(self):
        nodes = [self._not()]
        while self.pos < len(self.tokens) and self._peek() not in ((")", False), ("OR", False)):
            if self._peek() == ("AND", False):
                self.pos += 1
            nodes.append(self._not())
        return nodes[0] if len(nodes) == 1 else ("and", nodes)

    def _not(self):
        token, quoted = self._peek()
        if token is None:
            raise GraphQLError("Invalid search query: unexpected end", "BAD_REQUEST")
        if token == "NOT" and not quoted:
            self.pos += 1
            return ("not", self._not())
        if token == "(" and not quoted:
            self.pos += 1
            node = self._or()
            if self._peek() != (")", False):
                raise GraphQLError("Invalid search query: missing )", "BAD_REQUEST")
            self.pos += 1
            return node
        self.pos += 1
        if token.startswith("-") and len(token) > 1 and not quoted:
            return ("not", self._term(token[1:]))
        return self._term(token)

    @staticmethod
    def _term(token):
        if ":" not in token:
            return ("text", token.lower())
        name, value = token.split(":", 1)
        op = "="
        for candidate in (">=", "<=", ">", "<"):
            if value.startswith(candidate):
                op, value = candidate, value[len(candidate):]
                break
        return ("term", name.lower(), op, value)

    def matches(self, fields):
        return True if self.tree is None else self._eval(self.tree, fields)

    def _eval(self, node, fields):
        kind = node[0]
        if kind == "or":
            return any(self._eval(n, fields) for n in node[1])
        if kind == "and":
            return all(self._eval(n, fields) for n in node[1])
        if kind == "not":
            return not self._eval(node[1], fields)
        if kind == "text":
            return any(node[1] in str(v).lower() for vals in fields.values() for v in _listify(vals) if v)
        _, name, op, value = node
        if name not in fields:
            return False
        return any(_compare(v, op, value) for v in _listify(fields[name]) if v is not None)


def _listify(value):
    return value if isinstance(value, (list, tuple, set)) else [value]


def _compare(actual, op, wanted):
    if op == "=":
        actual, wanted = str(actual).lower(), wanted.lower()
        return actual.startswith(wanted[:-1]) if wanted.endswith("*") else actual == wanted
    try:
        left, right = _parse_time(actual), _parse_time(wanted)
    except ValueError:
        try:
            left, right = _d(actual), _d(wanted)
        except ValueError:
            left, right = str(actual), wanted
    return {">=": left >= right, "<=": left <= right, ">": left > right, "<": left < right}[op]

