"""The API's documentation, drawn from its OpenAPI schema on our own page. django-ninja's Swagger
UI loads from outside, which the content security policy refuses; served from its package it
fails axe (docs/decisions/0463)."""

from django.shortcuts import render
from ninja.openapi.docs import DocsBase

REF = "#/components/schemas/"


def _type(schema: dict) -> tuple[str, str]:
    """The schema's type in words, and the name of the schema it refers to, if any."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(REF)
        return name, name
    if "anyOf" in schema:
        kinds = [_type(option) for option in schema["anyOf"]]
        return " or ".join(words for words, _ref in kinds), next(
            (ref for _words, ref in kinds if ref), ""
        )
    if schema.get("type") == "array":
        words, ref = _type(schema["items"])
        return f"list of {words}", ref
    words = schema.get("type", "any")
    return (f"{words} ({schema['format']})" if "format" in schema else words), ""


def _refs(node) -> set[str]:
    """The names of the schemas ``node`` refers to, however deep."""
    if isinstance(node, dict):
        found = {node["$ref"].removeprefix(REF)} if "$ref" in node else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(value) for value in node))
    return set()


def _fields(schema: dict) -> list[dict]:
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": _type(field),
            "required": name in required,
            "description": field.get("description", ""),
        }
        for name, field in schema.get("properties", {}).items()
    ]


def _body(answer: dict) -> tuple[str, str]:
    return _type(answer.get("content", {}).get("application/json", {}).get("schema", {}))


def documentation_of(schema: dict) -> dict:
    """What the documentation page shows: each operation with its parameters and answers,
    then each schema the answers use, by name, with its fields."""
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "parameters": [
                {
                    "name": parameter["name"],
                    "place": parameter["in"],
                    "type": _type(parameter["schema"]),
                    "required": parameter.get("required", False),
                }
                for parameter in operation.get("parameters", [])
            ],
            "answers": [
                {"status": status, "description": answer["description"], "body": _body(answer)}
                for status, answer in operation["responses"].items()
            ],
        }
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    components = schema["components"]["schemas"]
    used = _refs(schema["paths"])
    while (more := used | _refs([components[name] for name in used])) != used:
        used = more
    return {
        "info": schema["info"],
        "operations": operations,
        "schemas": [(name, _fields(components[name])) for name in components if name in used],
    }


class Documentation(DocsBase):
    def render_page(self, request, api, **kwargs):
        return render(
            request,
            "monitoring/api_docs.html",
            {
                **documentation_of(api.get_openapi_schema(path_params=kwargs)),
                "openapi_url": self.get_openapi_url(api, kwargs),
            },
        )
