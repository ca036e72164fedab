#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The clean room: proves the README on a bare Debian 12, because a machine where earlier work left packages
# installed hides every missing install step, and runs the kit on the other DPDK LTS releases (Debian 13: 24.11,
# Debian unstable: 25.11). For each scenario a fresh root file system is unpacked from a cached
# 'debootstrap --variant=minbase RELEASE' (one tarball per release, rebuilt when missing), a clean clone of the
# repository is copied in, and the scenario runs inside it with chroot:
#   readme    the README's two commands: bash ci/demo.sh, then bash ci/test.sh; then, with python3-pyelftools
#             removed, kit doctor must fail and name that package
#   workflow  the CI workflows 'kit new-pmd' and 'kit new-mempool' generate: their run: steps in order (the
#             matrix entry of the release), in a project generated inside the root, with the kit from a wheel
#             built from the clone as KIT_REQUIREMENT
#   lean      the kit on the release's own DPDK packages, kept short for CI: ci/setup.sh, the harness tests, both
#             suites' oracle (DPDK's net_null, net_ring, ring_mp_mc, ring_sp_sc, stack pass) and the mempool
#             mutants (each caught), the mempool side (kit test of the reference mempool driver and of a new kit
#             new-mempool project: suite, meson and pytest tests); then the PMD side (kit test of the reference PMD
#             and of a new kit new-pmd project, whose meson tests include testpmd forwarding through
#             net_acme_sim0; the ethdev mutants; kit bench --quick)
#             when DPDK_SRC_<branch> (DPDK_SRC_24_11, DPDK_SRC_25_11) names a DPDK source tree of the release's LTS
#             branch: the archive serves no source package for those releases, so 'kit sdk' needs one. Without it
#             the PMD side is reported as NOT RUN, never as passed.
# Only the machine's way of reaching registries is carried in (resolver, apt sources and proxy settings, the CA
# bundle kept apart from /etc/ssl/certs, pip's index and proxy settings), and download caches for .deb files and
# wheels are shared between runs: everything is still installed from nothing in every run.
#
# Usage: bash ci/cleanroom.sh [--release R] [--worktree] [--keep] [SCENARIO ...]
#   --release   bookworm (DPDK 22.11, the default), trixie (24.11) or sid (25.11); default scenarios: readme and
#               workflow on bookworm, lean on the others
#   --worktree  copy the working tree (tracked and untracked, not ignored files) instead of the last commit
#   --keep      leave the last root file system in place for a look inside (its path is printed)
# Environment: DPDK_KIT_CLEANROOM_CACHE (default /var/cache/dpdk-kit/cleanroom), DEBIAN_MIRROR,
#   DPDK_SRC_24_11 / DPDK_SRC_25_11 (lean: a DPDK source tree, bound read-only into the root).
# Needs root (debootstrap, mount, chroot).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${DPDK_KIT_CLEANROOM_CACHE:-/var/cache/dpdk-kit/cleanroom}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
release=bookworm
source_mode=commit
keep=no
scenarios=()

say() { printf 'cleanroom: %s\n' "$*"; }
die() { printf 'cleanroom: error: %s\n' "$*" >&2; exit 2; }

usage="bash ci/cleanroom.sh [--release bookworm|trixie|sid] [--worktree] [--keep] [readme] [workflow] [lean]"
while [ $# -gt 0 ]; do
	case "$1" in
	--release) [ $# -ge 2 ] || die "--release needs a value; fix: $usage"; release=$2; shift ;;
	--release=*) release=${1#--release=} ;;
	--worktree) source_mode=worktree ;;
	--keep) keep=yes ;;
	readme | workflow | lean) scenarios+=("$1") ;;
	*) die "unknown argument '$1'; fix: $usage" ;;
	esac
	shift
done
# Each release's DPDK LTS branch: what the lean scenario names its source tree variable after.
case "$release" in
bookworm) branch=22.11 ;;
trixie) branch=24.11 ;;
sid) branch=25.11 ;;
*) die "unknown release '$release'; fix: --release bookworm (DPDK 22.11), trixie (24.11) or sid (25.11)" ;;
esac
if [ "${#scenarios[@]}" -eq 0 ]; then
	if [ "$release" = bookworm ]; then scenarios=(readme workflow); else scenarios=(lean); fi
fi
base="$cache/$release-minbase.tar"
# .deb files of one release only: another release's package of the same name and version may differ.
archives="$cache/apt-archives"
[ "$release" = bookworm ] || archives="$cache/apt-archives-$release"
src_var="DPDK_SRC_${branch/./_}"
dpdk_src=${!src_var:-}
[ -z "$dpdk_src" ] || [ -f "$dpdk_src/VERSION" ] ||
	die "$src_var=$dpdk_src is not a DPDK source tree (no VERSION file); fix: point it at a DPDK $branch tree"
[ "$(id -u)" -eq 0 ] || die "the clean room needs root (debootstrap, mount, chroot); fix: run it as root"

if ! command -v debootstrap >/dev/null 2>&1; then
	say "installing debootstrap"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null ||
		die "debootstrap is missing and could not be installed; fix: apt-get install debootstrap"
fi
mkdir -p "$archives/partial" "$cache/pip"

# The base root file system, built once and kept as a tarball: unpacking it takes seconds, debootstrap about 30 s.
if [ ! -s "$base" ]; then
	say "building the base root file system (debootstrap --variant=minbase $release $mirror)"
	scratch=$(mktemp -d /var/tmp/dpdk-kit-debootstrap.XXXXXX)
	debootstrap --variant=minbase "$release" "$scratch/root" "$mirror" >"$scratch/debootstrap.log" 2>&1 || {
		tail -20 "$scratch/debootstrap.log" >&2
		rm -rf "$scratch"
		die "debootstrap failed (log above); fix: check that $mirror is reachable or set DEBIAN_MIRROR"
	}
	tar -C "$scratch/root" -cf "$base.new" .
	mv "$base.new" "$base"
	rm -rf "$scratch"
fi

# The sources to copy in: the last commit (what CI sees on a clean clone) or the working tree.
snapshot=$(mktemp -d /var/tmp/dpdk-kit-source.XXXXXX)
roots=()
mounted=()
cleanup() {
	local i
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount -R "${mounted[$i]}" 2>/dev/null || umount -R -l "${mounted[$i]}" 2>/dev/null || true
	done
	mounted=()
	rm -rf "$snapshot" "$snapshot.maker" "$snapshot.maker.log"
	local root
	for root in "${roots[@]}"; do
		# Never delete a tree that still has something mounted in it (a bound /dev would go with it).
		if grep -qE " $root(/| )" /proc/mounts; then
			printf 'cleanroom: warning: %s still has mounts; left in place\n' "$root" >&2
		elif [ "$keep" = no ]; then
			rm -rf "$root"
		fi
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$source_mode" = worktree ]; then
	(cd "$repo" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) |
		tar -C "$snapshot" -xf -
	rm -rf "$snapshot/.git"
else
	git clone -q --no-local "$repo" "$snapshot/dpdk-kit" 2>/dev/null || die "git clone of $repo failed"
	mv "$snapshot/dpdk-kit"/{.,}* "$snapshot"/ 2>/dev/null || true
	rmdir "$snapshot/dpdk-kit"
	[ -z "$(cd "$repo" && git status --porcelain --untracked-files=no)" ] ||
		say "note: uncommitted changes are not in the clean room (commit them, or pass --worktree)"
fi

# How the machine reaches registries, written into a new root.
carry_settings() {
	local root=$1
	cp -L /etc/resolv.conf "$root/etc/resolv.conf"
	# apt: on bookworm the machine's own archive entries (the same mirror and suites, so the same DPDK version);
	# another release keeps the entry debootstrap wrote for it (the mirror, that release). Any Acquire settings
	# (proxies, snapshot validity) either way; the keyrings they name come with debootstrap.
	if [ "$release" = bookworm ]; then
		if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null || compgen -G '/etc/apt/sources.list.d/*.list' >/dev/null; then
			rm -f "$root/etc/apt/sources.list"
			find /etc/apt/sources.list.d -maxdepth 1 \( -name '*.sources' -o -name '*.list' \) \
				! -name 'dpdk-kit-src.*' -exec cp {} "$root/etc/apt/sources.list.d/" \;
		fi
		[ ! -s /etc/apt/sources.list ] || cp /etc/apt/sources.list "$root/etc/apt/sources.list"
	fi
	local f
	for f in /etc/apt/apt.conf /etc/apt/apt.conf.d/*; do
		! grep -qis -E 'Acquire::|proxy' "$f" || cp "$f" "$root/etc/apt/apt.conf.d/$(basename "$f")"
	done
	# The CA bundle lives apart from /etc/ssl/certs, which installing ca-certificates inside rewrites.
	mkdir -p "$root/etc/dpdk-kit-cleanroom"
	local bundle=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}
	[ ! -s "$bundle" ] || cp -L "$bundle" "$root/etc/dpdk-kit-cleanroom/ca.crt"
	# pip: where to find indexes and how (file:// indexes and find-links of this machine do not exist inside).
	{
		echo "[global]"
		[ ! -s "$root/etc/dpdk-kit-cleanroom/ca.crt" ] || echo "cert = /etc/dpdk-kit-cleanroom/ca.crt"
		python3 - <<-'EOF' 2>/dev/null || true
			import configparser, os
			conf = configparser.ConfigParser()
			conf.read(["/etc/pip.conf", "/etc/xdg/pip/pip.conf", os.path.expanduser("~/.config/pip/pip.conf"),
			           os.path.expanduser("~/.pip/pip.conf")])
			for key in ("index-url", "extra-index-url", "trusted-host", "proxy"):
			    for section in ("install", "global"):
			        value = conf.get(section, key, fallback="")
			        kept = [v for v in value.split() if not v.startswith("file:")]
			        if kept:
			            print(f"{key} = {' '.join(kept)}")
			            break
		EOF
	} >"$root/etc/pip.conf"
}

# The environment a command inside sees: nothing of this shell's but the proxy and index variables.
inside_env() {
	local ca=/etc/dpdk-kit-cleanroom/ca.crt
	printf '%s\n' HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	if [ -s "$1/$ca" ]; then
		printf '%s\n' "SSL_CERT_FILE=$ca" "REQUESTS_CA_BUNDLE=$ca" "CURL_CA_BUNDLE=$ca" "GIT_SSL_CAINFO=$ca" "PIP_CERT=$ca"
	fi
	local var
	for var in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY PIP_INDEX_URL PIP_EXTRA_INDEX_URL \
		PIP_TRUSTED_HOST PIP_DEFAULT_TIMEOUT; do
		[ -z "${!var:-}" ] || printf '%s\n' "$var=${!var}"
	done
}

# A fresh root in $root: unpack the base, carry the settings in, mount what programs expect and the download
# caches. (Not a $(...) function: the mounts must be recorded in this shell for the cleanup.)
new_root() {
	local name=$1
	root=$(mktemp -d "/var/tmp/dpdk-kit-cleanroom-$name.XXXXXX")
	chmod 755 "$root"
	roots+=("$root")
	tar -C "$root" -xf "$base"
	carry_settings "$root"
	# The root a mount point of its own: 'ip netns' (the TAP tests) makes its mounts private with
	# 'mount --make-rslave /', which fails in a chroot whose / is a plain directory. Everything below is
	# mounted on top of it, so one 'umount -R' of the root also takes what 'ip netns' left in /run/netns.
	mount --bind "$root" "$root" && mounted+=("$root")
	mount -t proc proc "$root/proc" && mounted+=("$root/proc")
	mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys" && mounted+=("$root/sys")
	mount --bind /dev "$root/dev" && mounted+=("$root/dev")
	mount --bind /dev/pts "$root/dev/pts" && mounted+=("$root/dev/pts")
	mount -t tmpfs -o mode=1777 shm "$root/dev/shm" && mounted+=("$root/dev/shm")
	mount --bind "$archives" "$root/var/cache/apt/archives" && mounted+=("$root/var/cache/apt/archives")
	mkdir -p "$root/root/.cache/pip"
	mount --bind "$cache/pip" "$root/root/.cache/pip" && mounted+=("$root/root/.cache/pip")
}

# Unmount one root's file systems (the trap does the same for whatever is left on failure).
release_root() {
	local root=$1 i kept=()
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		case "${mounted[$i]}" in
		"$root" | "$root"/*) umount -R "${mounted[$i]}" ;;
		*) kept=("${mounted[$i]}" "${kept[@]}") ;;
		esac
	done
	mounted=("${kept[@]}")
}

run_inside() {
	local root=$1 script=$2
	local -a env
	mapfile -t env < <(inside_env "$root")
	chroot "$root" /usr/bin/env -i "${env[@]}" /bin/bash -euo pipefail -c "$script"
}

scenario_readme() {
	new_root readme
	mkdir -p "$root/root/dpdk-kit"
	cp -a "$snapshot/." "$root/root/dpdk-kit/"
	say "readme: bash ci/demo.sh, then bash ci/test.sh, inside a bare Debian $release ($root)"
	run_inside "$root" 'cd /root/dpdk-kit && bash ci/demo.sh && bash ci/test.sh'
	# Then take one required package away: kit doctor must fail and name it.
	say "readme: without python3-pyelftools, kit doctor must fail and name the package"
	run_inside "$root" 'cd /root/dpdk-kit && apt-get remove -y -qq python3-pyelftools >/dev/null 2>&1
		if .venv/bin/kit doctor >/tmp/doctor.txt 2>&1; then cat /tmp/doctor.txt; echo "kit doctor passed without python3-pyelftools" >&2; exit 1; fi
		grep "python3-pyelftools" /tmp/doctor.txt'
	release_root "$root"
}

scenario_workflow() {
	# The projects and the wheel are made outside, with the machine's Python: inside, the workflow's own steps must
	# install everything a project needs, as on a fresh GitHub runner container.
	local maker="$snapshot.maker" kind project wheel
	say "workflow: building a wheel of the kit and installing it to generate the projects"
	python3 -m venv "$maker"
	{
		"$maker/bin/pip" wheel -q --no-deps -w "$maker/wheels" "$snapshot" &&
			"$maker/bin/pip" install -q "$maker/wheels/"dpdk_kit-*.whl pyyaml
	} >"$maker.log" 2>&1 || { tail -20 "$maker.log" >&2; die "building or installing the kit's wheel failed"; }
	wheel=$(cd "$maker/wheels" && ls dpdk_kit-*.whl)
	for kind in pmd mempool; do
		project=acme
		[ "$kind" = pmd ] || project=acme_pool
		new_root "workflow-$kind"
		mkdir -p "$root/root/work" "$root/root/wheels"
		cp "$maker/wheels/$wheel" "$root/root/wheels/"
		"$maker/bin/kit" "new-$kind" "$project" -o "$root/root/work" >/dev/null
		"$maker/bin/python" "$repo/ci/workflow_steps.py" "$root/root/work/$project/.github/workflows/ci.yml" \
			--matrix "debian=$release" --set "KIT_REQUIREMENT=/root/wheels/$wheel" >"$root/root/workflow.sh"
		say "workflow: the steps of a new $kind project's .github/workflows/ci.yml, inside a bare Debian $release ($root)"
		run_inside "$root" "cd /root/work/$project && bash /root/workflow.sh"
		release_root "$root"
	done
	rm -rf "$maker"
}

# The kit on the release's DPDK, short enough for every CI run: the mempool side always, the PMD side only with a
# source tree for the driver-SDK headers (reported NOT RUN otherwise: never counted as passed).
scenario_lean() {
	new_root "lean-$release"
	mkdir -p "$root/root/dpdk-kit"
	cp -a "$snapshot/." "$root/root/dpdk-kit/"
	local inside_src=""
	if [ -n "$dpdk_src" ]; then
		inside_src=/root/dpdk-src
		mkdir -p "$root$inside_src"
		mount --bind "$dpdk_src" "$root$inside_src" && mount -o remount,bind,ro "$root$inside_src" &&
			mounted+=("$root$inside_src")
	fi
	say "lean: the kit on Debian $release's DPDK ($root)"
	run_inside "$root" "export DPDK_SRC=$inside_src
		cd /root/dpdk-kit && bash ci/setup.sh
		export PATH=/root/dpdk-kit/.venv/bin:\$PATH
		# Without a source tree its sdk headers line fails, as it should: that is the PMD side not run.
		kit doctor || [ -z \"\$DPDK_SRC\" ]
		echo '== the harness'
		python -m pytest -q -p no:cacheprovider tests/harness
		echo \"== the suites' oracle (DPDK's own drivers pass both) and every mempool mutant caught\"
		python -m pytest -q -p no:cacheprovider tests/conformance tests/mutants/test_mempool_mutants.py
		mkdir -p /root/work && cp -a reference_drivers/ring_mempool reference_drivers/mqnic /root/work/
		echo '== the reference mempool driver'
		kit test /root/work/ring_mempool
		echo '== a new mempool project: kit test (the suite, its meson tests: unit, dpdk-test and testpmd peers)'
		kit new-mempool acme_pool -o /root/work >/dev/null && kit test /root/work/acme_pool"
	if [ -z "$dpdk_src" ]; then
		pmd_side="NOT RUN (set $src_var to a DPDK $branch source tree)"
		say "lean: PMD side on Debian $release: $pmd_side"
	else
		run_inside "$root" "export PATH=/root/dpdk-kit/.venv/bin:\$PATH
			echo '== the reference PMD'
			kit test /root/work/mqnic
			echo '== every ethdev mutant caught (the checks can fail on this version too)'
			cd /root/dpdk-kit && python -m pytest -q -p no:cacheprovider tests/mutants/test_ethdev_mutants.py
			echo '== a new PMD project: kit test (the suite, its meson tests: testpmd_gen forwards net_acme_sim0)'
			kit new-pmd acme -o /root/work >/dev/null && kit test /root/work/acme
			echo '== kit bench --quick'
			kit bench --quick --out /root/work/bench /root/work/acme"
		pmd_side="passed (driver-SDK headers from $dpdk_src)"
	fi
	release_root "$root"
	say "lean on Debian $release: mempool side passed; PMD side $pmd_side"
}

root=
pmd_side=
start=$SECONDS
for scenario in "${scenarios[@]}"; do
	"scenario_$scenario"
done
[ "$keep" = no ] || say "kept: ${roots[*]}"
say "passed: ${scenarios[*]} on Debian $release in $((SECONDS - start)) s${pmd_side:+ (PMD side $pmd_side)}"
