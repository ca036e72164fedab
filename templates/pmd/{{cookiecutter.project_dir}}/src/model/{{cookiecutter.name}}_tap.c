/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
 */

/*
 * The TAP wire's side in the kernel: open, read and write a TAP file
 * descriptor. Only system calls here; what arrives goes through the
 * model's receive path like any wire's frames (MAC filter, RSS, MTU).
 */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <linux/if_tun.h>

#include <rte_common.h>
#include <rte_string_fns.h>

#include "../{{ cookiecutter.name }}_log.h"
#include "{{ cookiecutter.name }}_tap.h"

#define TAP_DEV		"/dev/net/tun"

static_assert({{ cookiecutter.macro }}_TAP_NAMESIZE == IFNAMSIZ, "interface name size");

/*
 * Where the part of a frame beyond the caller's buffer goes, so that a read
 * returns a frame's whole length and the model can count it as too long
 * rather than take a truncated frame. Written, never read: sharing it
 * between models and threads is harmless. A TAP's MTU is at most 65535.
 */
static uint8_t tap_discard[65536 + 64];

int
{{ cookiecutter.name }}_tap_open(const char *port, char iface[{{ cookiecutter.macro }}_TAP_NAMESIZE])
{
	struct ifreq ifr;
	int fd, err;

	fd = open(TAP_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		PMD_LOG(ERR, "%s: wire=tap: cannot open " TAP_DEV ": %s "
			"(fix: load the tun module, 'modprobe tun')", port,
			strerror(err));
		return -err;
	}
	memset(&ifr, 0, sizeof(ifr));
	/* Frames only: no packet information header before each. */
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	strlcpy(ifr.ifr_name, iface, sizeof(ifr.ifr_name));
	if (ioctl(fd, TUNSETIFF, &ifr) == 0) {
		strlcpy(iface, ifr.ifr_name, {{ cookiecutter.macro }}_TAP_NAMESIZE);
		PMD_LOG(INFO, "%s: wire=tap on interface %s", port, iface);
		return fd;
	}
	err = errno;
	close(fd);
	if (err == EBUSY)
		PMD_LOG(ERR, "%s: wire=tap: interface %s is busy (another "
			"process has it open; fix: close that process or "
			"choose another iface=)", port, iface);
	else if (err == EPERM)
		PMD_LOG(ERR, "%s: wire=tap: not allowed to open interface %s "
			"(fix: run as root, or make it yours first: "
			"'ip tuntap add dev %s mode tap user <you>')", port,
			iface, iface);
	else if (err == EINVAL && if_nametoindex(iface) != 0)
		PMD_LOG(ERR, "%s: wire=tap: interface %s exists and is not a "
			"single-queue TAP interface (fix: choose another "
			"iface=)", port, iface);
	else
		PMD_LOG(ERR, "%s: wire=tap: cannot attach interface \"%s\": "
			"%s (fix: iface= needs a valid interface name)", port,
			iface, strerror(err));
	return -err;
}

void
{{ cookiecutter.name }}_tap_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

uint32_t
{{ cookiecutter.name }}_tap_recv(int fd, uint8_t *buf, uint32_t size)
{
	struct iovec iov[2] = {
		{ .iov_base = buf, .iov_len = size },
		{ .iov_base = tap_discard, .iov_len = sizeof(tap_discard) },
	};
	ssize_t n;

	/* EAGAIN: nothing waiting, the common case on a poll. */
	n = readv(fd, iov, RTE_DIM(iov));
	return n > 0 ? (uint32_t)n : 0;
}

bool
{{ cookiecutter.name }}_tap_send(int fd, const uint8_t *f, uint32_t len)
{
	return write(fd, f, len) == (ssize_t)len;
}
