"""PMD info: what `dpdk-pmdinfo.py` lists for a driver (name, devargs, PCI ids, kmod dependency).

DPDK's registration macros leave, in the relocatable object of each driver, a string `this_pmd_name<N>`
(`this_pmd_name<driver name>` from DPDK 25.11 on) holding the driver name and, optionally,
`__<name>_param_string_export`, `__<name>_kmod_dep_export` and `__<name>_pci_tbl_export` (the name of the
`struct rte_pci_id` table). Like DPDK's pmdinfogen we read them with pyelftools from the objects (the linked
plugin keeps no static symbols reliably) and emit a C file defining `PMD_INFO_STRING= {json}` strings, which end
up in the plugin's .rodata once linked.

`kit build` does this after ninja: for each plugin whose objects register a PMD and that has no PMD info
yet, it compiles the generated C file and re-runs the plugin's link command (taken from ninja) with the
extra object. A meson project can instead call `kit pmdinfo OBJ... -o FILE.c` from a custom_target.

`read_pmdinfo(so)` reads it back; `static_ops_names(so)` reads the mempool ops a plugin declares from its symbol
table (kit.info loads the plugin to list what it registers).
"""

from __future__ import annotations

import json
import re
import shlex
import struct
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile
from elftools.elf.sections import Symbol, SymbolTableSection

from kit.errors import KitError
from kit.paths import kit_tool
from kit.toolchain.compile import require_c_compiler

PREFIX = "PMD_INFO_STRING="
# this_pmd_name<N> (a per-file counter) until DPDK 25.11, this_pmd_name<driver name> since
NAME_SYMBOL = re.compile(r"this_pmd_name[0-9A-Za-z_]+")
PCI_ID = struct.Struct("IHHHH")  # struct rte_pci_id: class_id, vendor, device, subsystem vendor, subsystem device
OPTIONS = (("params", "_param_string_export"), ("kmod", "_kmod_dep_export"))


@dataclass
class PmdDriver:
    """One registered PMD, in the shape dpdk-pmdinfo.py reads (json keys: name, params, kmod, pci_ids)."""

    name: str
    params: str | None = None
    kmod: str | None = None
    pci_ids: list[tuple[int, int, int, int]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        info: dict[str, Any] = {"name": self.name}
        if self.params is not None:
            info["params"] = self.params
        if self.kmod is not None:
            info["kmod"] = self.kmod
        info["pci_ids"] = [list(ids) for ids in self.pci_ids]
        return info


class _Object:
    """A relocatable ELF object's symbol table, with values read from the symbols' sections."""

    def __init__(self, path: Path, data: bytes) -> None:
        import io

        self.path = path
        try:
            self.elf = ELFFile(io.BytesIO(data))
        except ELFError as exc:
            raise KitError(f"{path} is not an ELF object: {exc}", "pass the driver's .o files") from exc
        symtab = self.elf.get_section_by_name(".symtab")
        self.symbols: dict[str, Symbol] = {}
        if isinstance(symtab, SymbolTableSection):
            for sym in symtab.iter_symbols():
                if sym.name and isinstance(sym["st_shndx"], int):  # defined here, not SHN_UNDEF/ABS/COMMON
                    self.symbols.setdefault(sym.name, sym)
        self.fmt = "<" if self.elf.little_endian else ">"

    def value(self, sym: Symbol, offset: int = 0, size: int | None = None) -> bytes:
        section = self.elf.get_section(sym["st_shndx"])
        if section["sh_type"] == "SHT_NOBITS":
            return bytes(size if size is not None else sym["st_size"])
        data = section.data()
        start = sym["st_value"] + offset
        end = sym["st_value"] + sym["st_size"] if size is None else start + size
        return data[start:end]

    def string(self, name: str) -> str | None:
        sym = self.symbols.get(name)
        if sym is None:
            return None
        return self.value(sym).split(b"\0", 1)[0].decode("utf-8", errors="replace")

    def drivers(self) -> list[PmdDriver]:
        found = []
        names = [n for n in self.symbols if NAME_SYMBOL.fullmatch(n)]
        # Registration order where the symbols number it, else by name
        for sym_name in sorted(names, key=lambda n: (0, int(n[13:]), "") if n[13:].isdigit() else (1, 0, n)):
            name = self.string(sym_name) or ""
            driver = PmdDriver(name)
            for key, suffix in OPTIONS:
                setattr(driver, key, self.string(f"__{name}{suffix}"))
            table = self.string(f"__{name}_pci_tbl_export")
            if table is not None:
                driver.pci_ids = self.pci_ids(table)
            found.append(driver)
        return found

    def pci_ids(self, table: str) -> list[tuple[int, int, int, int]]:
        sym = self.symbols.get(table)
        if sym is None:
            raise KitError(f"{self.path}: PCI table {table} is exported for PMD info but not defined in this object",
                           "put RTE_PMD_REGISTER_PCI_TABLE in the file that defines the table")
        fmt = struct.Struct(self.fmt + PCI_ID.format)
        ids = []
        for offset in range(0, sym["st_size"] - fmt.size + 1, fmt.size):
            _cls, vendor, device, sub_vendor, sub_device = fmt.unpack(self.value(sym, offset, fmt.size))
            if vendor == 0:  # the table ends with a zero vendor, as the PCI bus reads it
                break
            ids.append((vendor, device, sub_vendor, sub_device))
        return ids


def _archive_members(path: Path) -> Iterator[tuple[Path, bytes]]:
    """Objects of an ar archive; thin archives (meson's) name files beside the archive."""
    listing = subprocess.run(["ar", "t", str(path)], capture_output=True, text=True, check=False)
    if listing.returncode != 0:
        raise KitError(f"cannot read archive {path}: {listing.stderr.strip()}", "pass .o files instead")
    if path.read_bytes()[:8] == b"!<thin>\n":
        for name in listing.stdout.split():
            member = Path(name) if Path(name).is_absolute() else path.parent / name
            yield member, member.read_bytes()
        return
    with tempfile.TemporaryDirectory(prefix="kit-pmdinfo-") as tmp:
        subprocess.run(["ar", "x", str(path.resolve())], cwd=tmp, check=True)
        for name in listing.stdout.split():
            yield path / name, (Path(tmp) / name).read_bytes()


def _objects(inputs: Iterable[Path]) -> Iterator[tuple[Path, bytes]]:
    for path in inputs:
        path = Path(path)
        if path.is_dir():
            for obj in sorted(path.rglob("*.o")):
                yield obj, obj.read_bytes()
        elif path.suffix == ".a":
            yield from _archive_members(path)
        elif path.is_file():
            yield path, path.read_bytes()
        else:
            raise KitError(f"{path} does not exist", "pass the driver's object files (meson: <lib>.so.p/*.o)")


def collect_drivers(inputs: Iterable[Path]) -> list[PmdDriver]:
    """Every PMD registered in the given objects (.o files, .a archives, directories of .o)."""
    drivers: list[PmdDriver] = []
    for path, data in _objects(inputs):
        drivers += _Object(path, data).drivers()
    return drivers


def _c_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def pmdinfo_c(drivers: Sequence[PmdDriver]) -> str:
    """The C source defining one PMD_INFO_STRING per driver (dpdk-pmdinfo.py reads them from .rodata)."""
    lines = ["/* Generated by dpdk-kit (kit pmdinfo): PMD info for dpdk-pmdinfo.py. Do not edit. */"]
    for i, driver in enumerate(drivers):
        text = PREFIX + " " + json.dumps(driver.to_json())
        ident = re.sub(r"[^A-Za-z0-9_]", "_", driver.name)
        lines.append(f"const char kit_pmd_info_{i}_{ident}[] __attribute__((used)) = {_c_string(text)};")
    if not drivers:
        lines.append("typedef int kit_no_pmd_info; /* no PMD registered: an empty unit is not ISO C */")
    return "\n".join(lines) + "\n"


def write_pmdinfo_c(inputs: Sequence[Path], output: Path) -> list[PmdDriver]:
    """`kit pmdinfo`: write the C file for the PMDs registered in `inputs`; returns them."""
    drivers = collect_drivers(inputs)
    text = pmdinfo_c(drivers)
    if not output.is_file() or output.read_text() != text:  # unchanged: keep the mtime, ninja rebuilds less
        try:
            output.write_text(text)
        except OSError as exc:
            raise KitError(f"cannot write {output}: {exc.strerror}", "give -o a path in a writable directory") from exc
    return drivers


def read_pmdinfo(plugin: Path) -> list[dict[str, Any]]:
    """The PMD_INFO_STRING json objects in a linked plugin's .rodata, as dpdk-pmdinfo.py finds them."""
    try:
        with open(plugin, "rb") as handle:
            elf = ELFFile(handle)
            section = elf.get_section_by_name(".rodata")
            data = section.data() if section is not None else b""
    except (OSError, ELFError) as exc:
        raise KitError(f"cannot read {plugin} as an ELF shared object: {exc}", "pass a built plugin (.so)") from exc
    infos = []
    for match in re.finditer(re.escape(PREFIX.encode()), data):
        raw = data[match.end():data.index(b"\0", match.end())] if b"\0" in data[match.end():] else b""
        try:
            infos.append(json.loads(raw.decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue  # e.g. the prefix inside another string (dpdk-pmdinfo.py itself, a log message)
    return infos


def _link_command(build_dir: Path, plugin: Path) -> str:
    target = str(plugin.relative_to(build_dir))
    proc = subprocess.run([kit_tool("ninja") or "ninja", "-C", str(build_dir), "-t", "commands", target],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise KitError(f"cannot get the link command of {target} from ninja: {proc.stderr.strip()}",
                       "run 'kit build' on a meson build directory")
    return proc.stdout.strip().splitlines()[-1]


def add_pmdinfo(plugin: Path, build_dir: Path) -> list[PmdDriver]:
    """After ninja: link PMD info into `plugin` if its objects register PMDs and it has none yet."""
    objdir = plugin.with_name(plugin.name + ".p")
    drivers = collect_drivers([objdir]) if objdir.is_dir() else []
    if not drivers or read_pmdinfo(plugin):
        return drivers
    workdir = build_dir / "kit-pmdinfo"
    workdir.mkdir(exist_ok=True)
    source = workdir / f"{plugin.name}.pmdinfo.c"
    obj = workdir / f"{plugin.name}.pmdinfo.o"
    write_pmdinfo_c([objdir], source)
    proc = subprocess.run([require_c_compiler(), "-fPIC", "-c", str(source), "-o", str(obj)], capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        raise KitError(f"compiling the PMD info of {plugin.name} failed: {proc.stderr.strip()}",
                       "report this as a dpdk-kit bug")
    link = _link_command(build_dir, plugin)
    proc = subprocess.run(f"{link} {shlex.quote(str(obj))}", shell=True, cwd=build_dir, capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        raise KitError(f"re-linking {plugin.name} with its PMD info failed: {proc.stderr.strip()}",
                       "report this as a dpdk-kit bug")
    return drivers


OPS_CONSTRUCTOR = re.compile(r"mp_hdlr_init_(\w+)")  # RTE_MEMPOOL_REGISTER_OPS(ops) defines this constructor


def static_ops_names(plugin: Path) -> tuple[str, ...]:
    """Ops names read without loading the plugin: RTE_MEMPOOL_REGISTER_OPS(x) leaves a constructor
    mp_hdlr_init_x, and x is a struct rte_mempool_ops that starts with its name (a char array). Needs the
    static symbol table (.symtab): a stripped plugin gives nothing."""
    names = []
    try:
        with open(plugin, "rb") as handle:
            elf = ELFFile(handle)
            symtab = elf.get_section_by_name(".symtab")
            if not isinstance(symtab, SymbolTableSection):
                return ()
            symbols = {s.name: s for s in symtab.iter_symbols() if s.name and isinstance(s["st_shndx"], int)}
            for name in sorted(symbols):
                match = OPS_CONSTRUCTOR.fullmatch(name)
                ops = symbols.get(match.group(1)) if match else None
                if ops is None or ops["st_size"] < 2:
                    continue
                section = elf.get_section(ops["st_shndx"])
                if section["sh_type"] == "SHT_NOBITS":
                    continue
                start = ops["st_value"] - section["sh_addr"]
                raw = section.data()[start:start + min(ops["st_size"], 32)]
                text = raw.split(b"\0", 1)[0].decode("utf-8", errors="replace")
                if text:
                    names.append(text)
    except (OSError, ELFError):
        return ()
    return tuple(names)
