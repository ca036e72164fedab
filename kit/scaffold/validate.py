"""Checks on template answers, run before anything is written. Each failure is one KitError line.

A driver name ends up as a C identifier prefix, a meson project name, a plugin file name
(librte_<class>_<name>.so), a log type and the name DPDK looks the driver up by, so it must be all
of these at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

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


# Where Debian's DPDK 22.11 keeps its driver plugins; its librte_net_<name>.so are the net drivers installed.
PLUGIN_DIR = Path("/usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0")
# DPDK 22.11's net drivers, for a machine whose plugin directory cannot be read.
DPDK_NET_DRIVERS: tuple[str, ...] = (
    "af_packet", "af_xdp", "ark", "atlantic", "avp", "axgbe", "bnx2x", "bnxt", "bond", "cnxk", "cxgbe", "dpaa",
    "dpaa2", "e1000", "ena", "enetc", "enetfec", "enic", "failsafe", "fm10k", "gve", "hinic", "hns3", "i40e", "iavf",
    "ice", "idpf", "igc", "ionic", "ipn3ke", "ixgbe", "liquidio", "memif", "mlx4", "mlx5", "netvsc", "nfp", "ngbe",
    "null", "octeon_ep", "octeontx", "pcap", "pfe", "qede", "ring", "sfc", "softnic", "tap", "thunderx", "txgbe",
    "vdev_netvsc", "vhost", "virtio", "vmxnet3",
)


def installed_net_drivers(plugin_dir: Path | None = None) -> tuple[str, ...]:
    """Names of the net drivers in the plugin directory (librte_net_<name>.so), else DPDK 22.11's list."""
    directory = plugin_dir if plugin_dir is not None else _plugin_dir()
    names = sorted({p.name[len("librte_net_"):].split(".so", 1)[0] for p in directory.glob("librte_net_*.so*")})
    return tuple(names) if names else DPDK_NET_DRIVERS


def _plugin_dir() -> Path:
    try:
        from kit.toolchain.dpdk import find_dpdk

        found = find_dpdk().plugin_dir
    except KitError:
        found = None
    return found if found is not None and found.is_dir() else PLUGIN_DIR


def c_token(name: str) -> str:
    """The one naming rule: lower case, every non-alphanumeric character becomes '_'."""
    return re.sub(r"[^a-z0-9]", "_", name.lower())


def macro_prefix(name: str) -> str:
    """The C macro spelling of a name: its C token in upper case (kit_ring -> KIT_RING)."""
    return c_token(name).upper()


def validate_name(name: str, kind: str = "mempool") -> str:
    """Return `name` if it can name a DPDK driver of `kind`, else raise KitError with the fix."""
    what = f"{'PMD' if kind == 'pmd' else kind + ' driver'} name {name!r}"
    example = "acme_nic" if kind == "pmd" else "acme_pool"
    if not name:
        raise KitError(f"{kind} driver name is empty", f"give a name such as {example}")
    token = c_token(name)
    suggestion = token if NAME_RE.fullmatch(token) else example
    if name[0].isdigit():
        raise KitError(f"{what} starts with a digit: it must be a C identifier",
                       f"start it with a letter, e.g. {'x' + token if NAME_RE.fullmatch('x' + token) else example}")
    if not NAME_RE.fullmatch(name):
        raise KitError(f"{what} may only contain lower-case letters, digits and '_' (it becomes C identifiers and "
                       "the plugin's file name)", f"use {suggestion}")
    if len(name) > MAX_NAME:
        raise KitError(f"{what} is {len(name)} characters long, more than {MAX_NAME}",
                       f"use at most {MAX_NAME} characters, e.g. {name[:MAX_NAME].rstrip('_')}")
    if name in C_KEYWORDS:
        raise KitError(f"{what} is a C keyword", f"use e.g. {name}_{'nic' if kind == 'pmd' else 'pool'}")
    if kind == "pmd":
        drivers = installed_net_drivers()
        for drv in drivers:
            if drv.startswith(name) or name.startswith(drv):
                relation = "is" if drv == name else ("prefixes" if drv.startswith(name) else "starts with")
                raise KitError(f"{what} {relation} the installed DPDK net driver name {drv!r} (net_{drv}; "
                               f"{len(drivers)} net drivers installed: {', '.join(drivers[:6])}, ...)",
                               "choose a name that neither prefixes nor starts with a DPDK net driver name, "
                               "e.g. acme_nic")
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


PMD_MAX_QUEUES = 128  # the sim's default of 4 queues and the tests need 4; the RSS indirection table has 128 entries
PMD_RING_MIN, PMD_RING_MAX = 64, 32768  # 16-bit hardware pointers, 64-entry blocks (REGISTERS.md)
MAC_RE = re.compile(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}")


def parse_int(text: str | int, what: str) -> int:
    """An integer as the user wrote it: decimal or 0x-prefixed hexadecimal."""
    if isinstance(text, int):
        return text
    try:
        return int(str(text).strip(), 0)
    except ValueError:
        raise KitError(f"{what} {text!r} is not a number", "write it in decimal or as 0x-prefixed hex, e.g. 0x1234") \
            from None


def check_mac(text: str) -> str:
    """A unicast, locally usable MAC address XX:XX:XX:XX:XX:XX (lower case out)."""
    mac = str(text).strip().lower().replace("-", ":")
    if not MAC_RE.fullmatch(mac):
        raise KitError(f"MAC address {text!r} is not six hex bytes XX:XX:XX:XX:XX:XX", "use e.g. 02:00:00:00:01:00")
    first = int(mac[:2], 16)
    if first & 1:
        raise KitError(f"MAC address {mac} is a multicast address (bit 0 of the first byte is set)",
                       f"use a unicast address, e.g. {first & 0xFE:02x}{mac[2:]}")
    if mac == "00:00:00:00:00:00":
        raise KitError("MAC address 00:00:00:00:00:00 is not a valid address", "use e.g. 02:00:00:00:01:00")
    return mac


def pmd_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """The PMD template's answers checked and normalized (ids as 0x%04x, sizes as decimal strings)."""
    out = dict(answers)
    for key, what in (("vendor_id", "PCI vendor id"), ("device_id", "PCI device id")):
        if key in out:
            out[key] = f"{check_id(parse_int(out[key], what), what):#06x}"
    if "max_queues" in out:
        queues = parse_int(out["max_queues"], "queue maximum")
        if not 4 <= queues <= PMD_MAX_QUEUES:
            raise KitError(f"queue maximum {queues} is out of range (the sim's ports have 4 queues by default and "
                           f"the RSS indirection table {PMD_MAX_QUEUES} entries)",
                           f"use 4 to {PMD_MAX_QUEUES}, e.g. 16")
        out["max_queues"] = str(queues)
    if "ring_size" in out:
        size = check_power_of_two(parse_int(out["ring_size"], "ring size"), "ring size", minimum=PMD_RING_MIN,
                                  maximum=PMD_RING_MAX)
        out["ring_size"] = str(size)
    if "mac" in out:
        out["mac"] = check_mac(out["mac"])
    return out
