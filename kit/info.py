"""`kit info PLUGIN`: a plugin's PMD info (read from the file) and the mempool ops it registers (the ops table of a
child EAL with the plugin loaded minus one without it; from the symbol table when it cannot be loaded)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.errors import KitError
from kit.harness import Eal, EalConfig, ops_table, run_in_child
from kit.runtime import check_plugin_path
from kit.toolchain.dpdk import find_dpdk
from kit.toolchain.pmdinfo import read_pmdinfo, static_ops_names


@dataclass(frozen=True)
class PluginInfo:
    plugin: Path
    pmds: tuple[dict[str, Any], ...]
    mempool_ops: tuple[str, ...]
    ops_note: str = ""  # why the ops list may be incomplete (plugin not loadable, registration failed)
    dpdk_version: str = ""  # the installed DPDK the plugin was looked at with

    def lines(self) -> list[str]:
        out = [f"plugin       {self.plugin}"]
        if self.dpdk_version:
            out.append(f"dpdk         {self.dpdk_version} (pkg-config libdpdk: the DPDK it was loaded into)")
        if not self.pmds:
            out.append("pmd          none (no PMD_INFO_STRING: the plugin registers no PMD, or was built without "
                       "'kit build')")
        for pmd in self.pmds:
            out.append(f"pmd          {pmd.get('name', '?')}")
            if pmd.get("params"):
                out.append(f"  params     {pmd['params']}")
            if pmd.get("kmod"):
                out.append(f"  kmod       {pmd['kmod']}")
            for ids in pmd.get("pci_ids", []):
                vendor, device, sub_vendor, sub_device = [*ids, 0xFFFF, 0xFFFF][:4]
                out.append(f"  pci id     {vendor:04x}:{device:04x} subsystem {sub_vendor:04x}:{sub_device:04x}")
        ops = " ".join(self.mempool_ops) if self.mempool_ops else "none"
        out.append(f"mempool ops  {ops}" + (f" ({self.ops_note})" if self.ops_note else ""))
        return out


def _ops_in_child() -> tuple[tuple[str, ...], list[str]]:
    """In a child EAL: the ops table, and the EAL log lines about mempool ops registration."""
    log = [ln.strip() for ln in Eal.current().log_text().splitlines() if "mempool" in ln.lower()]
    return ops_table().names, log


def registered_ops(plugin: Path) -> tuple[tuple[str, ...], str]:
    """The mempool ops `plugin` adds: the table with it loaded minus the table without it (two child EALs)."""
    try:
        real = check_plugin_path(plugin)
    except KitError as err:
        return (), f"not loaded: {err.problem}"
    try:
        base, _ = run_in_child(_ops_in_child, eal=EalConfig(), timeout=60)
        after, log = run_in_child(_ops_in_child, eal=EalConfig(plugins=(str(real),), log_level="info"), timeout=60)
    except Exception as exc:  # a plugin that crashes or fails EAL init: say so instead of a traceback
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return (), f"EAL could not load the plugin: {first}"
    added = list(after)
    for name in base:  # multiset difference: a plugin may register a name that already exists
        if name in added:
            added.remove(name)
    note = ""
    if not added:
        failed = [ln for ln in log if "fail" in ln.lower() or "error" in ln.lower() or "full" in ln.lower()]
        if failed:
            note = f"a registration failed: {failed[0]}"
        elif len(after) >= 16:
            note = "the ops table is full"
    return tuple(added), note


def plugin_info(plugin: Path) -> PluginInfo:
    """`kit info`: the PMD info strings of a plugin and the mempool ops it registers.

    The ops come from loading the plugin in child EALs; when that is impossible (a path EAL refuses, a plugin
    that fails to load), from its symbol table, with a note saying so."""
    plugin = Path(plugin)
    if not plugin.is_file():
        what = "is a directory, not a plugin file" if plugin.is_dir() else "does not exist"
        raise KitError(f"plugin {plugin} {what}", "give the built .so ('kit build DIR' prints its path)")
    pmds = tuple(read_pmdinfo(plugin))
    ops, note = registered_ops(plugin)
    if note and not ops:
        found = static_ops_names(plugin)
        if found:
            ops, note = found, f"from the symbol table: {note}"
    return PluginInfo(plugin.resolve(), pmds, ops, note, find_dpdk().version)
