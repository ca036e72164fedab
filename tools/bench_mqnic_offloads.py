"""What each offload of the reference mqnic PMD costs when enabled: instructions per packet, counted by callgrind.

The forward loop of `kit bench` at burst 32 (net_mqnic_sim0 -> net_mqnic_sim1, both wire=gen, 64-byte UDP/IPv4
frames unless said otherwise) in tools/mqnic_offload_loop.c, with the offloads of each case configured on both
ports. As `kit bench` does: two sizes, their difference per extra packet (setup and warm-up cancel out); the
model's share (calls into *model_step*) apart from the rest (PMD and the loop's own few instructions, the same in
every case but the TX checksum ones, where the loop also sets each frame's request and calls tx_prepare).
Run: `python tools/bench_mqnic_offloads.py [PLUGIN.so]` (a maintainer script: not part of the kit package;
PLUGIN defaults to reference_drivers/mqnic/build/librte_net_mqnic.so as `kit build` makes it).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kit.bench import callgrind
from kit.runtime import base_eal_args, remove_runtime_dir, unique_file_prefix
from kit.toolchain.compile import build_program

ROOT = Path(__file__).resolve().parents[1]
LOOP = Path(__file__).with_name("mqnic_offload_loop.c")
SIZES = (200, 600)  # bursts of the two runs
BURST = 32
RX_CSUM = 0x2 | 0x4 | 0x8  # RTE_ETH_RX_OFFLOAD_IPV4/UDP/TCP_CKSUM
TX_CSUM = 0x2 | 0x4 | 0x8  # RTE_ETH_TX_OFFLOAD_IPV4/UDP/TCP_CKSUM
SCATTER = 0x2000  # RTE_ETH_RX_OFFLOAD_SCATTER
MULTI_SEGS = 0x8000  # RTE_ETH_TX_OFFLOAD_MULTI_SEGS
TIMESTAMP = 0x4000  # RTE_ETH_RX_OFFLOAD_TIMESTAMP

# case -> (rx offloads, tx offloads, MTU, frame length)
CASES: dict[str, tuple[int, int, int, int]] = {
    "none (default burst functions)": (0, 0, 1500, 64),
    "RX IPV4/UDP/TCP_CKSUM": (RX_CSUM, 0, 1500, 64),
    "TX IPV4/UDP_CKSUM (+ tx_prepare, flags set by the loop)": (0, TX_CSUM, 1500, 64),
    "RX SCATTER (MTU 1500: one buffer per frame)": (SCATTER, 0, 1500, 64),
    "TX MULTI_SEGS (single-segment frames)": (0, MULTI_SEGS, 1500, 64),
    "RX SCATTER + TX MULTI_SEGS, MTU 9000, 9000-byte frames (5 segments)": (SCATTER, MULTI_SEGS, 9000, 9000),
    "RX TIMESTAMP (the mbuf's dynamic timestamp field)": (TIMESTAMP, 0, 1500, 64),
}


def _count(exe: Path, plugin: Path, rx: int, tx: int, mtu: int, length: int, bursts: int, out: Path) -> tuple[int, int]:
    prefix = unique_file_prefix("kitoff")
    vdevs = [f"net_mqnic_sim{i},wire=gen,gen_size={length}" for i in (0, 1)]
    cmd = [str(exe), *base_eal_args(prefix), "-d", str(plugin), *(a for v in vdevs for a in ("--vdev", v)), "--",
           hex(rx), hex(tx), str(mtu), str(bursts)]
    try:
        proc = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", "--collect-atstart=no",
                               "--toggle-collect=fwd_run*", *cmd], capture_output=True, text=True, check=False)
    finally:
        remove_runtime_dir(prefix)
    if proc.returncode != 0 or not out.is_file():
        raise SystemExit(f"callgrind run failed: {' '.join(cmd)}\n{proc.stdout[-1000:]}\n{proc.stderr[-2000:]}")
    prof = callgrind.parse(out)
    model = callgrind.matching(prof.functions(), ("*model_step*",))
    return prof.total, prof.into(model)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("plugin", nargs="?", type=Path, default=ROOT / "reference_drivers/mqnic/build/librte_net_mqnic.so")
    opts = ap.parse_args(argv)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    exe = build_program("mqnic_offload_loop", LOOP)
    print("| offloads enabled | PMD + loop instr/pkt | change | model instr/pkt |")
    print("|---|---:|---:|---:|")
    base = None
    with tempfile.TemporaryDirectory(prefix="kit-offloads-") as tmp_name:
        tmp = Path(tmp_name)
        for case, (rx, tx, mtu, length) in CASES.items():
            runs = [_count(exe, opts.plugin.resolve(), rx, tx, mtu, length, n, tmp / f"cg.{n}") for n in SIZES]
            units = 2 * (SIZES[1] - SIZES[0]) * BURST  # warm-up and measured run
            total = (runs[1][0] - runs[0][0]) / units
            model = (runs[1][1] - runs[0][1]) / units
            pmd = total - model
            base = pmd if base is None else base
            print(f"| {case} | {pmd:.1f} | {pmd - base:+.1f} | {model:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
