"""tools/pmd_template.py converts reference_drivers/mqnic into templates/pmd (tests/scaffold checks the other
direction: the template rendered with its defaults is the reference)."""

from __future__ import annotations

from kit.scaffold import template_dir

from .conftest import load_tool


def test_template_is_the_conversion_of_the_reference() -> None:
    """templates/pmd is what `python tools/pmd_template.py` makes of reference_drivers/mqnic: a change to the
    reference is carried into the template by running it."""
    tool = load_tool("pmd_template")
    assert tool.differences(template_dir("pmd") / tool.TOP) == []
