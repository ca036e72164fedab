"""How much the harness costs: its C loops against a plain C program doing the same work.

    python tools/bench_overhead.py [--runs 5] [--markdown]      (a maintainer script: not part of the kit package)

For each case (mempool get/put loop; net_null rx, tx and forward loops) the harness's C loop (in this
process, through cffi) and tools/plain_loops.c (a separate plain DPDK program, compiled against
libdpdk and cached like the extension) run alternately, `--runs` times each, after a warm-up; the
medians of cycles per object / packet and their ratio are printed (target: within 10%). A Python-level
per-packet loop is measured too, for contrast: it shows why benchmarks must not loop in Python.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kit.harness import Eal, EalConfig, Mempool, PktmbufPool, Port, fwd_loop, mempool_loop, rx_loop, tx_loop
from kit.runtime import base_eal_args, remove_runtime_dir, unique_file_prefix
from kit.toolchain.compile import build_program

REFERENCE = Path(__file__).with_name("plain_loops.c")
POOL_SIZE, POOL_CACHE = 8191, 256
MP_OPS, MP_BULK, MP_KEEP, MP_ITERS = "ring_mp_mc", 32, 128, 1_000_000
BURST, PACKETS, PKT_LEN = 32, 2_000_000, 64


@dataclass(frozen=True)
class Case:
    name: str
    harness: Callable[[], tuple[int, int]]  # -> (ops, cycles)
    plain_args: list[str]


@dataclass(frozen=True)
class Row:
    name: str
    harness_cpo: float
    plain_cpo: float
    spread: float  # (max - min) / median over both sides' runs: how noisy the machine was
    min_ratio: float  # best harness run / best plain run: less sensitive to other load on the machine

    @property
    def ratio(self) -> float:
        return self.harness_cpo / self.plain_cpo


def run_plain(exe: Path, mode_args: list[str]) -> tuple[int, int]:
    prefix = unique_file_prefix("kith-bench")
    eal_args = [*base_eal_args(prefix), "--vdev", "net_null0", "--vdev", "net_null1"]
    try:
        proc = subprocess.run([str(exe), *eal_args, "--", *mode_args], capture_output=True, text=True,
                              check=False, timeout=300)
    finally:
        remove_runtime_dir(prefix)
    if proc.returncode != 0:
        raise RuntimeError(f"plain_loops {' '.join(mode_args)} failed: {proc.stderr.strip()}")
    ops, cycles = proc.stdout.split()
    return int(ops), int(cycles)


def python_per_packet(port: Port, packets: int) -> tuple[int, int]:
    """rx burst and one free per packet, looping in Python over cffi calls (no copying)."""
    eal = Eal.current()
    lib, ffi = eal.lib, eal.ffi
    table = ffi.new("uintptr_t[]", BURST)
    got = 0
    start = lib.kh_rdtsc()
    while got < packets:
        n = lib.kh_rx_burst(port.port_id, 0, table, BURST)
        for i in range(n):
            lib.kh_pktmbuf_free(table[i])
        got += n
    return got, lib.kh_rdtsc() - start


def python_rx_burst_api(port: Port, packets: int) -> tuple[int, int]:
    """Port.rx_burst (copies bytes and fields of each packet, frees the mbufs): the convenient API."""
    lib = Eal.current().lib
    got = 0
    start = lib.kh_rdtsc()
    while got < packets:
        got += len(port.rx_burst(0, BURST))
    return got, lib.kh_rdtsc() - start


def main(argv: list[str] | None = None) -> list[Row]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="interleaved runs per side (median taken; >= 5)")
    ap.add_argument("--markdown", action="store_true", help="print a markdown table as well")
    opts = ap.parse_args(argv)
    runs = max(opts.runs, 5)

    exe = build_program("plain_loops", REFERENCE)
    eal = Eal(EalConfig(vdevs=("net_null0", "net_null1")))
    mp = Mempool.create("bench_mp", POOL_SIZE, cache_size=POOL_CACHE, ops_name=MP_OPS)
    pool = PktmbufPool.create("bench_pkt", POOL_SIZE, cache_size=POOL_CACHE)
    null0, null1 = Port.by_name("net_null0").setup(pool), Port.by_name("net_null1").setup(pool)

    def once(fn: Callable[[], object]) -> Callable[[], tuple[int, int]]:
        def run() -> tuple[int, int]:
            fn()  # warm-up of the same size, as plain_loops does
            res = fn()
            return res.ops, res.cycles  # type: ignore[attr-defined]

        return run

    cases = [
        Case("mempool get/put (ring_mp_mc, cache 256, bulk 32, keep 128)",
             once(lambda: mempool_loop(mp, bulk=MP_BULK, n_keep=MP_KEEP, iterations=MP_ITERS)),
             ["mempool", MP_OPS, str(POOL_SIZE), str(POOL_CACHE), str(MP_BULK), str(MP_KEEP), str(MP_ITERS)]),
        Case("net_null rx (burst 32)", once(lambda: rx_loop(null0, burst=BURST, packets=PACKETS)),
             ["rx", str(BURST), str(PACKETS)]),
        Case("net_null tx (burst 32, 64 B)",
             once(lambda: tx_loop(null0, pool, burst=BURST, packets=PACKETS, pkt_len=PKT_LEN)),
             ["tx", str(BURST), str(PACKETS), str(PKT_LEN)]),
        Case("net_null0 -> net_null1 forward (burst 32)",
             once(lambda: fwd_loop(null0, null1, burst=BURST, packets=PACKETS)),
             ["fwd", str(BURST), str(PACKETS)]),
    ]
    samples: dict[str, tuple[list[float], list[float]]] = {c.name: ([], []) for c in cases}
    for r in range(runs):
        for case in cases:
            order = [("h", case.harness), ("p", lambda c=case: run_plain(exe, c.plain_args))]
            for side, fn in order if r % 2 == 0 else reversed(order):
                ops, cycles = fn()
                samples[case.name][0 if side == "h" else 1].append(cycles / ops)
    rows = [
        Row(name, statistics.median(h), statistics.median(p),
            max((max(x) - min(x)) / statistics.median(x) for x in (h, p)), min(h) / min(p))
        for name, (h, p) in samples.items()
    ]

    py_pkts = 100_000
    python_per_packet(null0, py_pkts)
    py = [python_per_packet(null0, py_pkts) for _ in range(runs)]
    api = [python_rx_burst_api(null0, py_pkts // 4) for _ in range(runs)]
    py_cpp = statistics.median(c / n for n, c in py)
    api_cpp = statistics.median(c / n for n, c in api)
    rx_c = next(r for r in rows if r.name.startswith("net_null rx"))

    hz = int(eal.lib.kh_tsc_hz())
    print(f"DPDK harness overhead, medians of {runs} interleaved runs (TSC {hz / 1e9:.2f} GHz)")
    print(f"{'case':62} {'harness':>9} {'plain C':>9} {'ratio':>7} {'spread':>7} {'min-ratio':>9}")
    for row in rows:
        print(f"{row.name:62} {row.harness_cpo:9.2f} {row.plain_cpo:9.2f} {row.ratio:7.3f} "
              f"{row.spread:7.1%} {row.min_ratio:9.3f}")
    print("(cycles per object for the mempool case, per packet otherwise; ratio = harness / plain C)")
    print(f"Python per-packet loop (rx burst 32 + one cffi free per packet): {py_cpp:9.1f} cycles/packet "
          f"= {py_cpp / rx_c.harness_cpo:.0f}x the C rx loop")
    print(f"Port.rx_burst (copies bytes + fields per packet):                 {api_cpp:9.1f} cycles/packet "
          f"= {api_cpp / rx_c.harness_cpo:.0f}x the C rx loop")
    worst = max(abs(r.ratio - 1) for r in rows)
    print(f"worst |ratio - 1| = {worst:.1%} ({'within' if worst <= 0.10 else 'OUTSIDE'} the 10% target)")
    if opts.markdown:
        print("\n| case | harness cycles | plain C cycles | ratio | spread | min-ratio |")
        print("|---|---:|---:|---:|---:|---:|")
        for row in rows:
            print(f"| {row.name} | {row.harness_cpo:.2f} | {row.plain_cpo:.2f} | {row.ratio:.3f} "
                  f"| {row.spread:.0%} | {row.min_ratio:.3f} |")
        print(f"| Python per-packet loop (rx) | {py_cpp:.1f} | | {py_cpp / rx_c.plain_cpo:.0f}x | | |")
        print(f"| Port.rx_burst (copying API) | {api_cpp:.1f} | | {api_cpp / rx_c.plain_cpo:.0f}x | | |")
    for port in (null0, null1):
        port.stop()
    eal.close()
    return rows


if __name__ == "__main__":
    main()
