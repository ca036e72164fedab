"""The process's one EAL: configuration, init, captured log, cleanup.

DPDK's EAL can be initialized once per process. `Eal(config)` does it (a second `Eal(...)` raises
HarnessUsageError), sends DPDK's log to a file it can read back (errors carry the DPDK log line),
and registers cleanup at exit: rte_eal_cleanup() and removal of the runtime dir of its --file-prefix.
"""

from __future__ import annotations

import atexit
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from kit.errors import KitError
from kit.harness._build import load_extension
from kit.harness.errors import DpdkError, HarnessUsageError
from kit.runtime import base_eal_args, check_plugin_path, remove_runtime_dir, unique_file_prefix

PREFIX_TAG = "kith"  # every harness --file-prefix starts with "kith-<pid of the creating process>-"


def ffi_lib() -> tuple[Any, Any]:
    """The cffi (ffi, lib) pair of the harness extension (built on first use)."""
    module = load_extension()
    return module.ffi, module.lib


@dataclass(frozen=True)
class EalConfig:
    """Everything that shapes an EAL. Sequences are stored as tuples; paths as strings."""

    vdevs: tuple[str, ...] = ()
    plugins: tuple[str, ...] = ()
    memory_mb: int = 256
    lcores: str = "0"
    mbuf_pool_ops_name: str | None = None
    log_level: str = "error"
    file_prefix: str | None = None  # None: a unique "kith-<pid>-<n>" is chosen at init
    extra_args: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for name in ("vdevs", "plugins", "extra_args"):
            value = getattr(self, name)
            if isinstance(value, str | os.PathLike):
                value = (value,)
            object.__setattr__(self, name, tuple(str(v) for v in value))

    def eal_args(self, prefix: str) -> list[str]:
        """The EAL argument list (without argv[0]) for this configuration and --file-prefix."""
        args = base_eal_args(prefix, memory_mb=self.memory_mb, lcores=self.lcores, log_level=self.log_level)
        for vdev in self.vdevs:
            args += ["--vdev", vdev]
        for plugin in self.plugins:
            args += ["-d", plugin]
        if self.mbuf_pool_ops_name:
            args += ["--mbuf-pool-ops-name", self.mbuf_pool_ops_name]
        return args + list(self.extra_args)


def log_path_for(prefix: str) -> Path:
    """Where the EAL of --file-prefix `prefix` writes DPDK's log (known to a parent, which reads and
    removes it if the child dies)."""
    return Path(tempfile.gettempdir()) / f"kit-eal-{prefix}.log"


class Eal:
    """The initialized EAL of this process. Use `Eal(config)` once; `Eal.current()` afterwards."""

    _current: Eal | None = None
    _attempted: str | None = None  # file prefix of the first init attempt (EAL cannot be retried)
    # What the modules above this one (ports, pools) do right after init and before cleanup; they register
    # themselves, so this module imports none of them.
    _init_hooks: ClassVar[list[Callable[[Eal], None]]] = []
    _close_hooks: ClassVar[list[Callable[[], None]]] = []

    def __init__(self, config: EalConfig | None = None) -> None:
        config = config or EalConfig()
        if Eal._attempted is not None:
            state = "is running" if Eal._current is not None else "was already used (and cleaned up or failed)"
            raise HarnessUsageError(
                f"the EAL of this process {state} (file prefix {Eal._attempted}); it can be initialized only once",
                "use run_in_child(fn, ..., eal=EalConfig(...)) for another EAL configuration",
            )
        for plugin in config.plugins:
            check_plugin_path(plugin)
        self.config = config
        self.prefix = config.file_prefix or unique_file_prefix(PREFIX_TAG)
        self.ffi, self.lib = ffi_lib()
        self.log_path = log_path_for(self.prefix)
        log_path = str(self.log_path)
        os.close(os.open(log_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        self._final_log: str | None = None
        rc = self.lib.kh_log_to_file(log_path.encode())
        if rc != 0:
            raise KitError(f"cannot open the DPDK log file {log_path}: {os.strerror(-rc)}")
        argv = ["kit-harness", *config.eal_args(self.prefix)]
        self.args = tuple(argv[1:])
        # EAL may keep pointers into argv: the buffers live as long as this object (i.e. the process).
        self._argv_keep = [self.ffi.new("char[]", a.encode()) for a in argv]
        argv_c = self.ffi.new("char *[]", self._argv_keep)
        Eal._attempted = self.prefix
        mark = 0
        if self.lib.kh_eal_init(len(argv), argv_c) < 0:
            err = self.lib.kh_errno()
            remove_runtime_dir(self.prefix)
            self._alive = False
            exc = self.error("rte_eal_init", err, mark, detail=" ".join(self.args))
            self._drop_log()
            raise exc
        self._alive = True
        Eal._current = self
        atexit.register(self.close)
        for hook in Eal._init_hooks:
            hook(self)

    @classmethod
    def on_init(cls, hook: Callable[[Eal], None]) -> None:
        """Call hook(eal) right after every successful init (e.g. check the configured mbuf pool ops)."""
        cls._init_hooks.append(hook)

    @classmethod
    def on_close(cls, hook: Callable[[], None]) -> None:
        """Call hook() before rte_eal_cleanup (e.g. close the ports the harness opened)."""
        cls._close_hooks.append(hook)

    # -- process-wide access --------------------------------------------------------------------

    @classmethod
    def current(cls) -> Eal:
        """The running EAL, or HarnessUsageError if there is none."""
        eal = cls._current
        if eal is None or not eal._alive:
            raise HarnessUsageError(
                "no EAL is running in this process", "create Eal(EalConfig(...)) first, or use run_in_child"
            )
        return eal

    @classmethod
    def is_running(cls) -> bool:
        return cls._current is not None and cls._current._alive

    @property
    def alive(self) -> bool:
        return self._alive

    def __enter__(self) -> Eal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- log ------------------------------------------------------------------------------------

    def log_mark(self) -> int:
        """A position in the DPDK log; log_since(mark) returns what was logged after it."""
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def log_since(self, mark: int = 0) -> str:
        if self._final_log is not None:
            return self._final_log[mark:]
        try:
            with open(self.log_path, "rb") as f:
                f.seek(mark)
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def log_text(self) -> str:
        """Everything DPDK logged in this process so far (at the configured log level)."""
        return self.log_since(0)

    def last_log_line(self, since: int = 0) -> str:
        lines = [line.strip() for line in self.log_since(since).splitlines() if line.strip()]
        return lines[-1] if lines else ""

    def error(self, call: str, err: int, mark: int, *, detail: str = "", fix: str = "") -> DpdkError:
        """Build the DpdkError for a failed DPDK call: err is the (positive or negative) errno."""
        err = abs(err)
        line = self.last_log_line(mark)
        name = DpdkError("", errno=err).errno_name
        reason = self.ffi.string(self.lib.kh_strerror(err)).decode(errors="replace")
        msg = f"{call}({detail}) failed: {name} ({reason})" if detail else f"{call} failed: {name} ({reason})"
        if line:
            msg += f"; DPDK log: {line}"
        return DpdkError(msg, fix, errno=err, call=call, log_line=line)

    def check(self, rc: int, call: str, mark: int, *, detail: str = "", fix: str = "") -> int:
        """Return rc if >= 0, else raise the DpdkError for -rc."""
        if rc < 0:
            raise self.error(call, -rc, mark, detail=detail, fix=fix)
        return rc

    # -- hotplug ---------------------------------------------------------------------------------

    def hotplug_probe(self, devargs: str) -> int:
        """rte_dev_probe(devargs), what EAL init does for --vdev: 0 or a negative errno (the suites record the
        code, so a failure is a value here, not an exception)."""
        return int(self.lib.rte_dev_probe(devargs.encode()))

    def devargs_parse(self, devargs: str) -> int:
        """rte_devargs_parse(devargs), how EAL reads a device argument, without probing: 0 when a bus takes it (for
        "vdev:DEVICE", a registered vdev driver whose name or alias starts DEVICE), else a negative errno. No driver
        code runs."""
        da = self.ffi.new("struct rte_devargs *")
        rc = int(self.lib.rte_devargs_parse(da, devargs.encode()))
        if rc == 0:
            self.lib.rte_devargs_reset(da)
        return rc

    def hotplug_remove(self, device: str, bus: str = "vdev") -> int:
        """rte_eal_hotplug_remove(bus, device): the device's driver removes it; 0 or a negative errno."""
        return int(self.lib.rte_eal_hotplug_remove(bus.encode(), device.encode()))

    # -- teardown -------------------------------------------------------------------------------

    def close(self) -> None:
        """rte_eal_cleanup() and removal of the runtime dir. Idempotent; also runs at exit."""
        if not self._alive:
            return
        for hook in Eal._close_hooks:
            hook()
        self._alive = False
        self.lib.kh_eal_cleanup()
        remove_runtime_dir(self.prefix)
        self._drop_log()
        atexit.unregister(self.close)

    def _drop_log(self) -> None:
        try:
            self._final_log = self.log_path.read_text(errors="replace")
            self.log_path.unlink()
        except OSError:
            self._final_log = self._final_log or ""
