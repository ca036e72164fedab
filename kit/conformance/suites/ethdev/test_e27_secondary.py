"""The ethdev suite (docs/conformance.md), E27: the port in secondary processes (DTS packet_capture, multiprocess).

One scenario for the three tests: hugepages reserved for the check, a primary dpdk-testpmd forwarding the port (io,
--tx-first, its own queues of two), then as secondaries of the same --file-prefix a second dpdk-testpmd forwarding
the other queue, dpdk-proc-info --stats and dpdk-dumpcap; the programs' outputs are what the tests judge.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kit import testpmd
from kit.conformance.plugin import KitTarget
from kit.conformance.suites.ethdev import multiprocess as mp
from kit.conformance.suites.ethdev.dut import Dut
from kit.runtime import remove_runtime_dir, unique_file_prefix
from kit.toolchain.sanitizers import preload_after

PAGES = 256  # 2 MiB each: 512 MiB, of which the primary takes 256
FRAMES = 32  # dumpcap -c
LOG = "lib.*:error"


@dataclass
class Scenario:
    port: str
    queues: int
    primary_started: bool = False
    primary_output: str = ""
    primary_exit: str = ""
    secondary_started: bool = False
    secondary_output: str = ""
    secondary_exit: str = ""
    proc_info: str = ""
    proc_info_seconds: float = 0.0
    dumpcap: str = ""
    dumpcap_seconds: float = 0.0
    frames: list[bytes] = field(default_factory=list)
    capture_error: str = ""


def _app_args(queues: int, proc_id: int) -> list[str]:
    # RSS off: --tx-first sends one flow (a single UDP 5-tuple), which RSS would put on whichever queue its hash
    # picks, maybe the secondary's; DPDK 22.11's pdump captures in the primary only (its rx/tx callbacks are the
    # primary's), so the primary's queue must carry the loop. Without RSS a port receives on queue 0.
    return ["--forward-mode=io", "--port-topology=loop", f"--rxq={queues}", f"--txq={queues}", "--disable-rss",
            f"--num-procs={queues}", f"--proc-id={proc_id}", "--tx-first", "--total-num-mbufs=8192"]


def _run(cmd: list[str], timeout: float, env: dict[str, str] | None = None) -> tuple[str, float]:
    began = time.monotonic()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, env=env)
        text = done.stdout + done.stderr + ("" if done.returncode == 0 else f"\n(exit status {done.returncode})")
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or b""
        text = (out.decode(errors="replace") if isinstance(out, bytes) else out) + f"\n(timed out after {timeout} s)"
    return text, time.monotonic() - began


def _scenario(kit_target: KitTarget, dut: Dut, huge_dir: Path, work: Path) -> Scenario:
    info = dut.info
    queues = 2 if min(info.max_rx_queues, info.max_tx_queues) >= 2 else 1
    scenario = Scenario(dut.devargs.split(",")[0], queues)
    plugins = kit_target.plugins
    prefix = unique_file_prefix("kit-e27")
    primary = mp.start("primary", testpmd.testpmd_command(prefix, plugins, [dut.devargs], _app_args(queues, 0),
                                                          log_level=LOG, memory_mb=256, huge_dir=huge_dir))
    secondary: mp.Proc | None = None
    try:
        scenario.primary_started = primary.wait_forwarding(30)
        if not scenario.primary_started:
            return scenario
        if queues == 2:
            secondary = mp.start("secondary", testpmd.testpmd_command(prefix, plugins, [], _app_args(queues, 1),
                                                                      log_level=LOG, secondary=True))
            scenario.secondary_started = secondary.wait_forwarding(30)
        plugin_args = [a for p in plugins for a in ("-d", str(p))]
        scenario.proc_info, scenario.proc_info_seconds = _run(
            ["dpdk-proc-info", "--file-prefix", prefix, "--no-pci", f"--log-level={LOG}", *plugin_args, "--",
             "--stats"], 30)
        pcap = work / "capture.pcapng"
        # dumpcap takes no EAL options: the driver's plugin comes by preload, after testpmd's mempool libraries
        env = preload_after(os.environ, [*mp.testpmd_mempool_libs(), *plugins])
        scenario.dumpcap, scenario.dumpcap_seconds = _run(
            ["dpdk-dumpcap", "--file-prefix", prefix, "-i", scenario.port, "-c", str(FRAMES), "-w", str(pcap)], 15,
            env)
        scenario.frames, scenario.capture_error = _read_capture(pcap)
    finally:
        if secondary is not None:
            secondary.stop(15)
            scenario.secondary_output, scenario.secondary_exit = secondary.output(), secondary.exit_text()
            secondary.close()
        primary.stop(15)
        scenario.primary_output, scenario.primary_exit = primary.output(), primary.exit_text()
        primary.close()
        remove_runtime_dir(prefix)
    return scenario


def _read_capture(path: Path) -> tuple[list[bytes], str]:
    if not path.is_file():
        return [], "dumpcap wrote no file"
    try:
        from scapy.utils import rdpcap
    except ImportError:
        return [], "scapy is not installed (a dependency of dpdk-kit: reinstall the kit)"
    try:
        packets = rdpcap(str(path))
    except Exception as exc:  # scapy raises many kinds on a malformed file
        return [], f"scapy cannot read {path.name}: {exc}"
    frames: list[bytes] = []
    for pkt in packets:
        raw = bytes(pkt)
        wirelen = getattr(pkt, "wirelen", None)
        if wirelen is not None and wirelen != len(raw):
            return frames, f"a record of {len(raw)} bytes says the frame had {wirelen} (truncated capture)"
        frames.append(raw)
    return frames, ""


_NO_PORT = re.compile(r"No (probed )?[Ee]thernet (ports|devices)")


def secondary_refusal(scenario: Scenario) -> str | None:
    """What the driver said when it refused to attach in a secondary process, or None if it did not refuse.

    DPDK has no capability flag for multi-process support: a driver that cannot work in a secondary says so by
    failing its probe there (the secondary then has no port and exits). That is a measured limitation, not a
    failure; a secondary that attaches and then crashes or moves nothing is a failure (the tests below)."""
    out = scenario.secondary_output
    if scenario.secondary_started or scenario.secondary_exit.startswith("killed") or not _NO_PORT.search(out):
        return None
    said = [line.strip() for line in out.splitlines()
            if scenario.port in line or "attach" in line.lower() or "probe" in line.lower()]
    return "; ".join(said[-3:]) or _NO_PORT.search(out).group(0)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def scenario(kit_target: KitTarget, session_dut: Dut) -> Iterator[Scenario]:
    if shutil.which("dpdk-proc-info") is None or shutil.which("dpdk-dumpcap") is None:
        pytest.skip("E27 not applicable here: dpdk-proc-info or dpdk-dumpcap is not installed (Debian's 'dpdk')")
    with tempfile.TemporaryDirectory(prefix="kit-e27-") as work:
        try:
            with mp.hugepages(PAGES) as huge_dir:
                ran = _scenario(kit_target, session_dut, huge_dir, Path(work))
        except mp.Unavailable as exc:
            pytest.skip(f"E27 not applicable on this machine: no hugepages for a primary process ({exc})")
    refusal = secondary_refusal(ran)
    if refusal is not None:
        pytest.skip(f"E27.secondary not applicable to {kit_target.driver}: the driver refuses to attach in a "
                    f"secondary process (measured: dpdk-testpmd --proc-type=secondary ended with "
                    f"'{ran.secondary_exit}' and no port; it said: {refusal})")
    yield ran


@pytest.fixture
def ran(scenario: Scenario) -> Scenario:
    assert scenario.primary_started, (
        f"the primary dpdk-testpmd (hugepages, the port under test) did not start forwarding "
        f"({scenario.primary_exit}):\n{scenario.primary_output[-1500:]}")
    return scenario


@pytest.mark.check("E27")
def test_e27_secondary_testpmd_forwards(ran: Scenario, note) -> None:  # type: ignore[no-untyped-def]
    if ran.queues < 2:
        note("the port has one queue pair: no second testpmd to forward on its own queues")
        return
    out = ran.secondary_output
    assert ran.secondary_started or not ran.secondary_exit.startswith("killed"), (
        f"a secondary process crashed on the port: dpdk-testpmd --proc-type=secondary was {ran.secondary_exit} "
        f"starting to forward on queue 1 of {ran.port}: the driver's secondary-process probe must set rx_pkt_burst "
        f"and tx_pkt_burst (rte_eth_dev_attach_secondary leaves them unset):\n{out[-1200:]}")
    assert ran.secondary_started, (
        f"a secondary process could not use the port: dpdk-testpmd --proc-type=secondary "
        f"({ran.secondary_exit}) never forwarded on queue 1; the driver's probe in a secondary must attach "
        f"(rte_eth_dev_attach_secondary) and set its burst functions:\n{out[-1200:]}")
    assert "Bye" in out and ran.secondary_exit == "exit status 0", (
        f"the secondary dpdk-testpmd forwarding on queue 1 of {ran.port} crashed or hung ({ran.secondary_exit}): "
        f"the driver's secondary-process probe must set rx_pkt_burst and tx_pkt_burst (its datapath runs in "
        f"that process):\n{out[-1200:]}")
    fwd = testpmd.forward_stats(out)
    assert fwd is not None and fwd[1] > 0, (
        f"the secondary dpdk-testpmd forwarded nothing on queue 1 of {ran.port} ({fwd}):\n{out[-1200:]}")


@pytest.mark.check("E27")
def test_e27_proc_info_shows_the_primary_counters(ran: Scenario, note) -> None:  # type: ignore[no-untyped-def]
    seen = mp.port_stats(ran.proc_info)
    assert seen is not None, f"dpdk-proc-info --stats showed no counters for port 0:\n{ran.proc_info[-1500:]}"
    assert seen[0] > 0 and seen[1] > 0, (
        f"dpdk-proc-info (a secondary) reads RX/TX-packets {seen} for {ran.port} while the primary forwards: the "
        f"driver's stats_get must read counters the primary keeps in shared memory")
    final = testpmd.forward_stats(ran.primary_output)
    assert final is not None, f"the primary printed no forward statistics:\n{ran.primary_output[-1500:]}"
    assert seen[0] <= final[0] and seen[1] <= final[1], (
        f"dpdk-proc-info read RX/TX-packets {seen}, more than the primary counted when it stopped later {final}")
    note(f"dpdk-proc-info in {ran.proc_info_seconds:.2f} s: RX/TX {seen[0]}/{seen[1]}; primary at stop "
         f"{final[0]}/{final[1]}")


@pytest.mark.check("E27")
def test_e27_dumpcap_captures_well_formed_frames(ran: Scenario, note) -> None:  # type: ignore[no-untyped-def]
    tail = ran.dumpcap.strip()[-800:]
    assert ran.frames, (f"dpdk-dumpcap -i {ran.port} captured no frame while the primary forwarded "
                        f"({ran.capture_error or 'empty capture'}); dumpcap said:\n{tail}")
    assert not ran.capture_error, f"dpdk-dumpcap's capture of {ran.port}: {ran.capture_error}"
    bad = [len(f) for f in ran.frames if not 14 <= len(f) <= 9728]
    assert not bad, f"dpdk-dumpcap captured frames of impossible lengths {bad[:8]} from {ran.port}"
    assert len(ran.frames) >= FRAMES, (
        f"dpdk-dumpcap -c {FRAMES} stopped at {len(ran.frames)} frames from {ran.port}; it said:\n{tail}")
    note(f"dpdk-dumpcap captured {len(ran.frames)} frames in {ran.dumpcap_seconds:.2f} s")
