"""Render driver project templates (templates/<kind>/, cookiecutter layout) after validating the answers.

Rendering only: kit.project finds, builds and tests the projects it writes.

Public API::

    render(template, out_dir, answers, force=False) -> Path   # "mempool", "pmd" or a template directory
    template_dir(name) -> Path
    validate_name(name, kind) -> str                          # kind "mempool" or "pmd"
    pmd_answers(answers) -> dict                               # PCI ids, queue maximum, ring size, MAC checked
    c_token(name) -> str                                       # the one naming rule
"""

from kit.scaffold.render import TEMPLATES, load_context, render, template_dir
from kit.scaffold.validate import (
    DPDK_MEMPOOL_OPS,
    c_token,
    check_id,
    check_mac,
    check_power_of_two,
    installed_net_drivers,
    macro_prefix,
    parse_int,
    pmd_answers,
    validate_name,
)

__all__ = [
    "DPDK_MEMPOOL_OPS",
    "TEMPLATES",
    "c_token",
    "check_id",
    "check_mac",
    "check_power_of_two",
    "installed_net_drivers",
    "load_context",
    "macro_prefix",
    "parse_int",
    "pmd_answers",
    "render",
    "template_dir",
    "validate_name",
]
