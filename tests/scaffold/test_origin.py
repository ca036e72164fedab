"""A generated project's CI installs the kit it was made with, when a runner can reach that kit's origin."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from kit.scaffold import origin, render

RENDER_MODULE = importlib.import_module("kit.scaffold.render")  # the package's `render` is the function
GIT = {"url": "https://example.org/team/dpdk-kit.git",
       "vcs_info": {"vcs": "git", "commit_id": "0123456789abcdef0123456789abcdef01234567"}}


@pytest.mark.parametrize(("direct_url", "expected"), [
    (GIT, "dpdk-kit @ git+https://example.org/team/dpdk-kit.git@0123456789abcdef0123456789abcdef01234567"),
    ({"url": "https://example.org/dpdk_kit-0.1.0-py3-none-any.whl", "archive_info": {}},
     "dpdk-kit @ https://example.org/dpdk_kit-0.1.0-py3-none-any.whl"),
    ({"url": "file:///home/me/dpdk-kit", "dir_info": {"editable": True}}, None),
    ({"url": "file:///home/me/wheels/dpdk_kit-0.1.0-py3-none-any.whl", "archive_info": {}}, None),
    ({}, None),
])
def test_requirement_from_how_the_kit_was_installed(direct_url: dict, expected: str | None) -> None:
    assert origin.requirement_from_direct_url(direct_url) == expected


@pytest.mark.parametrize("kind", ["pmd", "mempool"])
def test_generated_workflow_installs_the_kits_origin(kind: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    wanted = origin.requirement_from_direct_url(GIT)
    monkeypatch.setattr(RENDER_MODULE, "kit_requirement", lambda: wanted)
    project = render(kind, tmp_path, {"name": "acme"})
    workflow = (project / ".github/workflows/ci.yml").read_text()
    assert f'KIT_REQUIREMENT: "{wanted}"' in workflow


@pytest.mark.parametrize("kind", ["pmd", "mempool"])
def test_local_kit_keeps_the_templates_default(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RENDER_MODULE, "kit_requirement", lambda: None)
    project = render(kind, tmp_path, {"name": "acme"})
    assert 'KIT_REQUIREMENT: "dpdk-kit"' in (project / ".github/workflows/ci.yml").read_text()
