"""The tag rule language: text -> checked, typed AST (plain JSON), and segment definitions.

    rule    := or
    or      := and ("or" and)*
    and     := unary ("and" unary)*
    unary   := "not" unary | "(" or ")" | test
    test    := field op literal | field ["not"] "in" "(" literal ("," literal)* ")"
    field   := name | "category_share" "(" string ")"
    op      := ">=" | "<=" | ">" | "<" | "==" | "=" | "!="
    literal := integer | decimal | "text" | 'text' | “text”

e.g. `orders_90d >= 3 and fresh_share > 0.5 and building in ("3幢", "5幢")`. Keywords are case-insensitive.
Numbers compare with int/float fields (every comparison), text with str fields (==, !=, in, not in).

AST: {"and": [n, ...]} | {"or": [n, ...]} | {"not": n} | {"field": f, "op": op, "value": v}
     | {"field": f, "op": "in" | "not in", "values": [v, ...]}; category_share nodes also carry "category".
Errors are Invalid (422) with codes tag_rule_syntax, unknown_tag_field, unknown_tag_operator,
tag_type_mismatch, tag_rule_too_complex.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from linli.audience.features import FIELDS
from linli.core.errors import Invalid

Node = dict[str, Any]

MAX_RULE_CHARS = 2000
MAX_DEPTH = 20
MAX_IN_VALUES = 100
MAX_ABS_NUMBER = 2**53  # exact in a double, so DuckDB and Python compare alike
COMPARISONS = (">=", "<=", "!=", "==", ">", "<")
TEXT_OPS = ("==", "!=")
_QUOTES = {'"': '"', "'": "'", "“": "”", "「": "」"}
_TOKEN = re.compile(r"\s*(?:(?P<num>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>>=|<=|!=|==|=|>|<)"
                    r"|(?P<punct>[(),])|(?P<quote>[\"'“「]))")


@dataclass(frozen=True)
class Token:
    kind: str  # num | name | op | punct | str | end
    text: str
    pos: int
    value: Any = None


def _error(code: str, message: str) -> Invalid:
    return Invalid(message, code=code)


def _tokens(rule: str) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(rule):
        if rule[i:].strip() == "":
            break
        m = _TOKEN.match(rule, i)
        if not m:
            j = i + len(rule[i:]) - len(rule[i:].lstrip())
            raise _error("unknown_tag_operator" if rule[j] in "~!&|^%+*/" else "tag_rule_syntax",
                         f"cannot read the rule at position {j + 1}: {rule[j:j + 10]!r}")
        kind = m.lastgroup or ""
        start = m.start(kind)
        if kind == "quote":
            close = _QUOTES[m.group(kind)]
            end = rule.find(close, m.end())
            if end < 0:
                raise _error("tag_rule_syntax", f"unclosed text at position {start + 1}")
            out.append(Token("str", rule[start:end + 1], start, rule[m.end():end]))
            i = end + 1
            continue
        text = m.group(kind)
        value: Any = None
        if kind == "num":
            value = float(text) if "." in text else int(text)
            if abs(value) >= MAX_ABS_NUMBER:
                raise _error("tag_rule_syntax", f"number too large: {text}")
        out.append(Token(kind, text, start, value))
        i = m.end()
    out.append(Token("end", "", len(rule)))
    return out


class _Parser:
    def __init__(self, rule: str, categories: set[str] | None) -> None:
        self.toks = _tokens(rule)
        self.i = 0
        self.categories = categories

    def peek(self) -> Token:
        return self.toks[self.i]

    def take(self) -> Token:
        t = self.toks[self.i]
        self.i += 1
        return t

    def keyword(self, word: str) -> bool:
        t = self.peek()
        if t.kind == "name" and t.text.lower() == word:
            self.i += 1
            return True
        return False

    def expect(self, text: str) -> None:
        t = self.take()
        if t.text != text:
            raise _error("tag_rule_syntax", f"expected {text!r} at position {t.pos + 1}, found {t.text or 'the end'!r}")

    def rule(self) -> Node:
        node = self.or_(0)
        t = self.peek()
        if t.kind != "end":
            raise _error("tag_rule_syntax", f"unexpected {t.text!r} at position {t.pos + 1}")
        return node

    def or_(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise _error("tag_rule_too_complex", f"rules nest at most {MAX_DEPTH} levels")
        items = [self.and_(depth)]
        while self.keyword("or"):
            items.append(self.and_(depth))
        return items[0] if len(items) == 1 else {"or": items}

    def and_(self, depth: int) -> Node:
        items = [self.unary(depth)]
        while self.keyword("and"):
            items.append(self.unary(depth))
        return items[0] if len(items) == 1 else {"and": items}

    def unary(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise _error("tag_rule_too_complex", f"rules nest at most {MAX_DEPTH} levels")
        if self.keyword("not"):
            return {"not": self.unary(depth + 1)}
        if self.peek().text == "(":
            self.take()
            node = self.or_(depth + 1)
            self.expect(")")
            return node
        return self.test()

    def test(self) -> Node:
        t = self.take()
        if t.kind != "name" or t.text.lower() in ("and", "or", "not", "in"):
            raise _error("tag_rule_syntax", f"expected a field at position {t.pos + 1}, found {t.text or 'the end'!r}")
        field = FIELDS.get(t.text)
        if field is None:
            raise _error("unknown_tag_field", f"unknown field {t.text!r}")
        node: Node = {"field": field.name}
        if field.takes_category:
            self.expect("(")
            c = self.take()
            if c.kind != "str" or not c.value:
                raise _error("tag_rule_syntax", f"{field.name} takes a category name in quotes")
            if self.categories is not None and c.value not in self.categories:
                raise _error("unknown_category", f"unknown category {c.value!r}")
            self.expect(")")
            node["category"] = c.value
        negate = self.keyword("not")
        if negate or self.keyword("in"):
            if negate and not self.keyword("in"):
                raise _error("unknown_tag_operator", f"'not' after {field.name} must be followed by 'in'")
            self.expect("(")
            values = [self.literal(field.type)]
            while self.peek().text == ",":
                self.take()
                values.append(self.literal(field.type))
            self.expect(")")
            if len(values) > MAX_IN_VALUES:
                raise _error("tag_rule_too_complex", f"at most {MAX_IN_VALUES} values in a list")
            node.update(op="not in" if negate else "in", values=values)
            return node
        op = self.take()
        if op.kind != "op":
            raise _error("unknown_tag_operator", f"unknown operator {op.text or 'the end'!r} after {field.name}")
        symbol = "==" if op.text == "=" else op.text
        if field.type == "str" and symbol not in TEXT_OPS:
            raise _error("tag_type_mismatch", f"{field.name} is text: only ==, !=, in and not in apply")
        node.update(op=symbol, value=self.literal(field.type))
        return node

    def literal(self, field_type: str) -> Any:
        t = self.take()
        if t.kind == "num":
            if field_type == "str":
                raise _error("tag_type_mismatch", f"a text field is compared with the number {t.text}")
            return t.value
        if t.kind == "str":
            if field_type != "str":
                raise _error("tag_type_mismatch", f"a number field is compared with the text {t.text}")
            if len(t.value) > 100:
                raise _error("tag_rule_syntax", "text values are at most 100 characters")
            return t.value
        raise _error("tag_rule_syntax", f"expected a value at position {t.pos + 1}, found {t.text or 'the end'!r}")


def parse(rule: str, categories: set[str] | None = None) -> Node:
    """The checked AST of a rule; `categories` (the tenant's names) checks category_share arguments."""
    if not rule.strip():
        raise _error("empty_tag_rule", "the rule is empty")
    if len(rule) > MAX_RULE_CHARS:
        raise _error("tag_rule_too_complex", f"a rule is at most {MAX_RULE_CHARS} characters")
    return _Parser(rule, categories).rule()


def categories_of(node: Node) -> set[str]:
    """The category names a rule reads (each becomes one share column)."""
    for key in ("and", "or"):
        if key in node:
            return set().union(*(categories_of(n) for n in node[key]))
    if "not" in node:
        return categories_of(node["not"])
    return {node["category"]} if "category" in node else set()


# --- segment definitions ------------------------------------------------------------------------


def check_segment(definition: Any, tag_codes: set[str], depth: int = 0) -> set[str]:
    """Check a segment definition; returns the tag codes it uses. Invalid: empty_segment, unknown_tag,
    invalid_segment_definition."""
    if depth > MAX_DEPTH:
        raise _error("invalid_segment_definition", f"definitions nest at most {MAX_DEPTH} levels")
    if not isinstance(definition, dict) or not definition:
        raise _error("empty_segment" if definition in ({}, None, [], "") else "invalid_segment_definition",
                     'a segment needs a definition: {"tag": code} | {"and": [...]} | {"or": [...]} | {"not": …}')
    if len(definition) != 1:
        raise _error("invalid_segment_definition", "each part of a definition has exactly one key")
    (key, value), = definition.items()
    if key == "tag":
        if not isinstance(value, str) or value not in tag_codes:
            raise _error("unknown_tag", f"unknown tag {value!r}")
        return {value}
    if key in ("and", "or"):
        if not isinstance(value, list):
            raise _error("invalid_segment_definition", f"{key} takes a list")
        if not value:
            raise _error("empty_segment", f"{key} of nothing")
        return set().union(*(check_segment(v, tag_codes, depth + 1) for v in value))
    if key == "not":
        return check_segment(value, tag_codes, depth + 1)
    raise _error("invalid_segment_definition", f"unknown key {key!r}: use tag, and, or, not")
