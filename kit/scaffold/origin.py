"""Where a generated project's CI gets dpdk-kit: the place this kit itself came from, when others can reach it.

A project's workflow installs the kit with `pip install "$KIT_REQUIREMENT"`. dpdk-kit is not on a package index
yet, so the template's default (the bare name) only works once it is; until then the workflow must name the
place the kit is fetched from. pip records how a distribution was installed (PEP 610, `direct_url.json`): a kit
installed from a git URL or a remote archive can hand that on exactly (a git URL pinned to its commit). A kit
installed from a local folder or file cannot: no CI runner sees this machine's folders, so the template's
default stays and the project's README says to set KIT_REQUIREMENT.
"""

from __future__ import annotations

import json
from importlib import metadata
from typing import Any

DISTRIBUTION = "dpdk-kit"


def requirement_from_direct_url(direct_url: dict[str, Any]) -> str | None:
    """The pip requirement that installs the same kit again from anywhere, or None for a local install."""
    url = str(direct_url.get("url", ""))
    if not url or url.startswith("file:"):
        return None
    vcs = direct_url.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs"):
        commit = vcs.get("commit_id") or vcs.get("requested_revision")
        return f"{DISTRIBUTION} @ {vcs['vcs']}+{url}" + (f"@{commit}" if commit else "")
    if "archive_info" in direct_url:
        return f"{DISTRIBUTION} @ {url}"
    return None


def kit_requirement() -> str | None:
    """This kit's own origin as a requirement a CI runner can install, or None when there is none to hand on."""
    try:
        text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    if not text:
        return None  # from an index: the template's default (the name) already finds it
    try:
        return requirement_from_direct_url(json.loads(text))
    except (ValueError, TypeError):
        return None
