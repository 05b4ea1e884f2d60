"""One AST, two evaluators: in Python over one member's features (incremental path), and compiled to DuckDB SQL
over the features table (bulk job). A property test checks they agree."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from linli.audience.features import column
from linli.audience.rules import Node

_OPS: dict[str, Callable[[Any, Any], bool]] = {">=": operator.ge, "<=": operator.le, ">": operator.gt,
                                               "<": operator.lt, "==": operator.eq, "!=": operator.ne}


def matches(node: Node, features: dict[str, Any]) -> bool:
    if "and" in node:
        return all(matches(n, features) for n in node["and"])
    if "or" in node:
        return any(matches(n, features) for n in node["or"])
    if "not" in node:
        return not matches(node["not"], features)
    value = features.get(column(node["field"], node.get("category")), 0.0)
    op = node["op"]
    if op == "in":
        return value in node["values"]
    if op == "not in":
        return value not in node["values"]
    return _OPS[op](value, node["value"])


def in_segment(definition: Node, codes: set[str]) -> bool:
    if "tag" in definition:
        return definition["tag"] in codes
    if "and" in definition:
        return all(in_segment(n, codes) for n in definition["and"])
    if "or" in definition:
        return any(in_segment(n, codes) for n in definition["or"])
    return not in_segment(definition["not"], codes)


# --- DuckDB ---------------------------------------------------------------------------------------


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(v: Any) -> str:
    if isinstance(v, str):
        return "'" + v.replace("'", "''") + "'"
    if isinstance(v, float):
        return f"CAST('{v!r}' AS DOUBLE)"  # not a DECIMAL literal: compare as doubles, like Python does
    return str(int(v))


def to_sql(node: Node) -> str:
    """A DuckDB boolean expression over the features table; literals are typed by the checked AST."""
    if "and" in node:
        return "(" + " AND ".join(to_sql(n) for n in node["and"]) + ")"
    if "or" in node:
        return "(" + " OR ".join(to_sql(n) for n in node["or"]) + ")"
    if "not" in node:
        return "(NOT " + to_sql(node["not"]) + ")"
    col = ident(column(node["field"], node.get("category")))
    op = node["op"]
    if op in ("in", "not in"):
        return f"({col} {op.upper()} ({', '.join(_literal(v) for v in node['values'])}))"
    return f"({col} {'=' if op == '==' else op} {_literal(node['value'])})"


def segment_sql(definition: Node, tag_rules: dict[str, Node]) -> str:
    """A DuckDB boolean expression over the features table: each tag replaced by its own rule, so a segment needs no
    pass over the members' tags (a tag code that no longer exists is FALSE, as a member cannot carry it)."""
    if "tag" in definition:
        ast = tag_rules.get(definition["tag"])
        return "FALSE" if ast is None else to_sql(ast)
    if "and" in definition:
        return "(" + " AND ".join(segment_sql(n, tag_rules) for n in definition["and"]) + ")"
    if "or" in definition:
        return "(" + " OR ".join(segment_sql(n, tag_rules) for n in definition["or"]) + ")"
    return "(NOT " + segment_sql(definition["not"], tag_rules) + ")"
