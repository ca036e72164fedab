"""The one dpdk-testpmd launcher: its command line, its prompt, its statistics.

EAL runs as everywhere in the kit (--no-huge --no-pci, a unique --file-prefix whose runtime directory is removed
afterwards), with two lcores (testpmd forwards on the second). Three ways to run it:

- `run_testpmd`: in the foreground, on the user's terminal (`kit testpmd DIR -- ARGS`);
- `forward_for`: forwarding non-interactively for some seconds, then Enter (`kit demo`);
- `run_script`: interactive (`-i`) with commands on stdin, e.g. `FORWARD_SCRIPT` (the conformance suites' E14, M11).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kit.errors import KitError
from kit.runtime import check_plugin_path, remove_runtime_dir, unique_file_prefix

MEMORY_MB = 1024
LCORES = "0-1"
# Interactive testpmd: forward a burst, show the counters, then stop and close everything and quit cleanly.
FORWARD_SCRIPT = "start tx_first\nshow port stats all\nstop\nport stop all\nport close all\nquit\n"
PROMPT = "Press enter to exit"  # non-interactive testpmd, once it forwards
BYE = "Bye..."  # testpmd's last line when it exits cleanly

_ACCUMULATED = re.compile(r"Accumulated forward statistics for all ports.*?RX-packets:\s*(\d+).*?TX-packets:\s*(\d+)",
                          re.S)
_PORT_FORWARDED = re.compile(r"Forward statistics for port (\d+)\s*-*\s*RX-packets:\s*(\d+).*?TX-packets:\s*(\d+)",
                             re.S)


def testpmd_binary() -> str:
    exe = shutil.which("dpdk-testpmd")
    if exe is None:
        raise KitError("dpdk-testpmd is not installed", "install Debian's 'dpdk' package (bash ci/setup.sh does)")
    return exe


MP_BASE_VIRTADDR = "0x200000000000"  # 32 TiB: where a multi-process primary puts its memory


def testpmd_command(prefix: str, plugins: Sequence[Path], vdevs: Sequence[str], app_args: Sequence[str],
                    mbuf_pool_ops: str | None = None, log_level: str | None = None, *, memory_mb: int = MEMORY_MB,
                    lcores: str = LCORES, huge_dir: Path | None = None, secondary: bool = False) -> list[str]:
    """dpdk-testpmd's command line; KitError for a plugin EAL would refuse. With `huge_dir` EAL takes its memory
    from that mounted hugetlbfs instead of --no-huge (what multi-process needs); `secondary` attaches to the
    primary of the same `prefix` (no -m: a secondary maps the primary's memory)."""
    for plugin in plugins:
        check_plugin_path(plugin)
    memory = ["--huge-dir", str(huge_dir)] if huge_dir is not None else ["--no-huge"]
    if huge_dir is not None:
        # A secondary must map the primary's memory at the same addresses; left to ASLR, they are sometimes taken
        # in the secondary (measured: 1 run in 6 of E27 under ASan: "Cannot reserve 17179869184 bytes at
        # [0x7f41...]"). This base is far below the mmap area and outside ASan's shadow and allocator ranges.
        memory += ["--base-virtaddr", MP_BASE_VIRTADDR]
    if secondary:
        memory = ["--proc-type=secondary"]
    elif memory_mb:
        memory += ["-m", str(memory_mb)]
    cmd = [testpmd_binary(), *memory, "--no-pci", "-l", lcores, "--file-prefix", prefix]
    if log_level:
        cmd.append(f"--log-level={log_level}")
    for plugin in plugins:
        cmd += ["-d", str(Path(plugin).resolve())]
    for vdev in vdevs:
        cmd += ["--vdev", vdev]
    if mbuf_pool_ops:
        cmd += ["--mbuf-pool-ops-name", mbuf_pool_ops]
    return [*cmd, "--", *app_args]


def tx_packets(output: str) -> list[int]:
    """Every TX-packets counter testpmd printed (per port and accumulated)."""
    return [int(n) for n in re.findall(r"TX-packets:\s+(\d+)", output)]


def forward_stats(output: str, port: int = 0) -> tuple[int, int] | None:
    """RX and TX packets of `port` in the forward statistics testpmd prints when forwarding stops; None if absent."""
    for found in _PORT_FORWARDED.finditer(output):
        if int(found.group(1)) == port:
            return int(found.group(2)), int(found.group(3))
    return None


def run_testpmd(plugins: Sequence[Path], vdevs: Sequence[str], app_args: Sequence[str], *,
                mbuf_pool_ops: str | None = None) -> int:
    """Run testpmd in the foreground (the user's terminal: stdin, stdout, stderr); its exit status."""
    prefix = unique_file_prefix("kit-testpmd")
    cmd = testpmd_command(prefix, plugins, vdevs, app_args, mbuf_pool_ops)
    print("kit testpmd: " + " ".join(cmd), file=sys.stderr, flush=True)
    try:
        return subprocess.run(cmd, check=False).returncode
    finally:
        remove_runtime_dir(prefix)


@dataclass(frozen=True)
class ScriptRun:
    output: str  # stdout and stderr
    timed_out: bool


def run_script(plugins: Sequence[Path], vdevs: Sequence[str], app_args: Sequence[str], script: str, *,
               timeout: float, mbuf_pool_ops: str | None = None, log_level: str | None = None,
               memory_mb: int = MEMORY_MB) -> ScriptRun:
    """testpmd with `script` on stdin (app_args should hold -i); what it printed, up to `timeout` seconds."""
    prefix = unique_file_prefix("kit-testpmd")
    cmd = testpmd_command(prefix, plugins, vdevs, app_args, mbuf_pool_ops, log_level, memory_mb=memory_mb)
    try:
        proc = subprocess.run(cmd, input=script, capture_output=True, text=True, timeout=timeout, check=False)
        return ScriptRun(proc.stdout + proc.stderr, False)
    except subprocess.TimeoutExpired as exc:
        raw = exc.stdout or b""
        return ScriptRun(raw.decode(errors="replace") if isinstance(raw, bytes) else raw, True)
    finally:
        remove_runtime_dir(prefix)


@dataclass(frozen=True)
class ForwardRun:
    returncode: int
    output: str
    seconds: float  # from the start of forwarding to testpmd's exit
    rx_packets: int  # accumulated over all ports
    tx_packets: int  # accumulated over all ports: the packets forwarded

    @property
    def clean_exit(self) -> bool:
        return self.returncode == 0 and BYE in self.output


def forward_for(seconds: float, plugins: Sequence[Path], vdevs: Sequence[str], app_args: Sequence[str] = (), *,
                mbuf_pool_ops: str | None = None, timeout: float = 120) -> ForwardRun:
    """testpmd forwarding (non-interactive) for `seconds`, then Enter to stop it; its output and packet counts."""
    prefix = unique_file_prefix("kit-testpmd")
    cmd = testpmd_command(prefix, plugins, vdevs, ["--forward-mode=io", "--total-num-mbufs=16384", *app_args],
                          mbuf_pool_ops, log_level="error")
    forwarded_for = 0.0
    try:
        with tempfile.TemporaryFile("w+") as log:
            proc = spawn(cmd, log)
            try:
                forwarding = enter_after_forwarding(proc, log, seconds, timeout if shutil.which("stdbuf") else 0)
                proc.wait(timeout=timeout)
                forwarded_for = time.monotonic() - forwarding
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                raise KitError(f"dpdk-testpmd did not stop within {timeout:.0f} s of Enter; its output:\n"
                               f"{log_text(log)[-3000:]}", "run it with 'kit testpmd' to see where it hangs") from None
            finally:
                if proc.stdin is not None:
                    with contextlib.suppress(BrokenPipeError):
                        proc.stdin.close()
            output = log_text(log)
    finally:
        remove_runtime_dir(prefix)
    found = _ACCUMULATED.search(output)
    rx, tx = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
    return ForwardRun(proc.returncode, output, forwarded_for, rx, tx)


def spawn(cmd: list[str], log: IO[str], env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """testpmd (non-interactive) in the background writing to `log`, stdin held open: it forwards until Enter."""
    # Line-buffered stdout (testpmd's stdio buffers a file fully), so its Enter prompt shows when printed.
    stdbuf = shutil.which("stdbuf")
    return subprocess.Popen([stdbuf, "-oL", *cmd] if stdbuf else cmd, stdin=subprocess.PIPE, stdout=log,
                            stderr=subprocess.STDOUT, text=True, env=env)


def log_text(log: IO[str]) -> str:
    """Everything written to `log` so far, read without moving its file offset. The offset is shared with the
    process writing to it (the same open file): seeking it back while testpmd runs makes testpmd's next lines
    overwrite the start of its log (measured: PTP timestamps 0.1 s later on top of EAL's first lines)."""
    fd, offset = log.fileno(), 0
    chunks: list[bytes] = []
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks).decode(errors="replace")


def wait_for_forwarding(proc: subprocess.Popen[str], log: IO[str], timeout: float) -> float:
    """When testpmd (writing to `log`) has started forwarding (it asks for Enter), or exited; EAL and port start
    take a while on a loaded machine, and that time must not count as forwarding. Each poll reads only what was
    written since the one before (a chatty forwarding engine prints ~100,000 lines before the prompt shows), with
    pread: the file offset is testpmd's too (log_text)."""
    deadline = time.monotonic() + timeout
    prompt = PROMPT.encode()
    fd, offset, tail = log.fileno(), 0, b""
    while time.monotonic() < deadline and proc.poll() is None:
        found = False
        while chunk := os.pread(fd, 1 << 20, offset):
            offset += len(chunk)
            seen = tail + chunk  # the prompt may straddle two reads
            if prompt in seen:
                found = True
                break
            tail = seen[-(len(prompt) - 1):]
        if found:
            break
        time.sleep(0.05)
    return time.monotonic()


def enter_after_forwarding(proc: subprocess.Popen[str], log: IO[str], seconds: float, timeout: float) -> float:
    """Wait (up to `timeout`) for non-interactive testpmd to forward, let it forward `seconds`, then press Enter
    (unless it exited early: that is for the caller to judge). Returns when forwarding started."""
    forwarding = wait_for_forwarding(proc, log, timeout)
    try:
        proc.wait(timeout=seconds)  # testpmd forwards until Enter
    except subprocess.TimeoutExpired:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.write("\n")  # type: ignore[union-attr]
            proc.stdin.flush()  # type: ignore[union-attr]
    return forwarding
