/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* files.h: whole-file reads and writes, and directory removal, for aether-sim's driver and runner. */
#ifndef AETHER_SIM_FILES_H
#define AETHER_SIM_FILES_H

#include <stddef.h>
#include <stdint.h>

/* Reads all of path (at most max bytes) into a malloc'd buffer with a NUL
 * after the last byte. Returns 0, or -1 with errno set (EFBIG: over max). */
int sim_read_file(const char *path, size_t max, uint8_t **data, size_t *len);

/* Writes len bytes to path (created or truncated). Returns 0, or -1 with errno set. */
int sim_write_file(const char *path, const void *data, size_t len);

/* Creates dir and its missing parents. Returns 0, or -1 with errno set. */
int sim_make_dirs(const char *dir);

/* Removes dir and everything in it; nothing happens if it is absent. */
void sim_remove_tree(const char *dir);

#endif
