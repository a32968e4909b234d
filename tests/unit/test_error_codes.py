"""Every error the API raises names a code from the catalogue (core/error_codes.py).

Read from the source, so a new `raise` is checked before any test reaches it: each call of
an AppError class passes `code=` (or the class has its own catalogued code), and every code
written as a literal — `code=`, `gone_code=`, a PydanticCustomError's type — is catalogued.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from mediahub.core.error_codes import CODES, ErrorCode
from mediahub.core.errors import AppError
from mediahub.core.validation import code_and_params, first_error

SRC = Path(__file__).resolve().parents[2] / "src" / "mediahub"
# Calls whose code is a positional argument: name → its index.
POSITIONAL_CODE = {"PydanticCustomError": 0, "PasswordPolicyError": 1, "InvalidAccessToken": 1}


def _trees() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(), str(p))) for p in sorted(SRC.rglob("*.py"))
            if "migrations" not in p.parts]


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def _own_code(cls: ast.ClassDef) -> str | None:
    for stmt in cls.body:
        if (isinstance(stmt, ast.Assign) and [_name(t) for t in stmt.targets] == ["code"]
                and isinstance(stmt.value, ast.Constant)):
            return stmt.value.value
    return None


def _error_classes(trees: list[tuple[Path, ast.Module]]) -> dict[str, str | None]:
    """AppError and its subclasses by name → the code each declares outside core/errors.py
    (the classes there carry generic codes that say only the HTTP status)."""
    classes: dict[str, str | None] = {"AppError": None}
    changed = True
    while changed:  # subclasses of subclasses, in any file order
        changed = False
        for path, tree in trees:
            for node in ast.walk(tree):
                if (isinstance(node, ast.ClassDef) and node.name not in classes
                        and any(_name(b) in classes for b in node.bases)):
                    generic = path.name == "errors.py" and path.parent.name == "core"
                    classes[node.name] = None if generic else _own_code(node)
                    changed = True
    return classes


def _literal_codes(call: ast.Call) -> list[tuple[str, ast.expr]]:
    found = [(kw.arg, kw.value) for kw in call.keywords
             if kw.arg and (kw.arg == "code" or kw.arg.endswith("_code"))
             and kw.arg != "status_code"]
    index = POSITIONAL_CODE.get(_name(call.func))
    if index is not None and len(call.args) > index:
        found.append(("code", call.args[index]))
    return found


def test_every_raised_error_names_a_catalogued_code() -> None:
    trees = _trees()
    classes = _error_classes(trees)
    problems = []
    for path, tree in trees:
        where = path.relative_to(SRC)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for arg, value in _literal_codes(node):
                if isinstance(value, ast.Constant) and isinstance(value.value, str) \
                        and value.value not in CODES:
                    problems.append(f"{where}:{node.lineno}: {arg}={value.value!r} "
                                    "is not in core/error_codes.py")
            name = _name(node.func)
            if name in classes and name != "AppError" and not any(
                    kw.arg == "code" for kw in node.keywords):
                own = classes[name]
                if own is None or own not in CODES:
                    problems.append(f"{where}:{node.lineno}: {name}(...) without code=")
    assert not problems, "\n".join(problems)


def test_the_check_sees_raise_sites() -> None:
    """Guard against a vacuous pass: the scan finds the known error classes and calls."""
    classes = _error_classes(_trees())
    assert {"NotFound", "BadRequest", "UsernameReserved", "JsonTooDeep"} <= set(classes)
    assert classes["UsernameReserved"] == "username_reserved"


def test_class_codes_are_catalogued_or_generic() -> None:
    def walk(cls: type[AppError]) -> list[type[AppError]]:
        return [cls, *(c for sub in cls.__subclasses__() for c in walk(sub))]
    import mediahub.auth.service
    import mediahub.core.request_guard  # noqa: F401 - defines subclasses
    specific = [c for c in walk(AppError) if c.__module__ != "mediahub.core.errors"]
    assert specific and all(c.code in CODES for c in specific)


def test_the_openapi_enum_is_the_catalogue() -> None:
    assert [e.value for e in ErrorCode] == list(CODES)


@pytest.mark.parametrize(("error", "code", "params"), [
    ({"type": "missing", "loc": ("body", "username")}, "validation.missing",
     {"field": "username"}),
    ({"type": "string_too_long", "loc": ("query", "q"), "ctx": {"max_length": 64}},
     "validation.too_long", {"field": "q", "max": 64}),
    ({"type": "string_pattern_mismatch", "loc": ("path", "token"),
      "ctx": {"pattern": "^[0-9A-Za-z]+$"}}, "validation.format", {"field": "token"}),
    ({"type": "uuid_parsing", "loc": ("path", "id")}, "validation.wrong_type", {"field": "id"}),
    ({"type": "username.invalid", "loc": ("body", "username"),
      "ctx": {"min": 3, "max": 32, "allowed": "A-Z"}}, "username.invalid",
     {"field": "username", "min": 3, "max": 32, "allowed": "A-Z"}),
    ({"type": "something_new", "loc": ("body", "x", 0)}, "validation.invalid", {"field": "x.0"}),
])
def test_validation_errors_map_to_codes(error, code, params) -> None:
    assert code_and_params(error) == (code, params)
    assert code in CODES


def test_a_union_body_is_named_by_the_model_it_came_closest_to() -> None:
    errors = [
        {"type": "missing", "loc": ("body", "MaxLogin", "init_data")},
        {"type": "extra_forbidden", "loc": ("body", "MaxLogin", "username")},
        {"type": "missing", "loc": ("body", "PasswordLogin", "password")},
    ]
    assert code_and_params(first_error(errors)) == ("validation.missing", {"field": "password"})


def test_every_transcription_stage_has_a_name_in_both_languages() -> None:
    """The studio shows the worker's stage; an untranslated one would show its raw name."""
    sources = "\n".join(p.read_text() for p in (SRC / "transcription").glob("*.py"))
    reported = set(re.findall(
        r"""(?:progress|report|send)\(\s*["']([a-z_]+)["']|"stage":\s*"([a-z_]+)\"""", sources))
    # A stage chosen by a condition: progress("a" if warming else "b", ...).
    conditional = r"""progress\(\s*"([a-z_]+)" if [^,]*? else "([a-z_]+)\""""
    for first, second in re.findall(conditional, sources):
        reported |= {(first, ""), (second, "")}
    weights = re.search(r"STAGE_WEIGHTS = \{(.*?)\}", sources, re.S)
    assert weights is not None
    stages = {a or b for a, b in reported} | set(re.findall(r'"([a-z_]+)":', weights.group(1)))
    assert {"waiting", "downloading", "loading_model", "transcribing", "saving"} <= stages
    messages = (SRC.parents[1] / "web" / "src" / "i18n" / "messages.ts").read_text()
    for stage in stages:
        assert messages.count(f"'studio.stageName.{stage}':") == 2, stage  # en and ru
