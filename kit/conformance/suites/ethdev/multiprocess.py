"""E27's machinery: hugepages reserved for the check alone, and a primary dpdk-testpmd running the port with DPDK's
secondary programs (a second dpdk-testpmd on the other half of the queues, dpdk-proc-info, dpdk-dumpcap) attached.

Multi-process DPDK needs hugepages (a --no-huge EAL has no shared memory for a secondary to map). The check
reserves them itself (root: /proc/sys/vm/nr_hugepages and a hugetlbfs mounted in a private directory) and gives
both back afterwards, whatever happened; concurrent runs take turns through a lock file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kit.testpmd import PROMPT, log_text, spawn, wait_for_forwarding

NR_HUGEPAGES = Path("/proc/sys/vm/nr_hugepages")
LOCK = Path(tempfile.gettempdir()) / "kit-e27-hugepages.lock"

_PORT_STATS = re.compile(r"statistics for port (\d+)\s*#*\s*RX-packets:\s*(\d+).*?TX-packets:\s*(\d+)", re.S)


class Unavailable(Exception):
    """Hugepages cannot be had on this machine; the message says what was measured."""


def _run(cmd: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(cmd), capture_output=True, text=True, check=False, timeout=30)


@contextlib.contextmanager
def hugepages(pages: int) -> Iterator[Path]:
    """`pages` more default-size hugepages and a hugetlbfs over them in a private directory (its path); both undone
    on the way out."""
    if os.geteuid() != 0:
        raise Unavailable(f"reserving hugepages needs root (running as uid {os.geteuid()})")
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            before = int(NR_HUGEPAGES.read_text())
            NR_HUGEPAGES.write_text(f"{before + pages}\n")
        except OSError as exc:
            raise Unavailable(f"writing {NR_HUGEPAGES} failed: {exc}") from None
        mount_dir: Path | None = None
        granted = 0
        try:
            granted = min(max(int(NR_HUGEPAGES.read_text()) - before, 0), pages)
            if granted < pages:
                raise Unavailable(f"asked the kernel for {pages} more hugepages, it gave {granted}")
            mount_dir = Path(tempfile.mkdtemp(prefix="kit-e27-huge-"))
            mounted = _run(["mount", "-t", "hugetlbfs", "nodev", str(mount_dir)])
            if mounted.returncode != 0:
                mount_dir.rmdir()
                mount_dir = None
                raise Unavailable(f"mount -t hugetlbfs failed: {(mounted.stderr or mounted.stdout).strip()}")
            yield mount_dir
        finally:
            if mount_dir is not None:
                _run(["umount", str(mount_dir)])
                with contextlib.suppress(OSError):
                    mount_dir.rmdir()
            # Give back what this run added, from the count as it is now: the count is the kernel's, and a run
            # outside this lock (another container on the same kernel, measured) may have changed it meanwhile;
            # writing `before` back would take its pages or leave ours.
            NR_HUGEPAGES.write_text(f"{max(int(NR_HUGEPAGES.read_text()) - granted, 0)}\n")


def testpmd_mempool_libs() -> list[str]:
    """The mempool drivers dpdk-testpmd links (Debian's links librte_mempool_dpaa): they register their ops before
    EAL loads the plugin directory, so testpmd's mempool ops table is in another order than a program's that does
    not link them. Ops are found by index in shared mempools: dpdk-dumpcap's capture pool would run the wrong ops in
    testpmd (every copy fails: 'received/dropped 0/N') unless it preloads the same libraries first."""
    exe = shutil.which("dpdk-testpmd")
    if exe is None:
        return []
    out = _run(["ldd", exe]).stdout
    return re.findall(r"=>\s*(\S*librte_mempool_\w+\.so\S*)", out)


@dataclass
class Proc:
    """A background dpdk-testpmd: its process and the file it writes to."""

    name: str
    proc: subprocess.Popen[str]
    log: IO[str]

    def output(self) -> str:
        return log_text(self.log)  # never seek: the offset is shared with the running process

    def wait_forwarding(self, timeout: float) -> bool:
        """True once it forwards (asks for Enter); False if it exited or the time ran out."""
        wait_for_forwarding(self.proc, self.log, timeout)
        return PROMPT in self.output()

    def stop(self, timeout: float) -> int | None:
        """Enter, then its exit status (None: it had to be killed)."""
        if self.proc.poll() is None:
            with contextlib.suppress(BrokenPipeError, ValueError):
                self.proc.stdin.write("\n")  # type: ignore[union-attr]
                self.proc.stdin.flush()  # type: ignore[union-attr]
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return None
        return self.proc.returncode

    def close(self) -> None:
        self.log.close()

    def exit_text(self) -> str:
        code = self.proc.returncode
        if code is None:
            return "still running"
        if code < 0:
            return f"killed by {signal.Signals(-code).name}"
        return f"exit status {code}"


def start(name: str, cmd: list[str], env: dict[str, str] | None = None) -> Proc:
    log = tempfile.TemporaryFile("w+")  # noqa: SIM115 - the caller reads it after the process ends, then closes it
    return Proc(name, spawn(cmd, log, env), log)


def port_stats(output: str, port: int = 0) -> tuple[int, int] | None:
    """RX and TX packets of `port` in dpdk-proc-info --stats output."""
    for found in _PORT_STATS.finditer(output):
        if int(found.group(1)) == port:
            return int(found.group(2)), int(found.group(3))
    return None

