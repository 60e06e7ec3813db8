/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* fwcfg.h: reading a named QEMU fw_cfg file (boot-time options on boards that have fw_cfg). */
#ifndef AETHER_FWCFG_H
#define AETHER_FWCFG_H

#include <stddef.h>
#include <stdint.h>

/* Copies the file `name` (for example "opt/org.aether/mode") into buf, NUL
 * terminated, cut to fit. Returns its length, or -1 when there is no such
 * file or no fw_cfg device answers at port. */
int fwcfg_read_file(uint16_t port, const char *name, char *buf, size_t len);

#endif
