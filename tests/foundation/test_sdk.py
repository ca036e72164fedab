"""`kit sdk`: the seven driver-SDK headers for the installed DPDK, and every way that can go wrong.

Steps / Verify style: each test names the situation, runs the real command, checks message and exit code.
The network is reached once per run: `downloaded_sdk` fetches the source package into an empty cache, and the
tests that need real headers (to build source trees from) reuse them with downloads made to fail.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kit.cli import main
from kit.toolchain import dpdk as dpdk_mod
from kit.toolchain import sdk

KIT = [sys.executable, "-m", "kit.cli"]


@pytest.fixture(autouse=True)
def fresh_dpdk_lookup():
    dpdk_mod.find_dpdk.cache_clear()
    yield
    dpdk_mod.find_dpdk.cache_clear()


@pytest.fixture
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("DPDK_KIT_CACHE", str(cache))
    return cache


@dataclass(frozen=True)
class Downloaded:
    cache: Path  # the DPDK_KIT_CACHE the download went into
    sdk: sdk.Sdk


@pytest.fixture(scope="session")
def downloaded_sdk(tmp_path_factory: pytest.TempPathFactory) -> Downloaded:
    """The run's one download: `kit sdk`'s source-package path (apt-get source dpdk=VERSION) into an empty cache."""
    cache = tmp_path_factory.mktemp("sdk-download") / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DPDK_KIT_CACHE", str(cache))
        dpdk_mod.find_dpdk.cache_clear()
        try:
            return Downloaded(cache, sdk.ensure_sdk(dpdk_mod.find_dpdk()))
        finally:
            dpdk_mod.find_dpdk.cache_clear()


@pytest.fixture
def no_downloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """apt-get fails as without network: a test using this proves it downloads nothing."""
    fake_tool(tmp_path / "no-network-bin", "apt-get",
              "echo 'E: Failed to fetch (this test forbids downloads)' >&2; exit 100\n")
    prepend_path(monkeypatch, tmp_path / "no-network-bin")


def fake_tool(directory: Path, name: str, script: str) -> Path:
    """A stand-in for a system tool (apt-get, pkg-config) placed first on PATH."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def prepend_path(monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    monkeypatch.setenv("PATH", f"{directory}{os.pathsep}{os.environ['PATH']}")


def source_tree_from(include_dir: Path, root: Path, version: str) -> Path:
    """A minimal DPDK source tree: VERSION plus the seven headers at their in-tree paths."""
    (root).mkdir(parents=True)
    (root / "VERSION").write_text(version + "\n")
    for name, rel in sdk.HEADERS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes((include_dir / name).read_bytes())
    return root


def test_sdk_provides_proven_headers_and_reuses_them(downloaded_sdk: Downloaded, no_downloads: None,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Steps: kit sdk in an empty cache (downloads the source package: the session's download), then again with
    apt-get broken.
    Verify: both give the same per-version directory, with all seven headers; the second downloads nothing."""
    dpdk = dpdk_mod.find_dpdk()
    first = downloaded_sdk.sdk
    assert first.downloaded and first.origin.startswith("source package dpdk=")
    assert first.include_dir == downloaded_sdk.cache / "sdk" / dpdk.version / "include"
    assert all((first.include_dir / name).is_file() for name in sdk.HEADERS)

    monkeypatch.setenv("DPDK_KIT_CACHE", str(downloaded_sdk.cache))
    second = subprocess.run([*KIT, "sdk"], capture_output=True, text=True, check=False)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == str(first.include_dir)
    assert "(cache, from source package dpdk=" in second.stderr


def test_sdk_from_a_source_tree_of_the_installed_version(downloaded_sdk: Downloaded, empty_cache: Path,
                                                         no_downloads: None, tmp_path: Path) -> None:
    """Steps: a source tree of the installed version (the downloaded headers at their in-tree paths), kit sdk
    --dpdk-src TREE with an empty cache. Verify: the headers come from the tree, proven, with no download."""
    dpdk = dpdk_mod.find_dpdk()
    tree = source_tree_from(downloaded_sdk.sdk.include_dir, tmp_path / "dpdk-tree", dpdk.version)
    result = sdk.ensure_sdk(dpdk, tree)
    assert result.origin.startswith("source tree") and not result.downloaded
    assert result.include_dir == empty_cache / "sdk" / dpdk.version / "include"
    assert (result.include_dir / sdk.PROOF_STAMP).is_file()


def test_source_tree_of_another_version_is_refused(empty_cache: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    tree = tmp_path / "dpdk-23.11"
    tree.mkdir()
    (tree / "VERSION").write_text("23.11.0\n")
    assert main(["sdk", "--dpdk-src", str(tree)]) == 2
    err = capsys.readouterr().err.strip()
    installed = dpdk_mod.find_dpdk().version
    assert err.count("\n") == 0
    assert f"is DPDK 23.11.0, another branch than the installed DPDK {installed}" in err
    assert "--dpdk-src DIR" in err
    assert not (empty_cache / "sdk").exists()


def other_point(version: str) -> str:
    """Another release of the same LTS branch: x.y.0 for a stable release, x.y.1 for x.y.0."""
    branch = sdk.branch_of(version)
    return f"{branch}.1" if version in (branch, f"{branch}.0") else f"{branch}.0"


def test_same_branch_at_another_point_is_accepted_with_a_warning(downloaded_sdk: Downloaded, empty_cache: Path,
                                                                 no_downloads: None, tmp_path: Path) -> None:
    """Steps: a source tree whose VERSION is another point of the installed LTS branch (24.11.0 for 24.11.8), with
    headers that compile; kit sdk --dpdk-src TREE, then kit sdk, then kit doctor's sdk line.
    Verify: accepted, each kit sdk warns on stderr naming both versions, and kit doctor says so (warn, not ok)."""
    dpdk = dpdk_mod.find_dpdk()
    point = other_point(dpdk.version)
    tree = source_tree_from(downloaded_sdk.sdk.include_dir, tmp_path / "dpdk-point", point)
    env = {**os.environ, "DPDK_KIT_CACHE": str(empty_cache)}
    for args in (["--dpdk-src", str(tree)], []):
        proc = subprocess.run([*KIT, "sdk", *args], capture_output=True, text=True, check=False, env=env)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == str(empty_cache / "sdk" / dpdk.version / "include")
        assert (f"kit sdk: warning: source tree {tree} is DPDK {point}, the installed DPDK is {dpdk.version}: the "
                f"same {dpdk.series} LTS branch at another point") in proc.stderr
    doctor = subprocess.run([*KIT, "doctor"], capture_output=True, text=True, check=False, env=env)
    line = next(ln for ln in doctor.stdout.splitlines() if "sdk headers" in ln)
    assert line.startswith("warn") and f"is DPDK {point}, the installed DPDK is {dpdk.version}" in line, line


def test_same_branch_at_another_point_that_does_not_compile_is_refused(
        downloaded_sdk: Downloaded, empty_cache: Path, no_downloads: None, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    dpdk = dpdk_mod.find_dpdk()
    tree = source_tree_from(downloaded_sdk.sdk.include_dir, tmp_path / "dpdk-point", other_point(dpdk.version))
    (tree / sdk.HEADERS["dev_driver.h"]).write_text("#error another point of the branch, incompatible\n")
    assert main(["sdk", "--dpdk-src", str(tree)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "the same LTS branch at another point, but its headers do not compile against the installed ones" in err
    assert not sdk.sdk_cache_dir(dpdk.version).exists()


def test_not_a_source_tree_is_refused(empty_cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sdk", "--dpdk-src", str(tmp_path)]) == 2
    assert "is not a DPDK source tree (no VERSION file)" in capsys.readouterr().err


def test_headers_that_do_not_compile_are_refused_and_not_cached(downloaded_sdk: Downloaded, empty_cache: Path,
                                                                no_downloads: None, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    dpdk = dpdk_mod.find_dpdk()
    tree = source_tree_from(downloaded_sdk.sdk.include_dir, tmp_path / "broken-tree", dpdk.version)
    (tree / sdk.HEADERS["ethdev_driver.h"]).write_text("#error this header is broken\n")
    assert main(["sdk", "--dpdk-src", str(tree)]) == 2
    assert "do not compile against DPDK" in capsys.readouterr().err
    assert not sdk.sdk_cache_dir(dpdk.version).exists()


@pytest.mark.parametrize(
    ("apt_output", "expected"),
    [
        ("E: Failed to fetch http://deb.example/dpdk.dsc  Temporary failure resolving 'deb.example'",
         "could not download the source package 'dpdk="),
        ("E: You must put some 'deb-src' URIs in your sources.list", "no deb-src entry in the apt sources"),
        ("E: Failed to fetch http://deb.example/pool/main/d/dpdk/dpdk_24.11.8.orig.tar.xz  404  Not Found",
         "lists the source package 'dpdk="),
    ],
)
def test_source_package_failures_are_one_clear_line(empty_cache: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch, apt_output: str,
                                                    expected: str) -> None:
    fake_tool(tmp_path / "bin", "apt-get", f"echo \"{apt_output}\" >&2; exit 100\n")
    prepend_path(monkeypatch, tmp_path / "bin")
    proc = subprocess.run([*KIT, "sdk"], capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert expected in proc.stderr
    assert "--dpdk-src DIR" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (empty_cache / "sdk" / dpdk_mod.find_dpdk().version / "include").exists()


def test_no_dpdk_installed(empty_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    """A machine with neither libdpdk.pc nor DPDK headers."""
    monkeypatch.setenv("PKG_CONFIG_LIBDIR", str(tmp_path / "no-pc-files"))
    monkeypatch.setenv("PKG_CONFIG_PATH", "")
    monkeypatch.setattr(dpdk_mod, "HEADER_SEARCH", (tmp_path / "no-headers",))
    assert main(["sdk"]) == 2
    err = capsys.readouterr().err
    assert "DPDK not found: pkg-config has no 'libdpdk'" in err
    assert "fix: run 'sudo bash ci/setup.sh'" in err


def test_dpdk_without_pkg_config_file(empty_cache: Path, tmp_path: Path) -> None:
    """DPDK's headers are installed here, but an empty pkg-config search path hides libdpdk.pc."""
    env = dict(os.environ, PKG_CONFIG_LIBDIR=str(tmp_path / "no-pc-files"), PKG_CONFIG_PATH="")
    proc = subprocess.run([*KIT, "sdk"], capture_output=True, text=True, check=False, env=env)
    assert proc.returncode == 2
    assert "DPDK headers are installed (/usr/include/dpdk) but pkg-config finds no libdpdk.pc" in proc.stderr
    assert "PKG_CONFIG_PATH" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_broken_pkg_config_version(empty_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    fake_tool(tmp_path / "bin", "pkg-config", "echo 'garbage version'\n")
    prepend_path(monkeypatch, tmp_path / "bin")
    assert main(["sdk"]) == 2
    assert "unreadable DPDK version 'garbage version'" in capsys.readouterr().err
