"""Harness overhead in instructions: the harness's C loops against a plain C program, counted by callgrind.

Cycle timings on a shared machine move by several percent between runs; instruction counts do not. Both
sides run each loop twice (a warm-up and a measured run, as plain_loops does) at two sizes under
`valgrind --tool=callgrind`, collecting only inside the loop functions; the difference between the sizes
divided by the extra work gives instructions per object (mempool) or per packet (net_null), with setup and
warm-up cancelled out. Run: `python tools/bench_instructions.py` (a maintainer script: not part of the kit package).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kit.bench import callgrind
from kit.runtime import base_eal_args, remove_runtime_dir, unique_file_prefix
from kit.toolchain.compile import build_program

REFERENCE = Path(__file__).with_name("plain_loops.c")
SIZES = (1000, 3000)  # loop iterations (mempool) or bursts (net_null) of the two runs
POOL, CACHE, BULK, KEEP, BURST, PKT_LEN = 4095, 256, 32, 128, 32, 64

# case -> (harness loop function, plain loop function, plain_loops arguments for size n, work units for size n)
CASES: dict[str, tuple[str, str]] = {
    "mempool get/put (ring_mp_mc, cache 256, bulk 32, keep 128)": ("kh_loop_mempool", "mempool_run"),
    "net_null rx (burst 32)": ("kh_loop_rx", "rx_run"),
    "net_null tx (burst 32, 64 B)": ("kh_loop_tx", "tx_run"),
    "net_null0 -> net_null1 forward (burst 32)": ("kh_loop_fwd", "fwd_run"),
}


def _plain_args(function: str, n: int) -> list[str]:
    return {
        "mempool_run": ["mempool", "ring_mp_mc", str(POOL), str(CACHE), str(BULK), str(KEEP), str(n)],
        "rx_run": ["rx", str(BURST), str(n * BURST)],
        "tx_run": ["tx", str(BURST), str(n * BURST), str(PKT_LEN)],
        "fwd_run": ["fwd", str(BURST), str(n * BURST)],
    }[function]


def _units(function: str, n: int) -> int:
    """Objects (get+put each) for the mempool loop, packets for the others; two runs per process."""
    return 2 * (n * KEEP if function in ("mempool_run", "kh_loop_mempool") else n * BURST)


def _child(n: int) -> None:
    """The harness side, run under callgrind: the same loops through the cffi extension."""
    from kit.harness import Eal, EalConfig, Mempool, PktmbufPool, Port, fwd_loop, mempool_loop, rx_loop, tx_loop

    eal = Eal(EalConfig(vdevs=("net_null0", "net_null1")))
    mp = Mempool.create("bench_mp", POOL, cache_size=CACHE, ops_name="ring_mp_mc")
    pool = PktmbufPool.create("bench_pkt", POOL, cache_size=CACHE)
    a, b = Port.by_name("net_null0").setup(pool), Port.by_name("net_null1").setup(pool)
    for _ in range(2):
        mempool_loop(mp, bulk=BULK, n_keep=KEEP, iterations=n)
        rx_loop(a, burst=BURST, packets=n * BURST)
        tx_loop(a, pool, burst=BURST, packets=n * BURST, pkt_len=PKT_LEN)
        fwd_loop(a, b, burst=BURST, packets=n * BURST)
    a.stop()
    b.stop()
    mp.free()
    eal.close()


def _callgrind(cmd: list[str], toggle: str, tmp: Path, tag: str) -> dict[str, int]:
    out = tmp / f"callgrind.{tag}"
    proc = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", "--collect-atstart=no",
                           f"--toggle-collect={toggle}", *cmd], capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not out.is_file():
        raise RuntimeError(f"callgrind run failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return callgrind.parse(out).inclusive()


@dataclass(frozen=True)
class Count:
    case: str
    harness: float
    plain: float

    @property
    def ratio(self) -> float:
        return self.harness / self.plain


def measure() -> list[Count]:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    exe = build_program("plain_loops", REFERENCE)
    harness: dict[int, dict[str, int]] = {}
    plain: dict[tuple[str, int], int] = {}
    with tempfile.TemporaryDirectory(prefix="kit-bench-instr-") as tmp_name:
        tmp = Path(tmp_name)
        for n in SIZES:
            harness[n] = _callgrind([sys.executable, str(Path(__file__).resolve()), "--child", str(n)],
                                    "kh_loop_*", tmp, f"h{n}")
            for _, function in CASES.values():
                prefix = unique_file_prefix("kitbi")
                args = [str(exe), *base_eal_args(prefix), "--vdev", "net_null0", "--vdev", "net_null1", "--",
                        *_plain_args(function, n)]
                try:
                    plain[(function, n)] = _callgrind(args, function, tmp, f"p{function}{n}")[function]
                finally:
                    remove_runtime_dir(prefix)
    lo, hi = SIZES
    rows = []
    for case, (h_fn, p_fn) in CASES.items():
        units = _units(p_fn, hi) - _units(p_fn, lo)
        rows.append(Count(case, (harness[hi][h_fn] - harness[lo][h_fn]) / units,
                          (plain[(p_fn, hi)] - plain[(p_fn, lo)]) / units))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    opts = ap.parse_args(argv)
    if opts.child:
        _child(opts.child)
        return 0
    rows = measure()
    print("| case | harness instr | plain C instr | ratio |")
    print("|---|---:|---:|---:|")
    for row in rows:
        print(f"| {row.case} | {row.harness:.2f} | {row.plain:.2f} | {row.ratio:.3f} |")
    print("(instructions per object for the mempool case, per packet otherwise)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
