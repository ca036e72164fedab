"""Results of `kit bench` as a terminal table (markdown), a JSON file and a PNG plot; comparison with an older JSON."""

from __future__ import annotations

import json
import math
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kit.bench.runner import Config, Row
from kit.errors import KitError

FORMAT = "dpdk-kit bench 1"
# Acceptance of a PMD with a NIC model, at forward burst 32, against net_null (issues 8 and 14), and of its PCIe
# transactions there (issue 14): no MMIO read, at most one doorbell per burst on each side.
PMD_OWN_TARGET = 0.95
PMD_MODEL_TARGET = 2.0
MMIO_READS_TARGET = 0.0
DOORBELLS_PER_BURST_TARGET = 2.0
STAGES = ("rx", "refill", "tx", "completion", "other")


def _f(x: float | None, digits: int = 1) -> str:
    return "-" if x is None or math.isnan(x) else f"{x:.{digits}f}"


def _display_params(c: Config) -> list[str]:
    return [str(v) for k, v in c.params if k not in ("rx", "tx")]


def _param_names(rows: Sequence[Row]) -> list[str]:
    return [k for k, _ in rows[0].config.params if k not in ("rx", "tx")] if rows else []


def _md(header: Sequence[str], body: Sequence[Sequence[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|",
            *("| " + " | ".join(r) + " |" for r in body)]


def table(kind: str, rows: Sequence[Row]) -> str:
    unit = "Mobj/s" if kind == "mempool" else "Mpps"
    per = "instr/obj" if kind == "mempool" else "instr/pkt"
    header = ["driver", *_param_names(rows), f"{unit} median (min-max)", "thr ratio", per, "instr ratio"]
    body = []
    for r in rows:
        med, lo, hi = (x / 1e6 for x in r.rate)
        name = r.config.driver + (" *" if r.config.role == "under test" else "")
        body.append([name, *_display_params(r.config), f"{med:.1f} ({lo:.1f}-{hi:.1f})", _f(r.rate_ratio, 3),
                     _f(r.instr), _f(r.instr_ratio, 3)])
    lines = _md(header, body)
    split_rows = [r for r in rows if r.split]
    if split_rows:
        stages = [s for s in STAGES if any(s in r.split for r in split_rows)]
        has_model = any("model" in r.split for r in split_rows)
        header = ["driver", *_param_names(rows), "PMD instr/pkt (model excluded)", "PMD ratio",
                  *(["model instr/pkt", "PMD+model ratio"] if has_model else []), *stages]
        body = []
        for r in split_rows:
            ref = _reference_instr(r)
            cells = [r.config.driver, *_display_params(r.config), _f(r.split["pmd"]),
                     _f(r.split["pmd"] / ref if ref else None, 3)]
            if has_model:
                cells += [_f(r.split.get("model")), _f(r.instr / ref if ref and r.instr else None, 3)]
            cells += [_f(r.split.get(s)) for s in stages]
            body.append(cells)
        lines += ["", "Instructions per packet of the driver under test, split (callgrind, per function):", "",
                  *_md(header, body)]
    pcie_rows = [r for r in rows if r.pcie]
    if pcie_rows:
        header = ["driver", *_param_names(rows), "MMIO rd/pkt", "MMIO wr/pkt", "MMIO rd/burst", "MMIO wr/burst",
                  "DMA/pkt", "DMA B/pkt", "MMIO ns/pkt", "link ns/pkt", "est. ns/pkt", "instr/pkt"]
        body = [[r.config.driver, *_display_params(r.config), _f(r.pcie.get("mmio_reads_per_pkt"), 3),
                 _f(r.pcie.get("mmio_writes_per_pkt"), 3), _f(r.pcie.get("mmio_reads_per_burst"), 2),
                 _f(r.pcie.get("mmio_writes_per_burst"), 2), _f(r.pcie.get("dma_per_pkt"), 2),
                 _f(r.pcie.get("dma_bytes_per_pkt")), _f(r.pcie.get("mmio_ns_per_pkt")),
                 _f(r.pcie.get("link_ns_per_pkt")), _f(r.pcie.get("est_ns_per_pkt")), _f(r.instr)]
                for r in pcie_rows]
        lines += ["", "PCIe transactions per packet of the driver under test (counted by its NIC model; estimated cost "
                  "from the cost table, docs/benchmarks.md):", "", *_md(header, body)]
    return "\n".join(lines)


def _reference_instr(r: Row) -> float | None:
    if r.instr is None or not r.instr_ratio:
        return None
    return r.instr / r.instr_ratio


def acceptance(rows: Sequence[Row]) -> dict[str, Any] | None:
    """The PMD-with-model targets at forward burst 32: own instructions <= 1.5x net_null's, with model <= 2x."""
    for r in rows:
        if r.split and "model" in r.split and r.config.param("mode") == "fwd" and r.config.param("burst") == 32:
            ref = _reference_instr(r)
            if not ref or r.instr is None:
                return None
            own, total = r.split["pmd"] / ref, r.instr / ref
            acc = {"case": "fwd burst 32", "net_null_instr": ref, "pmd_instr": r.split["pmd"],
                   "model_instr": r.split["model"], "pmd_ratio": own, "pmd_target": PMD_OWN_TARGET,
                   "pmd_ok": own <= PMD_OWN_TARGET, "pmd_model_ratio": total, "pmd_model_target": PMD_MODEL_TARGET,
                   "pmd_model_ok": total <= PMD_MODEL_TARGET}
            if "mmio_writes_per_burst" in r.pcie:
                reads, doorbells = r.pcie["mmio_reads_per_pkt"], r.pcie["mmio_writes_per_burst"]
                acc |= {"mmio_reads_per_pkt": reads, "mmio_reads_target": MMIO_READS_TARGET,
                        "doorbells_per_burst": doorbells, "doorbells_target": DOORBELLS_PER_BURST_TARGET,
                        "est_ns_per_pkt": r.pcie["est_ns_per_pkt"],
                        "pcie_ok": reads <= MMIO_READS_TARGET and doorbells <= DOORBELLS_PER_BURST_TARGET}
            return acc
    return None


def acceptance_text(acc: dict[str, Any] | None) -> str:
    if acc is None:
        return ""
    def verdict(ok: bool) -> str:
        return "meets" if ok else "MISSES"

    text = (f"forward, burst 32: PMD (model excluded) {acc['pmd_instr']:.1f} instr/pkt = {acc['pmd_ratio']:.3f}x "
            f"net_null's {acc['net_null_instr']:.1f} ({verdict(acc['pmd_ok'])} the <= {acc['pmd_target']}x target); "
            f"PMD+model {acc['pmd_instr'] + acc['model_instr']:.1f} = {acc['pmd_model_ratio']:.2f}x "
            f"({verdict(acc['pmd_model_ok'])} the <= {acc['pmd_model_target']}x target)")
    if "pcie_ok" in acc:
        text += (f"; PCIe: {acc['mmio_reads_per_pkt']:.3f} MMIO reads/pkt, {acc['doorbells_per_burst']:.2f} doorbell "
                 f"writes/burst, est. {acc['est_ns_per_pkt']:.1f} ns/pkt ({verdict(acc['pcie_ok'])} the "
                 f"{acc['mmio_reads_target']:.0f} reads, <= {acc['doorbells_target']:.0f} doorbells target)")
    return text


def _machine() -> dict[str, Any]:
    import os

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": len(os.sched_getaffinity(0)), "load_average": list(os.getloadavg()),
            "python": platform.python_version()}


def to_json(kind: str, target: str, plugins: Sequence[Path], rows: Sequence[Row], meta: dict[str, Any]) -> dict:
    return {
        "format": FORMAT,
        "kind": kind,
        "target": target,
        "plugins": [str(p) for p in plugins],
        "unit": "object (one get and one put)" if kind == "mempool" else "packet",
        "machine": _machine(),
        **meta,
        "acceptance": acceptance(rows) if kind == "pmd" else None,
        "rows": [{
            "key": r.config.key if kind == "mempool" else _pmd_key(r.config),
            "driver": r.config.driver,
            "role": r.config.role,
            "params": dict(r.config.params),
            "rate_median": r.rate[0], "rate_min": r.rate[1], "rate_max": r.rate[2],
            "rate_ratio": r.rate_ratio,
            "instructions": r.instr,
            "instructions_ratio": r.instr_ratio,
            "split": r.split,
            "pcie": r.pcie,
        } for r in rows],
    }


def _pmd_key(c: Config) -> str:
    return f"{c.driver} mode={c.param('mode')} burst={c.param('burst')}"


def load(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text())
    except OSError as exc:
        raise KitError(f"cannot read {path}: {exc.strerror}", "give a JSON file written by 'kit bench'") from exc
    except ValueError as exc:
        raise KitError(f"{path} is not JSON: {exc}", "give a JSON file written by 'kit bench'") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise KitError(f"{path} is not a 'kit bench' result", "give a JSON file written by 'kit bench'")
    return data


def compare(old: dict, new: dict) -> str:
    """The change of each row present in both results (matched by driver and parameters)."""
    if old.get("kind") != new.get("kind"):
        raise KitError(f"cannot compare a {old.get('kind')} benchmark with a {new.get('kind')} one",
                       "compare results of the same kind (--mempool with --mempool, --pmd with --pmd)")
    before = {r["key"]: r for r in old["rows"]}
    body = []
    for r in new["rows"]:
        o = before.get(r["key"])
        if o is None:
            continue
        body.append([r["key"], f"{o['rate_median'] / 1e6:.1f}", f"{r['rate_median'] / 1e6:.1f}",
                     _pct(o["rate_median"], r["rate_median"]), _f(o["instructions"]), _f(r["instructions"]),
                     _pct(o["instructions"], r["instructions"])])
    if not body:
        return "no rows in common with the old result"
    unit = "M/s"
    return "\n".join(_md(["row", f"old {unit}", f"new {unit}", "change", "old instr", "new instr", "change"], body))


def _pct(old: float | None, new: float | None) -> str:
    if old is None or new is None or not old:
        return "-"
    return f"{(new - old) / old * 100:+.1f}%"


def plot(kind: str, target: str, rows: Sequence[Row], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    drivers = list(dict.fromkeys(r.config.driver for r in rows))
    groups = list(dict.fromkeys(" ".join(_display_params(r.config)) for r in rows))
    index = {(r.config.driver, " ".join(_display_params(r.config))): r for r in rows}
    has_pcie = any(r.pcie for r in rows)
    fig, axes = plt.subplots(3 if has_pcie else 2, 1, sharex=True,
                             figsize=(max(8, 0.6 * len(groups) * len(drivers) / 2 + 3), 11 if has_pcie else 8))
    width = 0.8 / max(len(drivers), 1)
    unit = "Mobj/s (get+put)" if kind == "mempool" else "Mpps"
    per = "instructions per get+put" if kind == "mempool" else "instructions per packet"
    for d_i, driver in enumerate(drivers):
        xs, meds, lo, hi, ins_x, ins = [], [], [], [], [], []
        for g_i, g in enumerate(groups):
            r = index.get((driver, g))
            if r is None:
                continue
            x = g_i + (d_i - (len(drivers) - 1) / 2) * width
            med, mn, mx = (v / 1e6 for v in r.rate)
            xs.append(x)
            meds.append(med)
            lo.append(med - mn)
            hi.append(mx - med)
            if r.instr is not None:
                ins_x.append(x)
                ins.append(r.instr)
        axes[0].bar(xs, meds, width, yerr=[lo, hi], capsize=2, label=driver)
        split = [index.get((driver, g)) for g in groups if index.get((driver, g)) is not None]
        if any("model" in r.split for r in split):
            # the PMD's own share and the model's, stacked: the model is not the driver's cost
            pmd = [r.split.get("pmd", r.instr or 0) for r in split if r.instr is not None]
            model = [r.split.get("model", 0) for r in split if r.instr is not None]
            bars = axes[1].bar(ins_x, pmd, width, label=f"{driver} (PMD)")
            axes[1].bar(ins_x, model, width, bottom=pmd, label=f"{driver} (model)",
                        color=bars.patches[0].get_facecolor(), alpha=0.35, hatch="//")
        else:
            axes[1].bar(ins_x, ins, width, label=driver)
        if has_pcie:
            px = [x for x, r in zip(xs, split, strict=False) if r.pcie]
            mmio = [r.pcie["mmio_ns_per_pkt"] for r in split if r.pcie]
            link = [r.pcie["link_ns_per_pkt"] for r in split if r.pcie]
            if px:
                axes[2].bar(px, mmio, width, label=f"{driver} MMIO")
                axes[2].bar(px, link, width, bottom=mmio, label=f"{driver} DMA link", alpha=0.5)
    axes[0].set_ylabel(unit + "\nmedian, min-max")
    axes[1].set_ylabel(per + "\n(callgrind)")
    axes[1].set_yscale("log")
    axes[1].legend(fontsize=7)
    if has_pcie:
        axes[2].set_ylabel("est. PCIe ns per packet\n(MMIO stall + DMA link time)")
        axes[2].legend(fontsize=7)
    names = " ".join(_param_names(rows))
    axes[-1].set_xticks(range(len(groups)), groups, rotation=60, ha="right", fontsize=7)
    axes[-1].set_xlabel(names)
    axes[0].legend(fontsize=8)
    axes[0].set_title(f"kit bench --{kind} {target}")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
