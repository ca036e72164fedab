"""The mempool suite (docs/conformance.md), M11: DPDK's own programs with the driver as the default ops."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from kit.conformance.plugin import KitTarget
from kit.runtime import base_eal_args, remove_runtime_dir, unique_file_prefix
from kit.testpmd import FORWARD_SCRIPT, run_script, tx_packets

# -- M11 peers: DPDK's own programs -------------------------------------------------------------------


def _dpdk_program(argv: list[str], prefix: str, *, env: dict[str, str] | None = None, timeout: float,
                  stdin: str = "") -> str:
    try:
        proc = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=timeout, env=env,
                              check=False)
        return proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or b""
        return out.decode(errors="replace") if isinstance(out, bytes) else out
    finally:
        remove_runtime_dir(prefix)


def _peer_env(test: str) -> dict[str, str]:
    """The caller's environment (LD_PRELOAD and ASAN_OPTIONS for a sanitized plugin) plus the dpdk-test case."""
    return dict(os.environ, DPDK_TEST=test)


def _peer_args(kit_target: KitTarget, ops: str, prefix: str, memory_mb: int, log_level: str = "error") -> list[str]:
    args = base_eal_args(prefix, memory_mb=memory_mb, lcores="0-1", log_level=log_level)
    for plugin in kit_target.plugins:
        args += ["-d", str(plugin)]
    return [*args, "--mbuf-pool-ops-name", ops]


def _program(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is not installed (apt-get install dpdk-dev dpdk)"
    return path


@pytest.mark.check("M11")
def test_m11_dpdk_mempool_autotest(kit_target: KitTarget, ops: str) -> None:
    prefix = unique_file_prefix("kitm11")
    argv = [_program("dpdk-test"), *_peer_args(kit_target, ops, prefix, 1024)]
    out = _dpdk_program(argv, prefix, env=_peer_env("mempool_autotest"), timeout=240)
    assert "Test OK" in out, "DPDK's mempool_autotest failed with this driver as the default ops:\n" + out[-1500:]


@pytest.mark.check("M11")
def test_m11_dpdk_mempool_perf_autotest_bounded(kit_target: KitTarget, ops: str) -> None:
    """The perf test runs 5 s per configuration for many minutes: take its first configurations only."""
    prefix = unique_file_prefix("kitm11p")
    # 2048 MB: DPDK 25.11's perf test creates its four pools before the first configuration (M14's PERF_MEMORY_MB)
    argv = ["stdbuf", "-oL", _program("dpdk-test"), *_peer_args(kit_target, ops, prefix, 2048)]
    out = _dpdk_program(argv, prefix, env=_peer_env("mempool_perf_autotest"),
                        timeout=13)
    rates = [int(r) for r in re.findall(r"rate_persec=\s*(\d+)", out)]
    assert "test failed" not in out.lower(), out[-1500:]
    assert len(rates) >= 2 and all(r > 0 for r in rates), "mempool_perf_autotest produced no rates:\n" + out[-1500:]


@pytest.mark.check("M11")
def test_m11_testpmd_forwards_with_the_driver_as_mbuf_pool(kit_target: KitTarget, ops: str) -> None:
    # Libraries quiet, testpmd's own log on: it names the mempool ops it chose for its mbuf pools.
    out = run_script(kit_target.plugins, ["net_null0", "net_null1"], ["-i", "--total-num-mbufs=4096"],
                     FORWARD_SCRIPT, timeout=60, mbuf_pool_ops=ops, log_level="lib.*:error", memory_mb=512).output
    forwarded = tx_packets(out)
    assert f"preferred mempool ops selected: {ops}" in out, "testpmd did not use the driver:\n" + out[-1500:]
    assert forwarded and max(forwarded) > 0, "testpmd forwarded nothing:\n" + out[-1500:]
    assert "Bye" in out, "testpmd did not exit cleanly:\n" + out[-1500:]
