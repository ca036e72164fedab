/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}
 */

/*
 * The TAP wire (wire=tap,iface=NAME): the far end of the model's wire is a
 * Linux TAP interface, so the kernel's network stack and its tools exchange
 * frames with the port. What the port sends is written to the TAP file
 * descriptor; what the kernel sends on the interface is read from it.
 *
 * The file descriptor belongs to the process that opened it (the primary,
 * which creates the model): only that process may step a TAP wire.
 */

#ifndef {{ cookiecutter.macro }}_TAP_H
#define {{ cookiecutter.macro }}_TAP_H

#include <stdbool.h>
#include <stdint.h>

/* Longest interface name, with its NUL (the kernel's IFNAMSIZ). */
#define {{ cookiecutter.macro }}_TAP_NAMESIZE	16

/*
 * Attach to TAP interface `iface` (created if it does not exist), in
 * non-blocking mode, without packet information headers. The name the
 * kernel gave the interface is written back to `iface` (a "%d" pattern is
 * filled in). The file descriptor, or -errno after logging one line that
 * names the port `port`, the interface and the fix.
 */
int {{ cookiecutter.name }}_tap_open(const char *port, char iface[{{ cookiecutter.macro }}_TAP_NAMESIZE]);
void {{ cookiecutter.name }}_tap_close(int fd);

/*
 * Read the next frame the kernel sent into buf (size bytes): its whole
 * length (which may exceed size: then only size bytes are in buf), or 0 if
 * no frame is waiting.
 */
uint32_t {{ cookiecutter.name }}_tap_recv(int fd, uint8_t *buf, uint32_t size);

/* Hand a frame to the kernel; false if it refused it (interface down). */
bool {{ cookiecutter.name }}_tap_send(int fd, const uint8_t *f, uint32_t len);

#endif /* {{ cookiecutter.macro }}_TAP_H */
