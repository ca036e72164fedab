"""Render a cookiecutter-layout template with jinja2 (StrictUndefined), all or nothing.

A template is a directory with cookiecutter.json (the questions and their defaults; string defaults may refer to
earlier answers, as in cookiecutter) and one top directory whose name is a template (`{{cookiecutter.project_dir}}`).
File and directory names and UTF-8 text files are rendered, other files are copied, file modes are kept. The whole
project is rendered in memory first, so a template error writes nothing; it is then written into a temporary
directory next to the target and renamed into place, so a failed write leaves nothing behind either. Why this and
not cookiecutter itself: docs/templates.md.

The templates ship inside the package as `kit/_templates` (in the source tree a link to the top-level
`templates/`), found with importlib.resources whether the kit is installed from a wheel or in editable mode.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from kit.errors import KitError
from kit.paths import output_dir
from kit.scaffold.origin import kit_requirement
from kit.scaffold.validate import pmd_answers, validate_name

# The package is always on disk (the harness compiles C sources next to its modules), so this is a real directory.
TEMPLATES = Path(str(resources.files("kit") / "_templates"))
KINDS = ("mempool", "pmd")

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)

# (path relative to the output directory, content or None for a directory, file mode)
Entry = tuple[Path, bytes | None, int]


def template_dir(template: str | os.PathLike[str]) -> Path:
    """A template by kind ("mempool", "pmd") or by path."""
    path = TEMPLATES / str(template) if str(template) in KINDS else Path(template)
    if not (path / "cookiecutter.json").is_file():
        raise KitError(f"template {template} not found ({path} has no cookiecutter.json)",
                       "reinstall dpdk-kit: its package carries the templates in kit/_templates")
    return path


def _render(text: str, context: dict[str, Any], where: str) -> str:
    try:
        return _ENV.from_string(text).render(cookiecutter=context)
    except jinja2.TemplateError as exc:
        line = f" line {exc.lineno}" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        raise KitError(f"template error in {where}{line}: {exc}", "fix the template") from exc


def load_context(template: Path, answers: dict[str, Any]) -> dict[str, Any]:
    """The `cookiecutter` context as cookiecutter makes it without prompting: cookiecutter.json's keys in order,
    each from `answers` or its default (a string rendered with the values before it, `_private` ones as written,
    a list's first choice)."""
    try:
        defaults = json.loads((template / "cookiecutter.json").read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise KitError(f"{template}/cookiecutter.json is unreadable: {exc}", "fix the template") from exc
    unknown = sorted(set(answers) - set(defaults))
    if unknown:
        raise KitError(f"template {template.name} has no question {', '.join(unknown)}",
                       f"answer only {', '.join(k for k in defaults if not k.startswith('_'))}")
    context: dict[str, Any] = {}
    for key, default in defaults.items():
        if key in answers or (key.startswith("_") and not key.startswith("__")):
            context[key] = answers.get(key, default)  # an answer, or a private value: taken as written
            continue
        value = default[0] if isinstance(default, list) else default
        context[key] = _render(value, context, f"cookiecutter.json key {key}") if isinstance(value, str) else value
    return context


def _is_text(data: bytes) -> bool:
    if b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _render_tree(src: Path, parent: Path, context: dict[str, Any]) -> list[Entry]:
    """`src` and everything below it, rendered into `parent`: directories before their contents, in name order."""
    name = _render(src.name, context, f"file name {src}")
    if not name or "/" in name or name in (".", ".."):
        raise KitError(f"template file name {src.name} renders to {name!r}", "fix the answers or the template")
    rel = parent / name
    if src.is_dir():  # pip byte-compiles the templates' .py files when it installs the kit: no __pycache__
        children = sorted(child for child in src.iterdir() if child.name != "__pycache__")
        return [(rel, None, 0), *(e for child in children for e in _render_tree(child, rel, context))]
    data = src.read_bytes()
    if _is_text(data):
        data = _render(data.decode("utf-8"), context, str(src)).encode("utf-8")
    return [(rel, data, stat.S_IMODE(src.stat().st_mode))]


def _project_root(template: Path) -> Path:
    tops = [p for p in template.iterdir() if p.is_dir() and "{{" in p.name]
    if len(tops) != 1:
        raise KitError(f"template {template} must have exactly one top directory named by a template, "
                       f"found {len(tops)}", "fix the template")
    return tops[0]


def _check_target(target: Path, force: bool) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise KitError(f"{target} exists and is not a directory", "choose another name or output directory")
    if target.is_dir() and not force:
        raise KitError(f"{target} already exists", "choose another name or output directory, or pass --force "
                       "to overwrite the template's files in it")


def render(template: str | os.PathLike[str], out_dir: Path, answers: dict[str, Any], force: bool = False) -> Path:
    """Render `template` into out_dir/<project_dir> and return that directory.

    Everything is checked before anything is written: the name, the answers, the template (rendered in memory),
    the target (an existing directory is refused unless `force`, which then overwrites the template's files in it
    and leaves the others alone)."""
    tdir = template_dir(template)
    kind = tdir.name if tdir.name in KINDS else "driver"
    if "name" in answers:
        validate_name(str(answers["name"]), kind=kind)
    if kind == "pmd":
        answers = pmd_answers(answers)
    if "kit_requirement" not in answers and (origin := kit_requirement()) is not None:
        answers = {**answers, "kit_requirement": origin}  # the project's CI installs the kit it was made with
    entries = _render_tree(_project_root(tdir), Path(), load_context(tdir, answers))
    out_dir = Path(out_dir).absolute()
    target = out_dir / entries[0][0]
    _check_target(target, force)
    made = next((p for p in reversed([out_dir, *out_dir.parents]) if not p.exists()), None)  # removed on failure
    try:
        output_dir(out_dir, "the new project")
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.kit-new-", dir=out_dir))
        try:
            for rel, data, mode in entries:
                if data is None:
                    (staging / rel).mkdir()
                else:
                    (staging / rel).write_bytes(data)
                    (staging / rel).chmod(mode)
            if target.is_dir():  # --force: overwrite the template's files, keep the rest
                _merge(staging / target.name, target)
            else:
                (staging / target.name).rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException as exc:
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)
        if isinstance(exc, OSError):
            raise KitError(f"cannot write {target}: {exc.strerror or exc}",
                           "choose an output directory you can write to") from exc
        raise
    return target


def _merge(src: Path, dst: Path) -> None:
    for entry in src.iterdir():
        target = dst / entry.name
        if entry.is_dir():
            if target.exists() and not target.is_dir():
                target.unlink()
            target.mkdir(exist_ok=True)
            _merge(entry, target)
        else:
            if target.is_dir():
                shutil.rmtree(target)
            os.replace(entry, target)
