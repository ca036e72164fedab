"""The reference mqnic PMD's sim ports in DPDK secondary processes (issue 15, item 5): the primary dpdk-testpmd owns
the model (in shared memory); a secondary dpdk-testpmd's bursts step it, dpdk-proc-info reads its counters and
dpdk-dumpcap captures from it; a secondary leaving does not take the primary's model with it.

Multi-process DPDK needs hugepages: the tests reserve them as E27 does (root; skipped with the measured reason
otherwise) and give them back."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from kit import testpmd
from kit.conformance.suites.ethdev import multiprocess as mp
from kit.runtime import remove_runtime_dir, unique_file_prefix

PAGES = 256  # 2 MiB each; a primary takes 256 MiB
PORT = "net_mqnic_sim0"
LOG = "lib.*:error"
CAPTURE = 1000  # issue 15's acceptance: dumpcap captures 1,000 frames from a running testpmd's sim port

pytestmark = pytest.mark.skipif(
    shutil.which("dpdk-testpmd") is None or shutil.which("dpdk-proc-info") is None
    or shutil.which("dpdk-dumpcap") is None, reason="Debian's 'dpdk' (testpmd, proc-info, dumpcap) is not installed")


@pytest.fixture(scope="module")
def huge_dir() -> Iterator[Path]:
    try:
        with mp.hugepages(PAGES) as mounted:
            yield mounted
    except mp.Unavailable as exc:
        pytest.skip(f"no hugepages for a primary process: {exc}")


@dataclass
class Group:
    """A primary dpdk-testpmd (its --file-prefix) and the plugin its secondaries load."""

    prefix: str
    plugin: Path
    primary: mp.Proc


@contextmanager
def primary(build_dir: Path, huge_dir: Path, devargs: str | list[str], app_args: list[str]) -> Iterator[Group]:
    plugin = build_dir / "librte_net_mqnic.so"
    prefix = unique_file_prefix("kit-mqnic-mp")
    vdevs = [devargs] if isinstance(devargs, str) else devargs
    proc = mp.start("primary", testpmd.testpmd_command(prefix, [plugin], vdevs, app_args, log_level=LOG,
                                                       memory_mb=256, huge_dir=huge_dir))
    try:
        assert proc.wait_forwarding(30), f"the primary did not forward ({proc.exit_text()}):\n{proc.output()[-2000:]}"
        yield Group(prefix, plugin, proc)
    finally:
        proc.stop(15)
        proc.close()
        remove_runtime_dir(prefix)


def queues_args(proc_id: int, mode: str) -> list[str]:
    # RSS off: everything the port receives lands on queue 0, the primary's; the secondary has queue pair 1.
    return [f"--forward-mode={mode}", "--rxq=2", "--txq=2", "--disable-rss", "--num-procs=2", f"--proc-id={proc_id}",
            "--total-num-mbufs=8192"]


def secondary_testpmd(group: Group, mode: str, seconds: float) -> mp.Proc:
    """A secondary dpdk-testpmd on queue pair 1, forwarding `seconds` in `mode`, then Enter; it has exited."""
    proc = mp.start("secondary", testpmd.testpmd_command(group.prefix, [group.plugin], [], queues_args(1, mode),
                                                         log_level=None, secondary=True))
    if proc.wait_forwarding(30):
        time.sleep(seconds)
    proc.stop(15)
    return proc


def proc_info(group: Group, *args: str) -> str:
    done = subprocess.run(["dpdk-proc-info", "--file-prefix", group.prefix, "--no-pci", f"--log-level={LOG}", "-d",
                           str(group.plugin), "--", *args], capture_output=True, text=True, timeout=30, check=False)
    return done.stdout + done.stderr + ("" if done.returncode == 0 else f"\n(exit status {done.returncode})")


def xstat(output: str, name: str, port: int = 0) -> int:
    """An xstat of `port` in dpdk-proc-info --xstats output; -1 if it is not there."""
    for block in re.split(r"NIC extended statistics for port ", output)[1:]:
        if block.startswith(f"{port} "):
            found = re.search(rf"^{re.escape(name)}:\s*(\d+)\s*$", block, re.M)
            return int(found.group(1)) if found else -1
    return -1


def stopped(group: Group) -> tuple[str, str]:
    """Stop the primary: its output and how it ended."""
    group.primary.stop(15)
    return group.primary.output(), group.primary.exit_text()


def test_a_secondarys_bursts_step_the_model(build_dir: Path, huge_dir: Path) -> None:
    """Before issue 15 the secondary's probe refused ('sim ports work in the primary process only') and testpmd
    found no port. Now the secondary transmits on its own queue: nothing but its own bursts step that TX queue (the
    primary only receives), so every frame the primary receives went through the model from the secondary."""
    with primary(build_dir, huge_dir, PORT, queues_args(0, "rxonly")) as group:
        sec = secondary_testpmd(group, "txonly", 1.0)
        out = sec.output()
        sec.close()
        assert "work in the primary process only" not in out and testpmd.PROMPT in out, (
            f"the secondary dpdk-testpmd did not attach {PORT} ({sec.exit_text()}):\n{out[-2000:]}")
        assert testpmd.BYE in out and sec.exit_text() == "exit status 0", f"{sec.exit_text()}:\n{out[-2000:]}"
        sent = testpmd.forward_stats(out)
        assert sent is not None and sent[1] > 0, f"the secondary sent nothing on queue 1 ({sent}):\n{out[-2000:]}"
        info = proc_info(group, "--xstats")
        # After the secondary left: a third process reads the counters the model keeps in BAR0 (shared memory).
        # Every frame the secondary sent came back in (loopback): delivered to queue 0, or dropped for want of a
        # descriptor when the primary fell behind (two processes on two cores).
        hw = {name: xstat(info, name) for name in ("tx_hw_frames", "rx_hw_frames", "rx_no_desc_drops",
                                                   "rx_cq_full_drops")}
        assert min(hw.values()) >= 0 and hw["tx_hw_frames"] == sent[1] and (
            hw["rx_hw_frames"] + hw["rx_no_desc_drops"] + hw["rx_cq_full_drops"] == sent[1]), (
            f"dpdk-proc-info --xstats after the secondary sent {sent[1]} frames: {hw}\n{info[-1500:]}")
        output, ended = stopped(group)
    received = testpmd.forward_stats(output)
    assert received is not None and 0 < received[0] == hw["rx_hw_frames"], (
        f"the primary (rxonly on queue 0) received {received} of the {sent[1]} frames the secondary sent on "
        f"queue 1, the model delivered {hw['rx_hw_frames']}:\n{output[-2000:]}")
    # The secondary's remove released its port only: the primary's model is still there when the primary stops.
    assert ended == "exit status 0" and testpmd.BYE in output, f"the primary ended with {ended}:\n{output[-2000:]}"


def test_dumpcap_captures_1000_frames(build_dir: Path, huge_dir: Path, tmp_path: Path) -> None:
    """Issue 15's acceptance: dpdk-dumpcap (a secondary process) captures 1,000 frames from a running testpmd's
    sim port, and scapy reads them back: testpmd's --tx-first UDP frames, looping through the model."""
    rdpcap = pytest.importorskip("scapy.utils").rdpcap
    layers = pytest.importorskip("scapy.layers.inet")
    pcap = tmp_path / "capture.pcapng"
    env = dict(os.environ)
    # dumpcap takes no EAL options: the plugin comes by preload, after the mempool libraries testpmd links (E27)
    args = ["--forward-mode=io", "--port-topology=loop", "--tx-first", "--total-num-mbufs=8192"]
    with primary(build_dir, huge_dir, PORT, args) as group:
        env["LD_PRELOAD"] = " ".join([*mp.testpmd_mempool_libs(), str(group.plugin), env.get("LD_PRELOAD", "")])
        began = time.monotonic()
        done = subprocess.run(["dpdk-dumpcap", "--file-prefix", group.prefix, "-i", PORT, "-c", str(CAPTURE), "-w",
                               str(pcap)], capture_output=True, text=True, timeout=60, check=False, env=env)
        seconds = time.monotonic() - began
        output, ended = stopped(group)
    said = (done.stdout + done.stderr)[-1500:]
    assert done.returncode == 0 and pcap.is_file(), f"dpdk-dumpcap exited {done.returncode}:\n{said}"
    packets = rdpcap(str(pcap))
    assert len(packets) >= CAPTURE, f"dumpcap -c {CAPTURE} wrote {len(packets)} frames in {seconds:.1f} s:\n{said}"
    udp = [p for p in packets if p.haslayer(layers.UDP)]
    assert len(udp) == len(packets), f"{len(packets) - len(udp)} of the captured frames are not testpmd's UDP frames"
    lengths = {len(bytes(p)) for p in packets}
    assert lengths == {64}, f"captured frame lengths {sorted(lengths)}: testpmd sends 64-byte frames"
    assert ended == "exit status 0", f"the primary ended with {ended} after the capture:\n{output[-2000:]}"


def test_pcap_out_port_moves_nothing_in_a_secondary(build_dir: Path, huge_dir: Path, tmp_path: Path) -> None:
    """pcap_out= is written through the primary's stdio stream, which a secondary cannot use: there the port
    attaches (stats, xstats, dumpcap) but its bursts move nothing, and say so; the file stays the primary's."""
    out_file = tmp_path / "out.pcap"
    with primary(build_dir, huge_dir, f"{PORT},pcap_out={out_file}", queues_args(0, "rxonly")) as group:
        sec = secondary_testpmd(group, "txonly", 0.5)
        out = sec.output()
        sec.close()
        assert "bursts move nothing in a secondary process" in out and "pcap_out=" in out, out[-2000:]
        assert testpmd.PROMPT in out and sec.exit_text() == "exit status 0", f"{sec.exit_text()}:\n{out[-2000:]}"
        info = proc_info(group, "--xstats")
        assert xstat(info, "tx_hw_frames") == 0, f"a secondary's burst stepped a pcap_out port:\n{info[-2000:]}"
        output, ended = stopped(group)
    assert ended == "exit status 0", output[-2000:]
    assert out_file.stat().st_size == 24, "only the pcap file header: nothing was sent"


def test_paired_ports_in_a_secondary(build_dir: Path, huge_dir: Path) -> None:
    """wire=pair in a secondary: its TX step finds the peer model by name in the list the primary keeps in shared
    memory, and delivers into the peer's queue 0, which the primary receives."""
    pair = ["net_mqnic_sim0,wire=pair,pair=net_mqnic_sim1", "net_mqnic_sim1,wire=pair,pair=net_mqnic_sim0"]
    with primary(build_dir, huge_dir, pair, queues_args(0, "rxonly")) as group:
        sec = secondary_testpmd(group, "txonly", 0.5)
        out = sec.output()
        sec.close()
        assert testpmd.BYE in out and sec.exit_text() == "exit status 0", f"{sec.exit_text()}:\n{out[-2000:]}"
        info = proc_info(group, "--xstats")
        stopped(group)
    for port in (0, 1):
        sent = xstat(info, "tx_hw_frames", port)
        peer = 1 - port
        came = sum(xstat(info, name, peer) for name in ("rx_hw_frames", "rx_no_desc_drops", "rx_cq_full_drops"))
        assert sent > 0 and came == sent, (
            f"port {port} sent {sent} frames from a secondary, its peer port {peer} took in {came}:\n{info[-2500:]}")
