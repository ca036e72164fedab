"""The `kit` command line: parse, call one function per command, print, map errors to exit codes.

User errors (KitError) become one line on stderr and exit code 2; nothing here prints a traceback
for them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kit import __version__
from kit.errors import KitError


def _cmd_sdk(args: argparse.Namespace) -> int:
    from kit.toolchain.dpdk import find_dpdk
    from kit.toolchain.sdk import ensure_sdk

    dpdk = find_dpdk()
    found = ensure_sdk(dpdk, args.dpdk_src)
    if found.warning:
        print(f"kit sdk: warning: {found.warning}", file=sys.stderr)
    if not args.quiet:
        print(f"DPDK {dpdk.version} driver-SDK headers ({found.origin}):", file=sys.stderr)
    print(found.include_dir)
    return 0


def _cmd_doctor(_args: argparse.Namespace) -> int:
    from kit.doctor import run_doctor

    return run_doctor(print)


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _nonempty(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def _cmd_test(args: argparse.Namespace) -> int:
    from kit.conformance import runner

    if args.dir is not None:
        from kit.project import find_project, run_project_tests

        if args.mempool or args.pmd:
            raise KitError(f"DIR ({args.dir}) does not go with --mempool or --pmd: kit test DIR tests the driver the "
                           "project builds", "drop DIR, or drop --mempool/--pmd; arguments for pytest go after --")
        if args.plugin:
            raise KitError("--plugin does not go with DIR: kit test DIR tests the plugin the project builds",
                           "drop --plugin, or use kit test --pmd/--mempool ... --plugin PATH")
        kind = find_project(args.dir).kind
    elif args.coverage or args.sanitize:
        raise KitError(f"{'--coverage' if args.coverage else '--sanitize'} goes with a project directory: kit test "
                       "DIR builds the variant it tests", "give the project directory (kit test DIR --coverage)")
    elif args.mempool or args.pmd:
        kind = "mempool" if args.mempool else "pmd"
    else:
        raise KitError("nothing to test", "give a project directory (kit test DIR) or a driver (--mempool NAME or "
                       "--pmd DEVARGS)")
    # Bad input is refused here, before anything is built or run.
    checks = runner.select_checks(runner.suite_kind(kind), args.check)
    report = runner.check_report_path(args.report)
    if args.dir is not None:
        return run_project_tests(args.dir, report=report, checks=checks, extra=args.pytest_args,
                                 coverage=args.coverage, sanitize=args.sanitize)
    runner.require_driver(mempool=args.mempool, pmd=args.pmd, plugins=args.plugin)
    return runner.run_suite(mempool=args.mempool, pmd=args.pmd, plugins=args.plugin, report=report, checks=checks,
                            extra=args.pytest_args)


def _cmd_new_mempool(args: argparse.Namespace) -> int:
    from kit.scaffold import render

    answers = {"name": args.name}
    if args.author:
        answers["author"] = args.author
    project = render("mempool", args.output_dir, answers, force=args.force)
    print(project)
    return 0


def _cmd_new_pmd(args: argparse.Namespace) -> int:
    from kit.scaffold import render

    answers = {"name": args.name}
    for key in ("vendor_id", "device_id", "max_queues", "ring_size", "mac", "author"):
        if getattr(args, key) is not None:
            answers[key] = getattr(args, key)
    project = render("pmd", args.output_dir, answers, force=args.force)
    print(project)
    return 0


def _cmd_testpmd(args: argparse.Namespace) -> int:
    from kit.project import build_plugin, default_vdevs, find_project
    from kit.testpmd import run_testpmd

    project = find_project(args.dir)
    plugin = build_plugin(project)
    return run_testpmd([plugin, *args.plugin], args.vdev or default_vdevs(project), args.testpmd_args,
                       mbuf_pool_ops=project.name if project.kind == "mempool" else None)


def _cmd_demo(args: argparse.Namespace) -> int:
    from kit.demo import run_demo

    return run_demo(args.dir)


def _cmd_build(args: argparse.Namespace) -> int:
    from kit.toolchain.meson import build_driver

    result = build_driver(args.dir, args.build_dir, debug=args.debug, sanitize=args.sanitize, coverage=args.coverage)
    for plugin in result.plugins:
        print(plugin)
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from kit.info import plugin_info

    for line in plugin_info(args.plugin).lines():
        print(line)
    return 0


def _cmd_pmdinfo(args: argparse.Namespace) -> int:
    from kit.toolchain.pmdinfo import write_pmdinfo_c

    write_pmdinfo_c(args.inputs, args.output)
    return 0


def _bench_command(args: argparse.Namespace) -> str:
    """The command line that reproduces this run, recorded with its results."""
    if args.dir is not None:
        words = ["kit", "bench", str(args.dir)]
    else:
        words = ["kit", "bench", "--mempool" if args.mempool else "--pmd", args.mempool or args.pmd]
    words += [w for p in args.plugin for w in ("--plugin", str(p))] + (["--quick"] if args.quick else [])
    return " ".join(words + ([f"--reps {args.reps}"] if args.reps else []))


def _cmd_bench(args: argparse.Namespace) -> int:
    from kit.bench import bench

    plugins = list(args.plugin)
    if args.dir is not None:
        from kit.project import build_plugin, find_project

        if args.mempool or args.pmd or plugins:
            raise KitError("DIR does not go with --mempool, --pmd or --plugin: kit bench DIR benchmarks the plugin "
                           "the project builds", "drop them, or drop DIR")
        project = find_project(args.dir)
        plugins = [build_plugin(project)]
        # A PMD project is measured on its NIC model generating traffic, as net_null generates it.
        kind, target = ("pmd", project.sim_devargs("gen")) if project.kind == "pmd" else ("mempool", project.name)
    elif args.mempool or args.pmd:
        kind, target = ("mempool", args.mempool) if args.mempool else ("pmd", args.pmd)
    else:
        raise KitError("nothing to benchmark", "give a project directory (kit bench DIR) or a driver "
                       "(--mempool NAME or --pmd DEVARGS)")
    from kit.bench.pcie import parse_costs
    from kit.bench.progress import tracker_for

    costs = parse_costs(args.pcie_cost)  # a bad table is refused before minutes of runs
    tracker = tracker_for(sys.stderr)
    try:
        result = bench(kind, target, plugins, out=args.out, reps=args.reps or (3 if args.quick else 5),
                       quick=args.quick, compare=args.compare, command=_bench_command(args),
                       progress=lambda msg: print(f"kit bench: {msg}", file=sys.stderr), tracker=tracker,
                       pcie_costs=costs)
    finally:
        getattr(tracker, "close", lambda: None)()
    print(result.table)
    if result.acceptance:
        print("\n" + result.acceptance)
    if result.comparison:
        print(f"\nchange against {args.compare}:\n{result.comparison}")
    print(f"\nwrote {result.json_path}, {result.png_path}, {result.table_path}")
    return 0


def _add_output_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output-dir", type=Path, default=Path.cwd(), metavar="DIR",
                        help="where to create the NAME directory (default: the current directory)")


def _add_author_and_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--author", help="copyright holder in the generated files")
    parser.add_argument("--force", action="store_true",
                        help="write into an existing DIR/NAME, overwriting the template's files")


def _add_driver(parser: argparse.ArgumentParser, *, pmd_examples: str, project: str) -> None:
    """The driver under test of kit test and kit bench: a project DIR (`project` says what is done with it), or
    --mempool NAME or --pmd DEVARGS with the --plugin files that register it."""
    parser.add_argument("dir", metavar="DIR", type=Path, nargs="?", help=project)
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--mempool", metavar="NAME", type=_nonempty, help="mempool ops name")
    target.add_argument("--pmd", metavar="DEVARGS", type=_nonempty, help=f"vdev devargs, e.g. {pmd_examples}")
    parser.add_argument("--plugin", metavar="PATH", type=Path, action="append", default=[],
                        help="driver plugin to load with EAL -d (repeatable)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kit", description="Scaffold, build, test and benchmark out-of-tree DPDK drivers.")
    parser.add_argument("--version", action="version", version=f"dpdk-kit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    new_pmd = commands.add_parser("new-pmd", help="create a PMD project (NIC model, tests, CI) from the template",
                                  description="Render templates/pmd (the reference mqnic-style PMD with its C NIC "
                                  "model, tests, feature matrix and CI) for NAME into DIR/NAME: drivers net_NAME (PCI) "
                                  "and net_NAME_sim (vdev), plugin librte_net_NAME.so.")
    new_pmd.add_argument("name", metavar="NAME", help="driver name: a C identifier, e.g. acme")
    _add_output_dir(new_pmd)
    new_pmd.add_argument("--vendor-id", metavar="ID", help="PCI vendor id, 0x0000-0xffff (default 0x1234)")
    new_pmd.add_argument("--device-id", metavar="ID", help="PCI device id, 0x0000-0xffff (default 0x1001)")
    new_pmd.add_argument("--max-queues", metavar="N", help="RX/TX queues the NIC has at most, 4-128 (default 16)")
    new_pmd.add_argument("--ring-size", metavar="N", help="default ring size, a power of two 64-32768 (default 1024)")
    new_pmd.add_argument("--mac", metavar="XX:XX:XX:XX:XX:XX",
                         help="MAC of sim port 0; port N adds N to the last byte (default 02:00:00:00:01:00)")
    _add_author_and_force(new_pmd)
    new_pmd.set_defaults(func=_cmd_new_pmd)

    new_mempool = commands.add_parser("new-mempool", help="create a mempool driver project from the template",
                                      description="Render templates/mempool (the reference kit_ring driver with "
                                      "its C tests, peer-program checks and CI) for NAME into DIR/NAME.")
    new_mempool.add_argument("name", metavar="NAME", help="driver and ops name: a C identifier, e.g. acme_pool")
    _add_output_dir(new_mempool)
    _add_author_and_force(new_mempool)
    new_mempool.set_defaults(func=_cmd_new_mempool)

    build = commands.add_parser("build", help="build a driver project (meson + ninja, out of source)",
                                description="Configure and build the meson project DIR into DIR/build (or "
                                "--build-dir), then add PMD info to each plugin whose objects register a PMD.")
    build.add_argument("dir", metavar="DIR", type=Path, help="the project directory (with meson.build)")
    build.add_argument("--build-dir", type=Path, metavar="B", help="build directory (default: DIR/build)")
    build.add_argument("--debug", action="store_true", help="debug build (-O0 -g) instead of the project's default")
    build.add_argument("--sanitize", metavar="LIST",
                       help="compile with sanitizers, e.g. address,undefined (meson b_sanitize)")
    build.add_argument("--coverage", action="store_true", help="compile with coverage counters (meson b_coverage)")
    build.set_defaults(func=_cmd_build)

    test = commands.add_parser("test", help="run the conformance suite against a driver",
                               usage="%(prog)s [-h] [DIR] [--mempool NAME | --pmd DEVARGS] [--plugin PATH] "
                               "[--report FILE] [--check IDS] [--coverage] [--sanitize LIST] [-- PYTEST_ARGS ...]",
                               epilog="Arguments after -- go to pytest.",
                               description="Run the mempool suite (checks M...) or the ethdev suite (checks E...) of "
                               "docs/conformance.md against one driver, in a real EAL. Examples: "
                               "'kit test --mempool ring_mp_mc', "
                               "'kit test --mempool kit_ring --plugin build/librte_mempool_kit_ring.so', "
                               "'kit test --pmd net_null0'.")
    _add_driver(test, pmd_examples="net_null0 or net_ring0",
                project="a driver project (kit new-pmd/new-mempool): build it if needed, run its conformance suite "
                "(PMD: --pmd net_NAME_sim0,wire=loopback; mempool: --mempool NAME) and pytest DIR/tests")
    test.add_argument("--report", metavar="FILE", type=Path, help="write per-check results as JSON")
    test.add_argument("--check", metavar="IDS", help="only these checks, comma-separated (e.g. M4,M5)")
    test.add_argument("--coverage", action="store_true",
                      help="with DIR: build with coverage counters into DIR/build-coverage and report line and branch "
                      "coverage per source file (table, HTML, JSON under DIR/build-coverage/coverage)")
    test.add_argument("--sanitize", metavar="LIST",
                      help="with DIR: build with sanitizers (e.g. address,undefined) into DIR/build-asan-ubsan, run "
                      "every process with their runtime and fail on any sanitizer report")
    test.set_defaults(func=_cmd_test)

    bench = commands.add_parser("bench", help="benchmark a driver side by side with DPDK's own drivers",
                                description="Throughput (median, min, max of interleaved repetitions) and "
                                "callgrind instructions per object or packet, as ratios to ring_mp_mc (--mempool) "
                                "or net_null (--pmd); writes a table, JSON and PNG. Examples: "
                                "'kit bench --mempool kit_ring --plugin build/librte_mempool_kit_ring.so', "
                                "'kit bench --pmd net_mqnic_sim0,wire=gen --plugin build/librte_net_mqnic.so'.")
    _add_driver(bench, pmd_examples="net_null0",
                project="a project made by kit new-pmd / kit new-mempool: build it and benchmark its plugin")
    bench.add_argument("--out", metavar="DIR", type=Path, default=Path("bench-results"),
                       help="where to write the JSON, PNG and table (default: ./bench-results)")
    bench.add_argument("--reps", metavar="N", type=_positive_int, help="timed repetitions (default 5; 3 with --quick)")
    bench.add_argument("--quick", action="store_true", help="fewer configurations, shorter runs")
    bench.add_argument("--compare", metavar="OLD.json", type=Path, help="show the change of each row against OLD")
    bench.add_argument("--pcie-cost", metavar="KEY=VALUE,...",
                       help="override the PCIe cost table (mmio_read_ns, mmio_write_ns, link_gbps, "
                            "tlp_overhead_bytes; docs/benchmarks.md)")
    bench.set_defaults(func=_cmd_bench)

    testpmd = commands.add_parser("testpmd", help="run dpdk-testpmd with a project's driver loaded",
                                  usage="%(prog)s [-h] DIR [--vdev DEVARGS] [--plugin PATH] [-- TESTPMD_ARGS ...]",
                                  description="Build DIR if needed and run dpdk-testpmd with EAL --no-huge --no-pci "
                                  "-m 1024 -l 0-1, a unique file prefix, -d the plugin and, by default, --vdev "
                                  "net_NAME_sim0,wire=gen --vdev net_null0 (a mempool project: two net_null ports and "
                                  "--mbuf-pool-ops-name NAME). Arguments after -- go to testpmd, e.g. "
                                  "'kit testpmd acme -- -i' or 'kit testpmd acme -- --forward-mode=io'.")
    testpmd.add_argument("dir", metavar="DIR", type=Path, help="the project directory")
    testpmd.add_argument("--vdev", metavar="DEVARGS", action="append", default=[],
                         help="a virtual device instead of the defaults (repeatable)")
    testpmd.add_argument("--plugin", metavar="PATH", type=Path, action="append", default=[],
                         help="another plugin to load with -d (repeatable)")
    testpmd.set_defaults(func=_cmd_testpmd)

    info = commands.add_parser("info", help="print the PMD info and mempool ops of a driver plugin",
                               description="Read the PMD_INFO_STRING of a plugin (name, devargs, PCI ids, kmod "
                               "dependency) and list the mempool ops it registers (loaded in a child EAL).")
    info.add_argument("plugin", metavar="PLUGIN", type=Path, help="the plugin (.so)")
    info.set_defaults(func=_cmd_info)

    demo = commands.add_parser("demo", help="the whole loop on two new drivers, with a summary",
                               description="Scaffold a PMD (acme) and a mempool driver (acme_pool) into DIR, build "
                               "both, run their conformance suites, forward traffic through dpdk-testpmd with the new "
                               "mempool as the mbuf pool, and print a summary table.")
    demo.add_argument("dir", metavar="DIR", type=Path, nargs="?",
                      help="where to create the projects (default: a fresh directory under the kit's cache)")
    demo.set_defaults(func=_cmd_demo)

    doctor = commands.add_parser("doctor", help="check that this machine can build, load and test drivers",
                                 description="One line per check, with the fix for each failure. "
                                 "Exit 0 only when every blocking check passes.")
    doctor.set_defaults(func=_cmd_doctor)

    sdk = commands.add_parser("sdk", help="find or provide the driver-SDK headers for the installed DPDK",
                              description="Find or provide the seven driver-SDK headers for the exact installed "
                              "DPDK version, prove them by compiling a probe and print their directory.")
    sdk.add_argument("--dpdk-src", type=Path, metavar="DIR",
                     help="take the headers from this DPDK source tree (must be the installed version)")
    sdk.add_argument("-q", "--quiet", action="store_true", help="print only the directory")
    sdk.set_defaults(func=_cmd_sdk)

    pmdinfo = commands.add_parser("pmdinfo", help="generate the PMD info C source from relocatable objects",
                                  description="Like DPDK's pmdinfogen: read this_pmd_name* and __<name>_*_export "
                                  "symbols from objects (.o, .a, or directories of .o) and write a C file "
                                  "defining the PMD_INFO_STRING(s); used by 'kit build' and by meson custom_target.")
    pmdinfo.add_argument("inputs", metavar="OBJ", type=Path, nargs="+", help="object files, archives or directories")
    pmdinfo.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help="the C file to write")
    pmdinfo.set_defaults(func=_cmd_pmdinfo)
    return parser


# Commands that hand the arguments after the first -- to another program; everything before it is the kit's.
_PASS_THROUGH = {"test": ("pytest_args", "pytest"), "testpmd": ("testpmd_args", "dpdk-testpmd")}


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse the kit's own arguments. For test and testpmd, what follows the first -- goes to pytest or
    dpdk-testpmd untouched, and the kit's options (--vdev, --plugin, --check ...) are taken wherever they stand
    before it; anything else before it is refused with one line."""
    words = list(argv)
    command = next((w for w in words if not w.startswith("-")), None)
    parser = build_parser()
    if command not in _PASS_THROUGH:
        return parser.parse_args(words)
    attr, program = _PASS_THROUGH[command]
    passed: list[str] = []
    if "--" in words:
        cut = words.index("--")
        words, passed = words[:cut], words[cut + 1:]
    args, unknown = parser.parse_known_args(words)
    if unknown:
        raise KitError(f"unrecognized arguments: {' '.join(unknown)}",
                       f"arguments for {program} go after --, e.g. kit {command} ... -- {' '.join(unknown)}")
    setattr(args, attr, passed)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parse_args(words)
    except KitError as err:
        command = next(w for w in words if not w.startswith("-"))
        print(f"kit {command}: error: {err.one_line()}", file=sys.stderr)
        return err.exit_code
    try:
        return int(args.func(args))
    except KitError as err:
        print(f"kit {args.command}: error: {err.one_line()}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print(f"kit {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
