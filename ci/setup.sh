#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Idempotent installer: the distribution's DPDK packages and tools (Debian 12: 22.11, Debian 13:
# 24.11, Debian unstable: 25.11), a deb-src entry so that 'apt-get source dpdk' works, the kit in a
# virtual environment (.venv), then the driver-SDK headers ('kit sdk'; from the source tree
# $DPDK_SRC when set). Every step first checks whether it is already done, so a second run on a
# ready machine installs nothing and takes a few seconds. ci/cleanroom.sh proves this list on a
# bare Debian (debootstrap --variant=minbase, each release): nothing here may rely on what a
# machine happens to have. Without driver-SDK headers (an archive that serves no source package
# and no DPDK_SRC) the machine is still ready for mempool drivers: setup warns and goes on.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$repo/.venv"
# Why each one, beyond DPDK itself and a C toolchain:
#   python3-pyelftools  /usr/bin/dpdk-pmdinfo.py runs the system python3 and imports elftools
#                       (only a Recommends of dpdk-dev, so --no-install-recommends leaves it out)
#   python3-dev         the cffi harness compiles a Python extension: Debian's Python needs pyconfig.h
#   python3-venv        the kit's own virtual environment
#   dpkg-dev            'apt-get source dpdk' unpacks with dpkg-source ('kit sdk')
#   iproute2            the tests' network namespaces for the sim port's TAP wire ('ip netns', 'ip link')
packages=(libdpdk-dev dpdk-dev dpdk build-essential pkg-config valgrind python3-venv python3-dev
	python3-pyelftools dpkg-dev iproute2)

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then
	as_root=()
elif command -v sudo >/dev/null 2>&1; then
	as_root=(sudo)
else
	die "installing system packages needs root; run as root or install sudo"
fi

command -v apt-get >/dev/null 2>&1 ||
	die "this installer needs apt (it is tested on Debian 12, 13 and unstable); elsewhere install DPDK 22.11, 24.11 or 25.11 by hand and run 'pip install -e .[test]'"

missing=()
for pkg in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

# 'apt-get source' needs a deb-src entry. Mirror the binary entries the machine already uses, so
# the source package comes from the same archive (and so the same version) as the binaries.
has_deb_src() {
	grep -Eqs '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources
}
updated=no
if ! has_deb_src; then
	say "adding deb-src entries (for 'apt-get source dpdk')"
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed -E 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
			"${as_root[@]}" tee /etc/apt/sources.list.d/dpdk-kit-src.sources >/dev/null
	elif [ -f /etc/apt/sources.list.d/ubuntu.sources ]; then
		sed -E 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb-src/' /etc/apt/sources.list.d/ubuntu.sources |
			"${as_root[@]}" tee /etc/apt/sources.list.d/dpdk-kit-src.sources >/dev/null
	elif [ -f /etc/apt/sources.list ]; then
		grep -E '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list | sed -E 's/^([[:space:]]*)deb /\1deb-src /' |
			"${as_root[@]}" tee /etc/apt/sources.list.d/dpdk-kit-src.list >/dev/null
	fi
	has_deb_src || die "could not add a deb-src entry; add one for your distribution's archive by hand"
	"${as_root[@]}" apt-get update -qq
	updated=yes
fi

if [ "${#missing[@]}" -gt 0 ]; then
	say "installing ${missing[*]}"
	[ "$updated" = yes ] || "${as_root[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

pkg-config --exists libdpdk || die "libdpdk-dev is installed but pkg-config does not find libdpdk"

# The venv is rebuilt only when pyproject.toml changed since the last install.
python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
	die "$python is older than 3.11; set PYTHON to a Python >= 3.11"
stamp="$venv/.dpdk-kit-installed"
want=$(sha256sum "$repo/pyproject.toml" | cut -d' ' -f1)
if [ ! -x "$venv/bin/kit" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	say "installing the kit into $venv"
	[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
	"$venv/bin/python" -m pip install -q --disable-pip-version-check -e "$repo[test]"
	echo "$want" > "$stamp"
fi

sdk_args=(--quiet)
[ -z "${DPDK_SRC:-}" ] || sdk_args+=(--dpdk-src "$DPDK_SRC")
sdk_note=""
if ! sdk_error=$("$venv/bin/kit" sdk "${sdk_args[@]}" 2>&1 >/dev/null); then
	printf 'setup: warning: no driver-SDK headers, PMDs will not build: %s\n' "$sdk_error" >&2
	sdk_note=" (no driver-SDK headers: mempool drivers only)"
fi
say "ready: DPDK $(pkg-config --modversion libdpdk), kit in $venv ('source .venv/bin/activate')$sdk_note"
