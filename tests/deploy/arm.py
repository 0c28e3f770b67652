"""A small evaluator for ARM template expressions, enough to check what a deployment would
resolve: every ``resourceId()``/``reference()``/``listKeys()`` names a resource of the template
(or an allowed existing one), every ``parameters()``/``variables()`` is declared, ``dependsOn``
is acyclic, and role assignments name real built-in roles.

What only the published code creates (a function, the host's keys) may be named only by a
resource conditioned on ``subscribeEvents``, and read with ``listKeys()``/``reference()`` only
inside ``if(parameters('subscribeEvents'), ...)``: ARM evaluates list functions even for a
resource whose condition is false.

Template functions: https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

# Built-in role ids, from the Azure built-in roles reference
# (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
BUILT_IN_ROLES = {
    "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "Storage Blob Data Contributor",
    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1": "Storage Blob Data Reader",
    "974c5e8b-45b9-4653-ba55-5f855dd0fb88": "Storage Queue Data Contributor",
    "19e7f393-937e-4f77-808e-94535e297925": "Storage Queue Data Reader",
    "8a0f0c08-91a1-4084-bc3d-661d67233fed": "Storage Queue Data Message Processor",
    "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a": "Storage Queue Data Message Sender",
    "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0": "Azure Service Bus Data Receiver",
    "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39": "Azure Service Bus Data Sender",
    "a638d3c7-ab3a-418d-83e6-5f17a39d4fde": "Azure Event Hubs Data Receiver",
    "2b629674-e913-4c01-ae53-ef4638d8f975": "Azure Event Hubs Data Sender",
    "4633458b-17de-408a-b874-0445c86b69e6": "Key Vault Secrets User",
}
# Cosmos DB's own built-in data-plane roles (sqlRoleDefinitions of every account), from
# https://learn.microsoft.com/azure/cosmos-db/nosql/security/reference-data-plane-roles
COSMOS_ROLES = {
    "00000000-0000-0000-0000-000000000001": "Cosmos DB Built-in Data Reader",
    "00000000-0000-0000-0000-000000000002": "Cosmos DB Built-in Data Contributor",
}
# Existing resources a template may point at without declaring them.
EXTERNAL = ("Microsoft.KeyVault/vaults/secrets", "Microsoft.Authorization/roleDefinitions")
# The Cosmos DB account is given as a parameter; its role definitions come with it.
EXISTING = ("Microsoft.DocumentDB/databaseAccounts",
            "Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions")  # fmt: skip
# Children of the Function App that exist once the code is published (not template resources).
PUBLISHED = ("Microsoft.Web/sites/functions", "Microsoft.Web/sites/host")
GUARD = "subscribeEvents"
_TOKEN = re.compile(r"\s*(?:('(?:[^']|'')*')|(\d+)|([A-Za-z_][A-Za-z0-9_]*)|(.))")


class Opaque(str):
    """A value only the deployment knows (a key, a principal id, an endpoint)."""


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    for match in _TOKEN.finditer(text):
        string, number, name, char = match.groups()
        if string is not None:
            yield "str", string[1:-1].replace("''", "'")
        elif number is not None:
            yield "num", number
        elif name is not None:
            yield "name", name
        elif char and not char.isspace():
            yield "op", char


class Evaluator:
    """Evaluates the expressions of one template; ``problems`` collects what does not resolve."""

    def __init__(self, template: dict[str, Any]) -> None:
        self.template = template
        self.problems: list[str] = []
        self.roles: list[str] = []
        self._conditioned = 0  # inside a resource conditioned on subscribeEvents
        self._if_guard = 0  # inside the true branch of if(parameters('subscribeEvents'), ...)
        self.declared: set[tuple[str, str]] = set()
        self.declared = {(r["type"], str(self.value(r["name"]))) for r in template["resources"]}
        self.problems.clear()  # names were evaluated before the resources were known

    def value(self, raw: Any) -> Any:
        """``raw`` evaluated when it is an expression (``[...]``), else itself."""
        if isinstance(raw, str) and raw.startswith("[") and raw.endswith("]"):
            tokens = list(_tokens(raw[1:-1]))
            result, pos = self._expr(tokens, 0)
            assert pos == len(tokens), raw
            return result
        return raw

    def _expr(self, tokens: list[tuple[str, str]], pos: int) -> tuple[Any, int]:
        kind, text = tokens[pos]
        pos += 1
        if kind == "str":
            value: Any = text
        elif kind == "num":
            value = int(text)
        elif text == "if":
            value, pos = self._if(tokens, pos)
        else:
            assert tokens[pos] == ("op", "("), (text, tokens)
            args, pos = self._args(tokens, pos + 1)
            value = self._call(text, args)
        while pos < len(tokens) and tokens[pos][1] in (".", "["):
            if tokens[pos][1] == ".":
                value, pos = Opaque(f"{value}.{tokens[pos + 1][1]}"), pos + 2
            else:
                _, pos = self._expr(tokens, pos + 1)
                value, pos = Opaque(f"{value}[]"), pos + 1
        return value, pos

    def _args(self, tokens: list[tuple[str, str]], pos: int) -> tuple[list[Any], int]:
        args: list[Any] = []
        while tokens[pos] != ("op", ")"):
            value, pos = self._expr(tokens, pos)
            args.append(value)
            if tokens[pos] == ("op", ","):
                pos += 1
        return args, pos + 1

    def _if(self, tokens: list[tuple[str, str]], pos: int) -> tuple[Any, int]:
        assert tokens[pos] == ("op", "(")
        condition, pos = self._expr(tokens, pos + 1)
        guard = condition == f"<param {GUARD}>"
        self._if_guard += guard
        when, pos = self._expr(tokens, pos + 1)
        self._if_guard -= guard
        otherwise, pos = self._expr(tokens, pos + 1)
        assert tokens[pos] == ("op", ")")
        return Opaque(f"if({condition}, {when}, {otherwise})"), pos + 1

    def _rid(self, rtype: str, names: list[Any]) -> str:
        name = "/".join(str(n) for n in names)
        if rtype in PUBLISHED:
            site = ("Microsoft.Web/sites", str(names[0]))
            if site not in self.declared:
                self.problems.append(f"resourceId({rtype}, {name}): no such Function App")
            if not (self._conditioned or self._if_guard):
                self.problems.append(f"{rtype} {name} named outside a {GUARD} condition")
        elif rtype in EXISTING:
            if rtype.endswith("/sqlRoleDefinitions"):
                self.roles.append(str(names[-1]))
        elif (rtype, name) not in self.declared and not rtype.startswith(EXTERNAL):
            self.problems.append(f"resourceId({rtype}, {name}) names no resource")
        return f"rid:{rtype}:{name}"

    def _call(self, name: str, args: list[Any]) -> Any:
        if name == "parameters":
            if args[0] not in self.template.get("parameters", {}):
                self.problems.append(f"parameters({args[0]!r}) is not declared")
            return Opaque(f"<param {args[0]}>")
        if name == "variables":
            variables = self.template.get("variables", {})
            if args[0] not in variables:
                self.problems.append(f"variables({args[0]!r}) is not declared")
                return Opaque("?")
            return self.value(variables[args[0]])
        if name == "resourceId":
            return self._rid(args[0], args[1:])
        if name == "subscriptionResourceId":
            if args[0] == "Microsoft.Authorization/roleDefinitions":
                self.roles.append(args[1])
            return f"rid:{args[0]}:{'/'.join(args[1:])}"
        if name in ("reference", "listKeys"):
            if not str(args[0]).startswith("rid:"):
                self.problems.append(f"{name}() of {args[0]!r}, not a resource id")
            elif str(args[0]).split(":")[1] in PUBLISHED and not self._if_guard:
                self.problems.append(f"{name}() of {args[0]} outside if({GUARD}, ...)")
            return Opaque(f"<{name} {args[0]}>")
        if name == "format":
            return re.sub(r"\{(\d+)\}", lambda m: str(args[int(m.group(1)) + 1]), args[0])
        if name == "concat":
            return "".join(str(a) for a in args)
        if name == "uniqueString":
            return "u" + hashlib.sha256("|".join(map(str, args)).encode()).hexdigest()[:12]
        if name == "guid":  # deterministic, like ARM's: equal arguments, equal names
            return Opaque("guid(" + ", ".join(map(str, args)) + ")")
        if name == "toLower":
            return str(args[0]).lower()
        if name in ("resourceGroup", "subscription", "environment"):
            return Opaque(f"{name}()")
        self.problems.append(f"unknown function {name}()")
        return Opaque("?")

    def walk(self, node: Any) -> None:
        """Evaluate every expression under ``node``; a nested deployment's inner template
        is evaluated on its own (its parameters are the values passed to it).
        """
        if isinstance(node, dict) and node.get("type") == "Microsoft.Resources/deployments":
            self._nested(node)
        elif isinstance(node, dict):
            guard = "type" in node and node.get("condition") == f"[parameters('{GUARD}')]"
            self._conditioned += guard
            for item in node.values():
                self.walk(item)
            self._conditioned -= guard
        elif isinstance(node, list):
            for item in node:
                self.walk(item)
        else:
            self.value(node)

    def _nested(self, res: dict[str, Any]) -> None:
        props = res["properties"]
        for key, value in res.items():
            if key != "properties":
                self.walk(value)
        self.walk(props.get("parameters", {}))
        if props.get("expressionEvaluationOptions", {}).get("scope") != "inner":
            self.problems.append(f"nested deployment {res['name']}: not evaluated in inner scope")
            return
        template = props["template"]
        if set(props.get("parameters", {})) != set(template.get("parameters", {})):
            self.problems.append(f"nested deployment {res['name']}: parameters do not match")
        inner = Evaluator(template)
        inner.walk(template["resources"])
        self.problems += [f"nested deployment {res['name']}: {p}" for p in inner.problems]
        self.roles += inner.roles

    def cycle(self) -> list[str] | None:
        """A ``dependsOn`` cycle, if any (as resource names)."""
        graph: dict[str, list[str]] = {}
        for res in self.template["resources"]:
            me = f"rid:{res['type']}:{self.value(res['name'])}"
            graph[me] = [str(self.value(d)) for d in res.get("dependsOn", [])]
        state: dict[str, int] = {}

        def visit(node: str, path: list[str]) -> list[str] | None:
            if state.get(node) == 1:
                return [*path, node]
            if state.get(node) == 2:
                return None
            state[node] = 1
            for nxt in graph.get(node, []):
                found = visit(nxt, [*path, node])
                if found:
                    return found
            state[node] = 2
            return None

        for node in graph:
            found = visit(node, [])
            if found:
                return found
        return None


def _assignments(
    template: dict[str, Any], ev: Evaluator
) -> Iterator[tuple[dict[str, Any], Evaluator, dict[str, str], str]]:
    """``(role assignment, its evaluator, values passed as parameters, where)``, descending into
    nested deployments (``where`` is ``@<resource group>`` there, else empty).
    """
    for res in template["resources"]:
        if res["type"] == "Microsoft.Resources/deployments":
            props = res["properties"]
            inner = Evaluator(props["template"])
            passed = {f"<param {k}>": str(ev.value(v["value"]))
                      for k, v in props["parameters"].items()}  # fmt: skip
            for found, _, _, _ in _assignments(props["template"], inner):
                yield found, inner, passed, f"@{res['resourceGroup']}"
        elif res["type"] in ROLE_TYPES:
            yield res, ev, {}, ""


ROLE_TYPES = ("Microsoft.Authorization/roleAssignments",
              "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments")  # fmt: skip


def _grant(res: dict[str, Any], ev: Evaluator, where: str) -> tuple[str, str]:
    props = res["properties"]
    cosmos = res["type"] == ROLE_TYPES[1]
    role_id = re.split("[:/]", str(ev.value(props["roleDefinitionId"])))[-1]
    scope = str(ev.value(props["scope"] if cosmos else res["scope"]))
    return {**BUILT_IN_ROLES, **COSMOS_ROLES}.get(role_id, role_id), scope + where


def grants_by_principal(template: dict[str, Any]) -> dict[str, set[tuple[str, str]]]:
    """``{identity: {(role name, scope)}}``: each identity (the resource id of the site or
    slot whose system-assigned identity is the principal) with what it was granted; a scope
    in another resource group ends in ``@<group>``.
    """
    out: dict[str, set[tuple[str, str]]] = {}
    for res, ev, passed, where in _assignments(template, Evaluator(template)):
        principal = str(ev.value(res["properties"]["principalId"]))
        principal = passed.get(principal, principal)
        found = re.fullmatch(r"<reference (rid:.+)>\.identity\.principalId", principal)
        assert found, principal
        out.setdefault(found.group(1), set()).add(_grant(res, ev, where))
    return out


def role_assignments(template: dict[str, Any]) -> list[tuple[str, str]]:
    """``(role name, scope)`` of each Azure role assignment, the scope evaluated (ending in
    ``@<group>`` when a nested deployment assigns it in another resource group).
    """
    return [
        _grant(res, ev, where)
        for res, ev, _, where in _assignments(template, Evaluator(template))
        if res["type"] == ROLE_TYPES[0]
    ]
