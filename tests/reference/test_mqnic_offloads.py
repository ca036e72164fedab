"""The reference mqnic PMD's checksum offload and scatter-gather under dpdk-testpmd (issue 15, items 2 and 3).

csum: testpmd's `csum` forwarding engine, hardware checksums on (`csum set ip|udp|tcp hw`, rx checksum offloads
enabled), on a sim port fed a pcap of known good and corrupted frames (wire=pcap): its Bad-ipcsum/Bad-l4csum
counters count exactly the corrupted ones (from the RX ol_flags the model's verification sets), and every frame it
sent (pcap_out, written by the model after its checksum insertion) has right checksums.

scatter (DTS pmd_buffer_scatter): frames of 64..9014 bytes through `mac` forwarding with 2 KB mbufs
(--mbuf-size=2048), MTU 9000, rx scatter and tx multi-segment on: every frame comes back byte for byte after the
two MAC addresses the engine rewrites.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from kit import testpmd
from kit.paths import cache_root
from kit.toolchain.dpdk import find_dpdk
from kit.toolchain.meson import build_driver
from kit.toolchain.sdk import ensure_sdk

scapy_all = pytest.importorskip("scapy.all")

SOURCE = Path(__file__).resolve().parents[2] / "reference_drivers" / "mqnic"
PORT_MAC = "02:00:00:00:01:00"
PEER_MAC = "02:00:00:00:00:99"

pytestmark = pytest.mark.skipif(shutil.which("dpdk-testpmd") is None, reason="dpdk-testpmd is not installed")


@pytest.fixture(scope="module")
def plugin() -> Path:
    sdk = ensure_sdk(find_dpdk()).include_dir
    out = cache_root() / "builds" / f"mqnic-offloads-{hashlib.sha256(str(SOURCE).encode()).hexdigest()[:8]}"
    build_driver(SOURCE, out, options=[f"-Dsdk_include={sdk}"])
    return out / "librte_net_mqnic.so"


def _run(plugin: Path, vdev: str, app_args: list[str], commands: list[str], tmp: Path) -> str:
    """An interactive testpmd fed `commands` (a pause after `start`); its output."""
    prefix = f"mqnic_offloads_{os.getpid()}_{tmp.name[-12:]}"
    cmd = testpmd.testpmd_command(prefix, [plugin], [vdev], ["-i", "--no-flush-rx", *app_args])
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdin is not None
    for c in commands:
        proc.stdin.write(c + "\n")
        proc.stdin.flush()
        if c == "start":
            time.sleep(3)  # forwarding: the pcap's frames go round once
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "Bye..." in out, out[-3000:]
    return out


def _csum_frames() -> tuple[list[bytes], int, int]:
    """Good and corrupted IPv4/IPv6 UDP/TCP frames; (frames, bad IPv4 header checksums, bad L4 checksums)."""
    ether = scapy_all.Ether(dst=PORT_MAC, src="02:00:00:00:00:02")
    good, bad_ip, bad_l4 = [], [], []
    for i in range(8):
        for l4 in (scapy_all.UDP(sport=1000 + i, dport=2000), scapy_all.TCP(sport=1000 + i, dport=80)):
            payload = bytes(range(i, i + 40))
            v4 = ether / scapy_all.IP(src="10.0.0.1", dst=f"10.0.1.{i + 1}") / l4.copy() / payload
            v6 = ether / scapy_all.IPv6(src="fd00::1", dst=f"fd00::{i + 2:x}") / l4.copy() / payload
            good += [bytes(v4), bytes(v6)]
            f = bytearray(bytes(v4))
            f[24] ^= 0x5A  # IPv4 header checksum
            bad_ip.append(bytes(f))
            for base in (v4, v6):
                f = bytearray(bytes(base))
                f[-1] ^= 0xFF  # payload: the L4 checksum no longer matches
                bad_l4.append(bytes(f))
    return good + bad_ip + bad_l4, len(bad_ip), len(bad_l4)


def _stat(out: str, name: str) -> int:
    """testpmd's `name: N` of the forward statistics (the port's line, port 0 only)."""
    found = re.findall(rf"{name}:\s+(\d+)", out)
    assert found, f"no {name} in testpmd's output:\n{out[-3000:]}"
    return int(found[0])


def _checksums_right(frame: bytes) -> list[str]:
    pkt = scapy_all.Ether(frame)
    wrong = []
    for layer in (scapy_all.IP, scapy_all.UDP, scapy_all.TCP):
        if layer in pkt:
            got = pkt[layer].chksum
            ref = pkt.copy()
            del ref[layer].chksum
            want = scapy_all.Ether(bytes(ref))[layer].chksum
            if got != want:
                wrong.append(f"{layer.__name__} {got:#06x} != {want:#06x}")
    return wrong


def test_csum_engine_counts_good_and_bad_checksums(plugin: Path, tmp_path: Path) -> None:
    frames, n_bad_ip, n_bad_l4 = _csum_frames()
    pcap_in, pcap_out = tmp_path / "in.pcap", tmp_path / "out.pcap"
    scapy_all.wrpcap(str(pcap_in), [scapy_all.Ether(f) for f in frames])
    vdev = f"net_mqnic_sim0,wire=pcap,pcap_in={pcap_in},pcap_out={pcap_out}"
    out = _run(plugin, vdev, ["--enable-rx-cksum", "--total-num-mbufs=8192"],
               ["port stop 0", "csum set ip hw 0", "csum set udp hw 0", "csum set tcp hw 0", "port start 0",
                "set fwd csum", "start", "stop", "quit"], tmp_path)
    assert _stat(out, "RX-packets") == len(frames), out[-3000:]
    assert _stat(out, "Bad-ipcsum") == n_bad_ip, out[-3000:]
    assert _stat(out, "Bad-l4csum") == n_bad_l4, out[-3000:]
    sent = [bytes(p) for p in scapy_all.rdpcap(str(pcap_out))]
    assert len(sent) == len(frames)
    wrong = {i: w for i, f in enumerate(sent) if (w := _checksums_right(f))}
    assert not wrong, f"frames the csum engine sent with hardware checksums have wrong checksums on the wire: {wrong}"


def test_pmd_buffer_scatter_frames_come_back_byte_for_byte(plugin: Path, tmp_path: Path) -> None:
    lengths = [64, 128, 256, 512, 1024, 1500, 1920, 1921, 2048, 2049, 4096, 6000, 8000, 9014]
    frames = []
    for i, n in enumerate(lengths):
        head = bytes.fromhex(PORT_MAC.replace(":", "")) + bytes.fromhex("020000000002") + bytes.fromhex("88b5")
        frames.append(head + bytes((i * 7 + j) & 0xFF for j in range(n - len(head))))
    pcap_in, pcap_out = tmp_path / "in.pcap", tmp_path / "out.pcap"
    scapy_all.wrpcap(str(pcap_in), [scapy_all.Ether(f) for f in frames])
    vdev = f"net_mqnic_sim0,wire=pcap,pcap_in={pcap_in},pcap_out={pcap_out}"
    out = _run(plugin, vdev, ["--mbuf-size=2048", "--max-pkt-len=9018", "--enable-scatter", "--tx-offloads=0x8000",
                              "--port-topology=loop", "--rxd=128", "--txd=512", "--total-num-mbufs=8192",
                              f"--eth-peer=0,{PEER_MAC}"],
               ["set fwd mac", "start", "stop", "quit"], tmp_path)
    sent = [bytes(p) for p in scapy_all.rdpcap(str(pcap_out))]
    assert [len(f) for f in sent] == lengths, (f"sent back {[len(f) for f in sent]}, want {lengths}:\n"
                                               f"{out[-3000:]}")
    mac = bytes.fromhex(PEER_MAC.replace(":", "")) + bytes.fromhex(PORT_MAC.replace(":", ""))
    for f, back in zip(frames, sent, strict=True):
        assert back[:12] == mac, f"a {len(f)}-byte frame went out to {back[:6].hex()} from {back[6:12].hex()}"
        assert back[12:] == f[12:], f"a {len(f)}-byte frame came back changed after its MAC addresses"
