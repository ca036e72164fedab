"""wire=tap: the reference PMD's sim port cabled to a Linux TAP interface, so that the kernel's own network stack
sends and answers the port's frames (issue 15, item 8).

Every interface is moved into a network namespace the test creates, and only there gets an address, so no frame
can leave the machine; the namespace and the interface are removed whatever happens. Needs root and /dev/net/tun
(skipped otherwise, with what was found). `ping` and `tcpdump` are used when installed; without them the kernel
is pinged through its own ICMP socket and the interface captured through an AF_PACKET socket in the namespace
(the same kernel paths those tools use; the test's output says which ran)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
from scapy.layers.inet import ICMP, IP
from scapy.utils import rdpcap

from kit import testpmd as tp
from kit.paths import cache_root
from kit.runtime import remove_runtime_dir, unique_file_prefix
from kit.toolchain.dpdk import find_dpdk
from kit.toolchain.meson import build_driver
from kit.toolchain.sdk import ensure_sdk

SOURCE = Path(__file__).resolve().parents[2] / "reference_drivers" / "mqnic"
KERNEL_IP = "198.18.7.1"  # 198.18.0.0/15: benchmark addresses (RFC 2544), and only inside the namespace
PORT_IP = "198.18.7.2"  # testpmd's icmpecho answers ARP and echo requests for any address


def _why_not() -> str | None:
    if os.geteuid() != 0:
        return f"needs root for TAP interfaces and network namespaces (running as uid {os.geteuid()})"
    if not Path("/dev/net/tun").exists():
        return "/dev/net/tun is missing (the tun module is not loaded)"
    if shutil.which("ip") is None:
        return "iproute2's 'ip' is not installed"
    return None


pytestmark = pytest.mark.skipif(_why_not() is not None, reason=_why_not() or "")

# Run inside the namespace by the namespace's own Python: an AF_PACKET capture writing a pcap file as frames come
# (it is stopped by SIGTERM), standing in for tcpdump where that is not installed.
CAPTURE = r"""
import socket, struct, sys, time
iface, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))  # ETH_P_ALL: both directions
s.bind((iface, 0))
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    f.flush()
    print("listening on", iface, flush=True)
    while True:
        frame = s.recv(65535)
        t = time.time()
        f.write(struct.pack("<IIII", int(t), int(t % 1 * 1e6), len(frame), len(frame)) + frame)
        f.flush()
"""

# The kernel's own ping, where iputils' ping is not installed: echo requests through an ICMP socket, so the
# kernel resolves the address (ARP), builds the IP header and routes, as for ping.
PING = r"""
import os, socket, struct, sys, time
dst, count = sys.argv[1], int(sys.argv[2])

def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF

s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
ident, received = os.getpid() & 0xFFFF, 0
for seq in range(1, count + 1):
    body = struct.pack("!HH", ident, seq) + bytes(range(56))
    s.sendto(struct.pack("!BBH", 8, 0, csum(b"\x08\x00\x00\x00" + body)) + body, (dst, 0))
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        s.settimeout(max(deadline - time.monotonic(), 0.001))
        try:
            data = s.recv(2048)
        except socket.timeout:
            break
        icmp = data[(data[0] & 0xF) * 4:]
        if icmp[0] == 0 and struct.unpack("!HH", icmp[4:8]) == (ident, seq):
            received += 1
            print(f"{len(icmp)} bytes from {dst}: icmp_seq={seq}", flush=True)
            break
    time.sleep(0.1)
loss = 100 * (count - received) // count
print(f"{count} packets transmitted, {received} received, {loss}% packet loss")
"""

# Frames written on the interface through an AF_PACKET socket (the kernel hands them to the TAP, so to the port),
# then every frame of our EtherType the interface receives, as hex in JSON, until all that should come back came.
EXCHANGE = r"""
import json, socket, sys, time
iface, frames_file, expect = sys.argv[1], sys.argv[2], int(sys.argv[3])
frames = [bytes.fromhex(h) for h in json.load(open(frames_file))]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88B5))
# Room for every frame that comes back while this sends (root: SO_RCVBUFFORCE), and no copies of what it sends
# itself (PACKET_IGNORE_OUTGOING, Linux 4.20): with the default buffer they filled it and the kernel dropped about
# 50 of the 200 frames testpmd sent back (measured: "150 of 200 frames came back", 9 runs in 13).
s.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)  # SO_RCVBUFFORCE
s.setsockopt(263, 23, 1)  # SOL_PACKET, PACKET_IGNORE_OUTGOING
s.bind((iface, 0))
s.settimeout(0.2)
got = []
for frame in frames:
    s.send(frame)
deadline = time.monotonic() + 10
while len(got) < expect and time.monotonic() < deadline:
    try:
        frame, addr = s.recvfrom(65535)
    except socket.timeout:
        continue
    if addr[2] != socket.PACKET_OUTGOING:
        got.append(frame.hex())
time.sleep(0.5)  # anything beyond what was expected would show here
while True:
    try:
        frame, addr = s.recvfrom(65535)
    except socket.timeout:
        break
    if addr[2] != socket.PACKET_OUTGOING:
        got.append(frame.hex())
print(json.dumps(got))
"""


@pytest.fixture(scope="module")
def build_dir() -> Path:
    sdk = ensure_sdk(find_dpdk()).include_dir
    # Its own build (not test_mqnic.py's): the two modules may run at once. Under the kit's cache: EAL refuses
    # plugins below world-writable directories.
    out = cache_root() / "builds" / f"mqnic-tap-tests-{hashlib.sha256(str(SOURCE).encode()).hexdigest()[:8]}"
    build_driver(SOURCE, out, options=[f"-Dsdk_include={sdk}"])
    return out


def ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30, check=False)
    assert not check or proc.returncode == 0, f"ip {' '.join(args)}: {proc.stderr.strip()}"
    return proc


def link_exists(iface: str, ns: str | None = None) -> bool:
    return ip(*(["-n", ns] if ns else []), "link", "show", "dev", iface, check=False).returncode == 0


@contextlib.contextmanager
def namespace(tag: str) -> Iterator[str]:
    """A network namespace of the test's own, deleted on the way out (with what is left in it)."""
    name = f"kit-tap-{os.getpid()}-{tag}"
    ip("netns", "add", name)
    try:
        yield name
    finally:
        ip("netns", "del", name, check=False)
    assert name not in ip("netns", "list").stdout.split()


def in_ns(ns: str, *cmd: str) -> list[str]:
    return ["ip", "netns", "exec", ns, *cmd]


@dataclass
class PmdRun:
    proc: subprocess.Popen[str]
    log: IO[str]
    final: str = ""  # all it printed, once it exited

    def output(self) -> str:
        if self.log.closed:
            return self.final
        return tp.log_text(self.log)  # never seek: the offset is shared with the running testpmd

    def port_mac(self) -> str:
        found = re.search(r"Port 0: ([0-9A-F:]{17})", self.output())
        assert found, self.output()[-2000:]
        return found.group(1).lower()


@contextlib.contextmanager
def pmd_on_tap(build_dir: Path, iface: str, mode: str) -> Iterator[PmdRun]:
    """dpdk-testpmd forwarding in `mode` on net_mqnic_sim0,wire=tap,iface=IFACE (one port, looped onto itself);
    stopped with Enter on the way out (killed if it hangs), and the interface it created gone with it."""
    prefix = unique_file_prefix("kit-tap")
    cmd = tp.testpmd_command(prefix, [build_dir / "librte_net_mqnic.so"], [f"net_mqnic_sim0,wire=tap,iface={iface}"],
                          [f"--forward-mode={mode}", "--port-topology=loop", "--total-num-mbufs=8192"])
    with tempfile.TemporaryFile("w+") as log:
        proc = tp.spawn(cmd, log)
        run = PmdRun(proc, log)
        try:
            tp.wait_for_forwarding(proc, log, 120)
            assert tp.PROMPT in run.output(), run.output()[-3000:]
            assert link_exists(iface), f"no interface {iface}:\n{run.output()[-3000:]}"
            yield run
        finally:
            with contextlib.suppress(BrokenPipeError, OSError):
                proc.stdin.write("\n")  # type: ignore[union-attr]
                proc.stdin.flush()  # type: ignore[union-attr]
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            remove_runtime_dir(prefix)
            run.final = run.output()
            if link_exists(iface):  # a TAP the port created goes with its file descriptor; never leave one
                ip("link", "del", "dev", iface, check=False)
        assert proc.returncode == 0 and "Bye..." in run.output(), run.output()[-3000:]
    assert not link_exists(iface)


def into_namespace(iface: str, ns: str, address: str | None, mtu: int = 1500) -> None:
    """Move the interface into the namespace and bring it up there; IPv6 off, so the kernel sends only what the
    test asks for."""
    ip("link", "set", "dev", iface, "netns", ns)
    subprocess.run(in_ns(ns, "sh", "-c", f"echo 1 > /proc/sys/net/ipv6/conf/{iface}/disable_ipv6"),
                   capture_output=True, timeout=30, check=False)
    if address:
        ip("-n", ns, "addr", "add", f"{address}/24", "dev", iface)
    ip("-n", ns, "link", "set", "dev", iface, "mtu", str(mtu), "up")


@contextlib.contextmanager
def capture(ns: str, iface: str, pcap: Path) -> Iterator[str]:
    """tcpdump on the interface inside the namespace, or (not installed) an AF_PACKET capture; yields which."""
    tcpdump = shutil.which("tcpdump")
    if tcpdump:
        tool, cmd = "tcpdump", in_ns(ns, tcpdump, "-i", iface, "-U", "-n", "-w", str(pcap))
    else:
        script = pcap.with_suffix(".py")
        script.write_text(CAPTURE)
        tool, cmd = "AF_PACKET socket", in_ns(ns, sys.executable, str(script), iface, str(pcap))
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and proc.poll() is None:
                if "listening on" in tp.log_text(log):  # never seek a log a running process writes
                    break
                time.sleep(0.05)
            assert proc.poll() is None, f"{tool} did not start: {tp.log_text(log)}"
            yield tool
        finally:
            time.sleep(0.3)  # the last frames reach the capture
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def kernel_ping(ns: str, count: int, tmp_path: Path) -> tuple[str, str]:
    """`ping -c COUNT` from inside the namespace (iputils' if installed, else through the kernel's ICMP socket):
    which ran, and what it printed."""
    exe = shutil.which("ping")
    if exe:
        tool, cmd = "ping", in_ns(ns, exe, "-c", str(count), "-i", "0.2", "-W", "2", PORT_IP)
    else:
        script = tmp_path / "ping.py"
        script.write_text(PING)
        tool, cmd = "kernel ICMP socket", in_ns(ns, sys.executable, str(script), PORT_IP, str(count))
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    return tool, proc.stdout + proc.stderr


def test_kernel_ping_is_answered_by_testpmd_icmpecho(build_dir: Path, tmp_path: Path) -> None:
    iface = f"kt{os.getpid() % 1000000}p"
    pcap = tmp_path / "tap.pcap"
    with namespace("ping") as ns:
        with pmd_on_tap(build_dir, iface, "icmpecho") as testpmd:
            into_namespace(iface, ns, KERNEL_IP)
            with capture(ns, iface, pcap) as capture_tool:
                ping_tool, out = kernel_ping(ns, 20, tmp_path)
        print(f"ping through {ping_tool}, capture through {capture_tool}:\n{out}")
        assert re.search(r"20 packets transmitted, 20 received, 0% packet loss", out), out
        replies = {p[ICMP].seq for p in rdpcap(str(pcap))
                   if ICMP in p and p[ICMP].type == 0 and p[IP].src == PORT_IP and p[IP].dst == KERNEL_IP}
        assert replies == set(range(1, 21)), f"{capture_tool} saw echo replies {sorted(replies)}"
        stats = re.search(r"Forward statistics for port 0.*?RX-packets:\s*(\d+).*?TX-packets:\s*(\d+)",
                          testpmd.output(), re.S)
        assert stats and int(stats.group(2)) >= 21, testpmd.output()[-2000:]  # 20 replies and an ARP reply
    assert not link_exists(iface)


def test_frames_cross_the_tap_byte_for_byte(build_dir: Path, tmp_path: Path) -> None:
    """The kernel writes 200 frames of 60..1514 bytes on the interface; the port receives them and testpmd's io
    forwarding sends them back unchanged: the interface receives exactly those, in order, byte for byte. Two
    frames longer than the port's MTU (the interface's is raised to let them out) are dropped by the model."""
    iface = f"kt{os.getpid() % 1000000}b"
    with namespace("bytes") as ns:
        with pmd_on_tap(build_dir, iface, "io") as testpmd:
            into_namespace(iface, ns, None, mtu=2000)
            mac = bytes.fromhex(testpmd.port_mac().replace(":", ""))
            src = bytes.fromhex("020000000abc")

            def frame(i: int, length: int) -> bytes:
                return mac + src + b"\x88\xb5" + bytes((i + j * 7) & 0xFF for j in range(length - 14))

            fit = [frame(i, 60 + (i * 37) % (1514 - 60 + 1)) for i in range(200)]
            too_long = [frame(200 + i, 1600) for i in range(2)]
            frames_file = tmp_path / "frames.json"
            frames_file.write_text(json.dumps([f.hex() for f in fit[:100] + too_long + fit[100:]]))
            script = tmp_path / "exchange.py"
            script.write_text(EXCHANGE)
            proc = subprocess.run(in_ns(ns, sys.executable, str(script), iface, str(frames_file), str(len(fit))),
                                  capture_output=True, text=True, timeout=120, check=False)
        assert proc.returncode == 0, proc.stderr
        got = [bytes.fromhex(h) for h in json.loads(proc.stdout)]
        assert len(got) == len(fit), f"{len(got)} of {len(fit)} frames came back"
        for i, (want, have) in enumerate(zip(fit, got, strict=True)):
            assert have == want, f"frame {i}: {len(have)} bytes back for {len(want)}"
        stats = re.search(r"Forward statistics for port 0.*?RX-packets:\s*(\d+)", testpmd.output(), re.S)
        assert stats and int(stats.group(1)) == len(fit), testpmd.output()[-2000:]
    assert not link_exists(iface)


def test_bad_tap_devargs_fail_the_probe_with_einval(build_dir: Path) -> None:
    """The C test's tap mode, in a namespace: wire=tap without iface=, a name too long, not a name, an interface
    that is not a TAP (lo) and one another port holds each give -EINVAL at probe and one line from the PMD; the
    held interface is free again once its port is removed. iface= on another wire is ignored with a warning (as
    gen_size= is: E13 probes every documented key alone) and makes no interface."""
    iface = f"kt{os.getpid() % 1000000}a"
    with namespace("args") as ns:
        proc = subprocess.run(in_ns(ns, str(build_dir / "tests" / "test_mqnic"),
                                    str(build_dir / "librte_net_mqnic.so"), "tap", iface),
                              capture_output=True, text=True, timeout=120, check=False)
        out = proc.stdout + proc.stderr
        assert proc.returncode == 0 and "tap: ok" in out, out[-3000:]
        assert not link_exists(iface, ns)
    pmd_lines = [line for line in out.splitlines() if re.match(r"(sim_parse_args|mqnic_tap_open)\(\): ", line)]
    assert len(pmd_lines) == 6, "\n".join(pmd_lines)
    for expected in ("wire=tap needs iface=", "iface= is ignored without wire=tap",
                     "iface=0123456789abcdef is longer than an interface name can be",
                     'cannot attach interface "a/b"', "interface lo exists and is not a single-queue TAP",
                     f"interface {iface} is busy"):
        assert any(expected in line for line in pmd_lines), (expected, pmd_lines)
