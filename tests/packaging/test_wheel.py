"""The kit as a user installs it: a wheel built from this repository, installed into a fresh virtual environment
(its dependencies from the package index), used from a directory outside the checkout.

One slow test (a minute or two: the wheel, the dependencies, a fresh build of the harness's cffi extension).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import kit
from kit.paths import cache_root
from kit.scaffold import render

from ..scaffold.test_template import tree

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def work_area() -> Iterator[Path]:
    """A fresh directory under the kit's cache, not /tmp: EAL refuses plugins below a world-writable directory."""
    area = cache_root() / "test-packaging" / f"wheel-{os.getpid()}"
    shutil.rmtree(area, ignore_errors=True)
    area.mkdir(parents=True, mode=0o755)
    yield area
    shutil.rmtree(area, ignore_errors=True)


# What a wheel is built from; build output, venvs and caches an in-tree build could pick up are left out. Copied
# without git: the README's test command also runs where git is not installed (ci/cleanroom.sh).
SOURCE_ENTRIES = ("pyproject.toml", "README.md", "kit", "templates")
NOT_SOURCE = shutil.ignore_patterns("__pycache__", "build", "*.so", "*.o", "*.egg-info", ".pytest_cache")


def copy_sources(dst: Path) -> Path:
    """The files the package is built from, and nothing written into the checkout. Links (kit/_templates) stay
    links."""
    dst.mkdir(parents=True)
    for name in SOURCE_ENTRIES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dst / name, symlinks=True, ignore=NOT_SOURCE)
        else:
            shutil.copy2(src, dst / name)
    return dst


def run(cmd: list[str | Path], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=900,
                          check=False)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n{proc.stdout[-4000:]}\n" \
                                 f"{proc.stderr[-4000:]}"
    return proc


def user_env(venv: Path, cache: Path) -> dict[str, str]:
    """The new venv's bin first on PATH and this checkout's venv off it; the kit's cache in the work area."""
    ours = str(Path(sys.executable).parent)
    path = [str(venv / "bin"), *(p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != ours)]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return dict(env, PATH=os.pathsep.join(path), DPDK_KIT_CACHE=str(cache))


def test_wheel_in_a_fresh_venv(work_area: Path, tmp_path: Path, record_property: pytest.RecordProperty) -> None:
    """Steps: pip wheel --no-deps from a copy of the repository; python -m venv; pip install the wheel; from a
    directory outside the checkout: kit new-pmd acme, kit build acme, kit test acme, python -m kit --version.
    Verify: the wheel carries every template file and the C sources the harness, probes and bench compile; the
    installed kit is the wheel's (not the checkout's); the project is the one the checkout renders, byte for byte;
    build and test are green with a cache holding only the SDK headers (so the harness's cffi extension is built
    by the new venv); the version is kit.__version__ in both the metadata and --version."""
    start = time.monotonic()
    src = copy_sources(tmp_path / "src")
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--disable-pip-version-check", "-w",
         tmp_path / "dist", src], cwd=tmp_path, env=dict(os.environ))
    (wheel,) = (tmp_path / "dist").glob("dpdk_kit-*.whl")
    assert wheel.name.startswith(f"dpdk_kit-{kit.__version__}-")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    templates = {f"kit/_templates/{p.relative_to(REPO / 'templates')}" for p in (REPO / "templates").rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts}
    c_sources = {str(p.relative_to(REPO)) for p in (REPO / "kit").rglob("*.[ch]") if "_templates" not in p.parts}
    assert templates and c_sources and not (templates | c_sources) - shipped, sorted((templates | c_sources) - shipped)
    built = time.monotonic()

    venv = work_area / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=work_area, env=dict(os.environ))
    run([venv / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel],
        cwd=work_area, env=dict(os.environ))
    installed = time.monotonic()

    cache = work_area / "cache"
    if (cache_root() / "sdk").is_dir():  # the headers only: kit sdk finds them, everything else is built anew
        shutil.copytree(cache_root() / "sdk", cache / "sdk")
    env = user_env(venv, cache)
    python = str(venv / "bin" / "python")
    where = run([python, "-c", "import importlib.metadata as m, kit; print(kit.__file__, m.version('dpdk-kit'))"],
                cwd=work_area, env=env).stdout.split()
    assert Path(where[0]).is_relative_to(venv) and where[1] == kit.__version__, where

    assert run(["kit", "new-pmd", "acme"], cwd=work_area, env=env).stdout.strip() == str(work_area / "acme")
    assert tree(work_area / "acme") == tree(render("pmd", tmp_path / "checkout", {"name": "acme"}))
    assert not list((work_area / "acme").rglob("__pycache__")), "pip's byte-compiled templates were copied"
    assert "librte_net_acme.so" in run(["kit", "build", "acme"], cwd=work_area, env=env).stdout
    tested = run(["kit", "test", "acme"], cwd=work_area, env=env).stderr
    assert "acme: conformance suite passed, project tests passed" in tested, tested[-4000:]
    assert (cache / "harness").is_dir(), "the harness was not built in the new cache"
    version = run([python, "-m", "kit", "--version"], cwd=work_area, env=env).stdout
    assert version.strip() == f"dpdk-kit {kit.__version__}"
    done = time.monotonic()

    timing = {"wheel_s": built - start, "install_s": installed - built, "use_s": done - installed}
    for key, seconds in timing.items():
        record_property(key, round(seconds, 1))
    print(f"wheel {timing['wheel_s']:.1f} s, venv + install {timing['install_s']:.1f} s, "
          f"new-pmd + build + test {timing['use_s']:.1f} s")
