"""Devargs a driver documents (its PMD info, as dpdk-pmdinfo.py reads it) and sample values for each, so that E13
can probe the device with every documented key."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from kit.conformance.plugin import KitTarget
from kit.toolchain.dpdk import find_dpdk

# Values for documented devargs whose param string gives no usable example.
SAMPLE_VALUES = {
    "name:node:action(ATTACH|CREATE)": "kitr:0:CREATE",
    "<xx:xx:xx:xx:xx:xx>": "02:00:00:00:00:01",  # a locally administered unicast MAC
}


def pmd_info(kit_target: KitTarget) -> tuple[list[dict[str, object]], list[Path]]:
    files = list(kit_target.plugins)
    if not files:
        plugin_dir = find_dpdk().plugin_dir
        assert plugin_dir is not None, "DPDK's plugin directory is unknown: cannot find the driver's library"
        files = [plugin_dir / f"librte_{kit_target.driver}.so"]
    tool = shutil.which("dpdk-pmdinfo.py")
    assert tool, "dpdk-pmdinfo.py is not installed (apt-get install dpdk-dev)"
    proc = subprocess.run([tool, *map(str, files)], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, f"dpdk-pmdinfo.py {' '.join(map(str, files))} failed: {proc.stderr[-800:]}"
    return json.loads(proc.stdout or "[]"), files


def documented_keys(entry: dict[str, object]) -> dict[str, str]:
    params = str(entry.get("params", ""))
    keys = {}
    for token in params.split():
        key, _, spec = token.partition("=")
        keys[key] = spec
    return keys


# An empty classic pcap file (global header only: little-endian, version 2.4, snaplen 65535, Ethernet).
EMPTY_PCAP = bytes.fromhex("d4c3b2a1020004000000000000000000ffff000001000000")


def sample_file(key: str, scratch: Path) -> str:
    """A file for a "<file>" devarg, in the test's scratch directory: an empty pcap for pcap keys (a driver
    reading frames from it finds none), an empty file otherwise. Drivers that write the file write it there."""
    path = scratch / f"e13-{key}"
    path.write_bytes(EMPTY_PCAP if "pcap" in key else b"")
    return str(path)


def sample_value(spec: str) -> str | None:
    """A value a documented spec admits: a listed sample, the low end of a numeric range "<a-b>", 1 for a
    count ("<int>", "<frames>", ...), else the first of the alternatives "a|b" or the placeholder word itself."""
    if spec in SAMPLE_VALUES:
        return SAMPLE_VALUES[spec]
    numeric_range = re.fullmatch(r"<(\d+)-(\d+)>", spec)
    if numeric_range:
        return numeric_range.group(1)
    if re.fullmatch(r"<(int|num\w*|count|frames|packets|bytes)>", spec):
        return "1"
    alternatives = [a for a in re.split(r"[|<>()]", spec) if a]
    if alternatives and all(re.fullmatch(r"[\w.-]+", a) for a in alternatives):
        return alternatives[0]
    return None


def with_mode(key: str, keys: dict[str, str]) -> str:
    """A key that only makes sense in a mode another key selects ("pair=<port>" with "wire=...|pair") is tried
    in that mode: ",wire=pair". Empty when no documented key lists this key among its alternatives."""
    for other, spec in keys.items():
        if other != key and key in re.split(r"[|<>()]", spec):
            return f",{other}={key}"
    return ""
