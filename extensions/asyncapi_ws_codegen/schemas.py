"""JSON Schema (the AsyncAPI Schema Object) -> typed Python models.

Each object schema with properties becomes a dataclass; every other schema becomes a type expression
(``str``, ``list[Foo]``, ``Literal["a", "b"]``...). Alongside each type the compiler produces the
code that converts a value to JSON data and back, so templates only place fragments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .errors import Location, SpecError, join_pointer, unescape_pointer_token
from .ir import Field, Model
from .naming import Namespace, pascal_case, snake_case

_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
_EXAMPLES = {"string": "example", "integer": 1, "number": 1.5, "boolean": True, "null": None}
# Names a payload class must not take: they are used by the generated modules themselves.
RESERVED_CLASS_NAMES = ("Any", "Literal", "Self", "Mapping", "Unset", "UNSET", "PayloadError", "PayloadValidationError")


@dataclass(frozen=True)
class TypeInfo:
    """A Python type for a schema, with conversion code (``{}`` = the value)."""

    annotation: str
    encode: str = "{}"
    decode: str = "{}"
    example: Any = None  # a JSON value valid for the schema (best effort)
    nullable: bool = False


def python_literal(value: Any) -> str:
    """A Python literal for a JSON value (deterministic, ruff-format stable)."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)
    if isinstance(value, list):
        return "[" + ", ".join(python_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{python_literal(str(k))}: {python_literal(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value))


class SchemaCompiler:
    """Turns schemas into models, sharing names and models across one document."""

    def __init__(self, document: dict[str, Any], origin: str) -> None:
        self.document = document
        self.origin = origin
        self.models: list[Model] = []
        self.names = Namespace(RESERVED_CLASS_NAMES)
        self._model_by_pointer: dict[str, str] = {}
        self._in_progress: set[str] = set()
        self.needed_pointers: set[str] = set()
        self.uses_unset = False
        self.typing: set[str] = set()
        self._depth = 0

    # -- references -------------------------------------------------------------------------

    def resolve(self, schema: Any, pointer: str) -> tuple[Any, str]:
        """Follow ``$ref`` chains; returns the target and its pointer."""
        seen: set[str] = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref: str = schema["$ref"]
            if not ref.startswith("#"):
                raise SpecError(Location(self.origin, pointer), f"unresolved `$ref` {ref!r}", "check the referenced file")
            target = ref[1:]
            if target in seen:
                raise SpecError(
                    Location(self.origin, pointer), f"`$ref` {ref!r} only refers to itself", "point it at a real schema"
                )
            seen.add(target)
            self.needed_pointers.add(target)
            schema = self.node_at(target, pointer)
            pointer = target
        return schema, pointer

    def node_at(self, target: str, referrer: str) -> Any:
        node: Any = self.document
        for token in target.split("/")[1:]:
            key = unescape_pointer_token(token)
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                raise SpecError(
                    Location(self.origin, referrer),
                    f"`$ref` '#{target}' points at nothing",
                    "fix the reference or add the missing definition",
                )
        return node

    # -- models -----------------------------------------------------------------------------

    @staticmethod
    def is_object_model(schema: Any) -> bool:
        """Object schemas with declared properties become classes."""
        if not isinstance(schema, dict):
            return False
        declared = schema.get("type")
        is_object = declared == "object" or (declared is None and "properties" in schema)
        return bool(is_object and isinstance(schema.get("properties"), dict) and schema["properties"])

    def model(self, schema: Any, pointer: str, name_hint: str, description: str = "") -> str:
        """The class name for an object schema (built once per pointer)."""
        if pointer in self._model_by_pointer:
            return self._model_by_pointer[pointer]
        class_name = self.names.claim(pascal_case(name_hint))
        self._model_by_pointer[pointer] = class_name
        self.needed_pointers.add(pointer)
        properties: dict[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", [])) if isinstance(schema.get("required"), list) else set()
        field_names = Namespace(("additional_properties", "validate", "marshal", "unmarshal"))
        fields = []
        example: dict[str, Any] = {}
        for wire_name, prop in properties.items():
            prop_pointer = join_pointer(pointer, "properties", wire_name)
            info = self.type_for(prop, prop_pointer, f"{class_name} {wire_name}")
            fields.append(self._field(field_names.claim(snake_case(wire_name)), wire_name, info, wire_name in required, prop))
            if wire_name in required:
                example[wire_name] = info.example
        extra = schema.get("additionalProperties", True)
        extra_annotation: str | None = None
        extra_encode = extra_decode = "{}"
        if extra is not False:
            extra_info = (
                self.type_for(extra, join_pointer(pointer, "additionalProperties"), f"{class_name} value")
                if isinstance(extra, dict) and extra
                else TypeInfo("Any")
            )
            if extra_info.annotation == "Any":
                self.typing.add("Any")
            extra_annotation = f"dict[str, {extra_info.annotation}]"
            extra_encode, extra_decode = extra_info.encode, extra_info.decode
        text = description or str(schema.get("description") or schema.get("title") or "")
        self.models.append(
            Model(
                class_name=class_name,
                description=text,
                fields=tuple(fields),
                schema_key=pointer,
                is_wrapper=False,
                extra_annotation=extra_annotation,
                extra_encode=extra_encode,
                extra_decode=extra_decode,
                example_json=json.dumps(example, sort_keys=True),
            )
        )
        return class_name

    def wrapper(self, schema: Any, pointer: str, name_hint: str, description: str = "") -> str:
        """A class holding one non-object payload value in ``value``."""
        if pointer in self._model_by_pointer:
            return self._model_by_pointer[pointer]
        class_name = self.names.claim(pascal_case(name_hint))
        self._model_by_pointer[pointer] = class_name
        self.needed_pointers.add(pointer)
        info = self.type_for(schema, pointer, f"{class_name} item")
        value_field = self._field("value", "", info, required=True, schema=schema)
        self.models.append(
            Model(
                class_name=class_name,
                description=description or str(schema.get("description", "") if isinstance(schema, dict) else ""),
                fields=(value_field,),
                schema_key=pointer,
                is_wrapper=True,
                extra_annotation=None,
                extra_encode="{}",
                extra_decode="{}",
                example_json=json.dumps(info.example, sort_keys=True),
            )
        )
        return class_name

    def payload_class(self, schema: Any, pointer: str, name_hint: str, description: str) -> str:
        """The class for a message payload: a model for objects, a wrapper for everything else."""
        target, target_pointer = self.resolve(schema, pointer)
        if self.is_object_model(target):
            hint = name_hint if target_pointer == pointer else target_pointer.rsplit("/", 1)[-1]
            return self.model(target, target_pointer, hint, description if target_pointer == pointer else "")
        return self.wrapper(target if target is not None else {}, target_pointer, name_hint, description)

    def _field(self, name: str, wire_name: str, info: TypeInfo, required: bool, schema: Any) -> Field:
        description = str(schema.get("description") or schema.get("title") or "") if isinstance(schema, dict) else ""
        if required:
            annotation, default, uses_unset = info.annotation, None, False
        elif info.nullable:
            annotation, default, uses_unset = f"{info.annotation} | Unset", "UNSET", True
            self.uses_unset = True
        else:
            annotation, default, uses_unset = f"{info.annotation} | None", "None", False
        return Field(
            name=name,
            wire_name=wire_name,
            annotation=annotation,
            required=required,
            default=default,
            encode=info.encode,
            decode=info.decode,
            description=description,
            uses_unset=uses_unset,
            example=python_literal(info.example),
        )

    # -- types ------------------------------------------------------------------------------

    def type_for(self, schema: Any, pointer: str, name_hint: str) -> TypeInfo:
        """The Python type of a (possibly referenced) schema."""
        self._depth += 1
        try:
            if self._depth > 200:
                raise SpecError(Location(self.origin, pointer), "schema nesting is deeper than 200 levels", "flatten it")
            return self._type_for(schema, pointer, name_hint)
        finally:
            self._depth -= 1

    def _type_for(self, schema: Any, pointer: str, name_hint: str) -> TypeInfo:
        if schema is True or schema == {} or schema is None:
            self.typing.add("Any")
            return TypeInfo("Any", example={})
        if schema is False:
            self.typing.add("Any")
            return TypeInfo("Any")
        if not isinstance(schema, dict):
            raise SpecError(Location(self.origin, pointer), "a schema must be an object or a boolean", "fix the schema")
        target, target_pointer = self.resolve(schema, pointer)
        if target is not schema:
            hint = target_pointer.rsplit("/", 1)[-1] if target_pointer.startswith("/components/") else name_hint
            return self.type_for(target, target_pointer, hint)
        if "const" in schema:
            return self._literal([schema["const"]])
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self._literal(schema["enum"])
        if self.is_object_model(schema) and not any(k in schema for k in ("oneOf", "anyOf", "allOf")):
            name = self.model(schema, pointer, name_hint)
            return TypeInfo(
                name, encode="{}.to_json_data()", decode=f"{name}.from_json_data({{}}, validate=False)", example={}
            )
        declared = schema.get("type")
        if isinstance(declared, list):
            members = [self._single_type(t, schema, pointer, name_hint) for t in declared if isinstance(t, str)]
            non_null = [m for m in members if m.annotation != "None"]
            if len(non_null) == 1:
                return self._nullable(non_null[0]) if len(members) > 1 else non_null[0]
            self.typing.add("Any")
            return TypeInfo("Any", example=members[0].example if members else None)
        if isinstance(declared, str):
            return self._single_type(declared, schema, pointer, name_hint)
        self.typing.add("Any")
        return TypeInfo("Any", example={})

    def _single_type(self, declared: str, schema: dict[str, Any], pointer: str, name_hint: str) -> TypeInfo:
        if declared in _PRIMITIVES:
            return TypeInfo(_PRIMITIVES[declared], example=self._example(declared, schema))
        if declared == "array":
            items = schema.get("items")
            if isinstance(items, dict):
                item = self.type_for(items, join_pointer(pointer, "items"), f"{name_hint} item")
                if item.encode == "{}" and item.decode == "{}":
                    return TypeInfo(f"list[{item.annotation}]", example=[])
                var = f"v{self._depth}"
                return TypeInfo(
                    f"list[{item.annotation}]",
                    encode=f"[{item.encode.format(var)} for {var} in {{}}]",
                    decode=f"[{item.decode.format(var)} for {var} in {{}}]",
                    example=[],
                )
            self.typing.add("Any")
            return TypeInfo("list[Any]", example=[])
        if declared == "object":
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                value = self.type_for(extra, join_pointer(pointer, "additionalProperties"), f"{name_hint} value")
                if value.encode == "{}" and value.decode == "{}":
                    return TypeInfo(f"dict[str, {value.annotation}]", example={})
                key, var = f"k{self._depth}", f"v{self._depth}"
                return TypeInfo(
                    f"dict[str, {value.annotation}]",
                    encode=f"{{{{{key}: {value.encode.format(var)} for {key}, {var} in {{}}.items()}}}}",
                    decode=f"{{{{{key}: {value.decode.format(var)} for {key}, {var} in {{}}.items()}}}}",
                    example={},
                )
            self.typing.add("Any")
            return TypeInfo("dict[str, Any]", example={})
        raise SpecError(
            Location(self.origin, join_pointer(pointer, "type")),
            f"unknown schema type {declared!r}",
            "use one of string, number, integer, boolean, array, object, null",
        )

    def _example(self, declared: str, schema: dict[str, Any]) -> Any:
        for key in ("default", "example"):
            if key in schema:
                return schema[key]
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            return examples[0]
        return _EXAMPLES[declared]

    def _literal(self, values: list[Any]) -> TypeInfo:
        if all(v is None or isinstance(v, (str, int, bool)) for v in values):
            non_null = [v for v in values if v is not None]
            self.typing.add("Literal")
            literal = TypeInfo(f"Literal[{', '.join(python_literal(v) for v in non_null)}]", example=values[0])
            if non_null and len(non_null) < len(values):
                return self._nullable(literal)
            if not non_null:
                return TypeInfo("None", example=None)
            return literal
        self.typing.add("Any")
        return TypeInfo("Any", example=values[0])

    @staticmethod
    def _nullable(info: TypeInfo) -> TypeInfo:
        encode = info.encode if info.encode == "{}" else f"None if {{}} is None else {info.encode}"
        decode = info.decode if info.decode == "{}" else f"None if {{}} is None else {info.decode}"
        return TypeInfo(f"{info.annotation} | None", encode=encode, decode=decode, example=info.example, nullable=True)

    # -- schemas.json -------------------------------------------------------------------------

    def schemas_document(self) -> dict[str, Any]:
        """The parts of the document the validators need, at their original pointers."""
        pruned: dict[str, Any] = {}
        done: list[str] = []
        pending = sorted(self.needed_pointers)
        # Referenced schemas may reference others: close over $refs inside the copied subtrees.
        while pending:
            pointer = pending.pop(0)
            if any(pointer == p or pointer.startswith(p + "/") for p in done):
                continue
            node = self.node_at(pointer, pointer)
            for ref in _refs_in(node):
                if ref not in self.needed_pointers:
                    self.needed_pointers.add(ref)
                    pending.append(ref)
            pending.sort()
            done.append(pointer)
            tokens = [unescape_pointer_token(t) for t in pointer.split("/")[1:]]
            _set_at(pruned, tokens, node)
        return pruned


def _refs_in(node: Any) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                found.append(ref[1:])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _set_at(root: dict[str, Any], tokens: list[str], value: Any) -> None:
    node: Any = root
    for token in tokens[:-1]:
        if isinstance(node, list):
            node = node[int(token)]
            continue
        if token not in node:
            node[token] = {}
        node = node[token]
    if tokens and isinstance(node, dict):
        node[tokens[-1]] = value
