"""Render a cookiecutter-layout template with jinja2 (StrictUndefined), all or nothing.

A template is a directory with cookiecutter.json (the answers and their defaults; string defaults may
refer to earlier answers, as in cookiecutter) and one top directory whose name is a template
(`{{cookiecutter.project_dir}}`). File and directory names and text files are rendered; files that
are not UTF-8 text are copied; file modes are kept. The project is rendered into a temporary
directory next to the target and renamed into place, so a failed generation leaves nothing behind.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

import jinja2

from kit.errors import KitError
from kit.scaffold.validate import c_token, macro_prefix, pmd_answers, validate_name

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
KINDS = ("mempool", "pmd")


def template_dir(template: str | os.PathLike[str]) -> Path:
    """A template by kind ("mempool", "pmd") or by path."""
    path = TEMPLATES / str(template) if str(template) in KINDS else Path(template)
    if not (path / "cookiecutter.json").is_file():
        raise KitError(f"template {template} not found ({path} has no cookiecutter.json)",
                       "reinstall dpdk-kit from its source tree ('pip install -e .'), which carries templates/")
    return path


def _environment() -> jinja2.Environment:
    return jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)


def _render_string(env: jinja2.Environment, text: str, context: dict[str, Any], where: str) -> str:
    try:
        return env.from_string(text).render(cookiecutter=context)
    except jinja2.TemplateError as exc:
        line = f" line {exc.lineno}" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        raise KitError(f"template error in {where}{line}: {exc}", "fix the template") from exc


def _derive(answers: dict[str, Any]) -> dict[str, Any]:
    """Values computed from the name by the one naming rule, whatever cookiecutter.json says."""
    name = answers.get("name")
    if not isinstance(name, str):
        return {}
    return {"macro": macro_prefix(name), "c_name": c_token(name)}


def load_context(template: Path, answers: dict[str, Any]) -> dict[str, Any]:
    """The `cookiecutter` context: cookiecutter.json's defaults, overridden by `answers`, derived values last."""
    try:
        defaults = json.loads((template / "cookiecutter.json").read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise KitError(f"{template}/cookiecutter.json is unreadable: {exc}", "fix the template") from exc
    unknown = sorted(set(answers) - set(defaults))
    if unknown:
        raise KitError(f"template {template.name} has no question {', '.join(unknown)}",
                       f"answer only {', '.join(k for k in defaults if not k.startswith('_'))}")
    env = _environment()
    context: dict[str, Any] = {}
    for key, default in defaults.items():
        if key in answers:
            value = answers[key]
        elif key.startswith("_") and not key.startswith("__"):
            value = default  # private: taken as written, never rendered
        elif isinstance(default, list):
            value = _render_string(env, str(default[0]), context, f"cookiecutter.json key {key}")
        elif isinstance(default, str):
            value = _render_string(env, default, context, f"cookiecutter.json key {key}")
        else:
            value = default
        context[key] = value
        if key == "name":
            derived = _derive(context)
            context.update({k: v for k, v in derived.items() if k not in answers})
    context.update({k: v for k, v in _derive(context).items() if k in defaults and k not in answers})
    return context


def _is_text(data: bytes) -> bool:
    if b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _render_tree(env: jinja2.Environment, src: Path, dst: Path, context: dict[str, Any]) -> None:
    for entry in sorted(src.iterdir()):
        name = _render_string(env, entry.name, context, f"file name {entry}")
        if not name or "/" in name or name in (".", ".."):
            raise KitError(f"template file name {entry.name} renders to {name!r}", "fix the answers or the template")
        target = dst / name
        if entry.is_dir() and not entry.is_symlink():
            target.mkdir()
            _render_tree(env, entry, target, context)
            continue
        data = entry.read_bytes()
        if _is_text(data):
            rendered = _render_string(env, data.decode("utf-8"), context, str(entry))
            target.write_bytes(rendered.encode("utf-8"))
        else:
            target.write_bytes(data)
        os.chmod(target, stat.S_IMODE(entry.stat().st_mode))


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

    Everything is checked before anything is written: the name, the answers, the target (an existing
    directory is refused unless `force`, which then overwrites the template's files in it and leaves the
    others alone)."""
    tdir = template_dir(template)
    kind = tdir.name if tdir.name in KINDS else "driver"
    if "name" in answers:
        validate_name(str(answers["name"]), kind=kind)
    if kind == "pmd":
        answers = pmd_answers(answers)
    context = load_context(tdir, answers)
    env = _environment()
    top = _project_root(tdir)
    project_name = _render_string(env, top.name, context, f"directory name {top.name}")
    if not project_name or "/" in project_name or project_name in (".", ".."):
        raise KitError(f"project directory name renders to {project_name!r}", "fix the answers")
    out_dir = Path(out_dir).absolute()
    target = out_dir / project_name
    _check_target(target, force)
    parent_existed = out_dir.is_dir()
    if out_dir.exists() and not parent_existed:
        raise KitError(f"output directory {out_dir} is not a directory", "choose another output directory")
    created: list[Path] = []  # parents we made, removed again if generation fails
    for p in reversed([out_dir, *out_dir.parents]):
        if not p.exists():
            try:
                p.mkdir()
            except OSError as exc:
                for q in reversed(created):
                    q.rmdir()
                raise KitError(f"cannot create {out_dir}: {exc.strerror}",
                               "choose a writable output directory") from exc
            created.append(p)
    staging = Path(tempfile.mkdtemp(prefix=f".{project_name}.kit-new-", dir=out_dir))
    try:
        root = staging / project_name
        root.mkdir()
        os.chmod(root, 0o777 & ~_umask())
        _render_tree(env, top, root, context)
        if target.is_dir():  # --force: overwrite the template's files, keep the rest
            _merge(root, target)
        else:
            root.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for q in reversed(created):
            shutil.rmtree(q, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
