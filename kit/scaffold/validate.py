"""Checks on template answers, run before anything is written. Each failure is one KitError line.

A driver name ends up as a C identifier prefix, a meson project name, a plugin file name
(librte_<class>_<name>.so), a log type and the name DPDK looks the driver up by, so it must be all
of these at once.
"""

from __future__ import annotations

import re

from kit.errors import KitError

NAME_RE = re.compile(r"[a-z][a-z0-9_]*")
MAX_NAME = 24

# Mempool ops names of DPDK 22.11's own drivers (drivers/mempool/*). Lookup is by exact name, but a name
# that prefixes one of these (or is prefixed by one) is confusing in logs, plugin names and devargs.
DPDK_MEMPOOL_OPS: tuple[str, ...] = (
    "ring_mp_mc", "ring_sp_sc", "ring_mp_sc", "ring_sp_mc", "ring_mt_rts", "ring_mt_hts",
    "stack", "lf_stack", "bucket", "octeontx_fpavf", "cn9k_mempool_ops", "cn10k_mempool_ops",
    "dpaa", "dpaa2",
)

C_KEYWORDS = frozenset((
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
    "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
    "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "asm",
    "typeof",
))


def c_token(name: str) -> str:
    """The one naming rule: lower case, every non-alphanumeric character becomes '_'."""
    return re.sub(r"[^a-z0-9]", "_", name.lower())


def macro_prefix(name: str) -> str:
    """The C macro spelling of a name: its C token in upper case (kit_ring -> KIT_RING)."""
    return c_token(name).upper()


def validate_name(name: str, kind: str = "mempool") -> str:
    """Return `name` if it can name a DPDK driver of `kind`, else raise KitError with the fix."""
    what = f"{kind} driver name {name!r}"
    if not name:
        raise KitError(f"{kind} driver name is empty", "give a name such as acme_pool")
    token = c_token(name)
    suggestion = token if NAME_RE.fullmatch(token) else "acme_pool"
    if name[0].isdigit():
        raise KitError(f"{what} starts with a digit: it must be a C identifier",
                       f"start it with a letter, e.g. {'x' + token if NAME_RE.fullmatch('x' + token) else 'acme_pool'}")
    if not NAME_RE.fullmatch(name):
        raise KitError(f"{what} may only contain lower-case letters, digits and '_' (it becomes C identifiers and "
                       "the plugin's file name)", f"use {suggestion}")
    if len(name) > MAX_NAME:
        raise KitError(f"{what} is {len(name)} characters long, more than {MAX_NAME}",
                       f"use at most {MAX_NAME} characters, e.g. {name[:MAX_NAME].rstrip('_')}")
    if name in C_KEYWORDS:
        raise KitError(f"{what} is a C keyword", f"use e.g. {name}_pool")
    if kind == "mempool":
        for ops in DPDK_MEMPOOL_OPS:
            if ops.startswith(name) or name.startswith(ops):
                relation = "is DPDK's" if ops == name else ("prefixes" if ops.startswith(name) else "starts with")
                raise KitError(f"{what} {relation} mempool ops name {ops!r} (DPDK's own drivers: "
                               f"{', '.join(DPDK_MEMPOOL_OPS[:8])}, ...)",
                               "choose a name that neither prefixes nor starts with a DPDK ops name, e.g. acme_pool")
    return name


def check_power_of_two(value: int, what: str, *, minimum: int = 1, maximum: int = 1 << 30) -> int:
    if value < minimum or value > maximum or value & (value - 1):
        raise KitError(f"{what} {value} is not a power of two between {minimum} and {maximum}",
                       f"use e.g. {1 << max(0, (max(value, minimum) - 1).bit_length())}"
                       if value <= maximum else f"use at most {maximum}")
    return value


def check_id(value: int, what: str) -> int:
    """A 16-bit id (PCI vendor/device ids)."""
    if not 0 <= value <= 0xFFFF:
        raise KitError(f"{what} {value:#x} is out of range", "use a value from 0x0000 to 0xffff")
    return value
