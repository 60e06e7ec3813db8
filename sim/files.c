/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* files.c: whole-file reads and writes, and directory removal, for aether-sim's driver and runner. */
#define _GNU_SOURCE /* nftw's FTW_DEPTH and FTW_PHYS */

#include "files.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int sim_read_file(const char *path, size_t max, uint8_t **data, size_t *len) {
        FILE *f = fopen(path, "rb");
        if (!f)
                return -1;
        uint8_t *buf = NULL;
        size_t used = 0, capacity = 0;
        int error = 0;
        for (;;) {
                if (used == capacity) {
                        /* Room for one byte more than max tells an oversized file apart; +1 for the NUL. */
                        size_t grown = capacity ? capacity * 2 : 4096;
                        capacity = grown > max + 1 ? max + 1 : grown;
                        uint8_t *bigger = realloc(buf, capacity + 1);
                        if (!bigger) {
                                error = ENOMEM;
                                break;
                        }
                        buf = bigger;
                }
                used += fread(buf + used, 1, capacity - used, f);
                if (ferror(f))
                        error = EIO;
                else if (used > max)
                        error = EFBIG;
                if (error || feof(f))
                        break;
        }
        fclose(f);
        if (error) {
                free(buf);
                errno = error;
                return -1;
        }
        buf[used] = 0;
        *data = buf;
        *len = used;
        return 0;
}

int sim_write_file(const char *path, const void *data, size_t len) {
        FILE *f = fopen(path, "wb");
        if (!f)
                return -1;
        bool short_write = fwrite(data, 1, len, f) != len;
        if (fclose(f) != 0)
                return -1;
        if (short_write) {
                errno = EIO;
                return -1;
        }
        return 0;
}

int sim_make_dirs(const char *dir) {
        char path[PATH_MAX];
        if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path)) {
                errno = ENAMETOOLONG;
                return -1;
        }
        for (char *p = path + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = 0;
                if (mkdir(path, 0777) != 0 && errno != EEXIST)
                        return -1;
                *p = '/';
        }
        return mkdir(path, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
        (void)st, (void)type, (void)ftw;
        remove(path);
        return 0;
}

void sim_remove_tree(const char *dir) {
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
