"""Render driver project templates (templates/<kind>/, cookiecutter layout) after validating the answers.

Public API::

    render(template, out_dir, answers, force=False) -> Path   # "mempool" or a template directory
    template_dir(name) -> Path
    validate_name(name, kind) -> str
    c_token(name) -> str                                       # the one naming rule
"""

from kit.scaffold.render import TEMPLATES, load_context, render, template_dir
from kit.scaffold.validate import (
    DPDK_MEMPOOL_OPS,
    c_token,
    check_id,
    check_power_of_two,
    macro_prefix,
    validate_name,
)

__all__ = [
    "DPDK_MEMPOOL_OPS",
    "TEMPLATES",
    "c_token",
    "check_id",
    "check_power_of_two",
    "load_context",
    "macro_prefix",
    "render",
    "template_dir",
    "validate_name",
]
