/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* key.c: the device key file, read and parsed with the proof code's own parser. */
#define _DEFAULT_SOURCE /* explicit_bzero */

#include "key.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"

#define KEY_FILE_MAX 4096 /* a key file is a few short lines */

int sim_load_key(const char *path, uint8_t key[AETHER_PROOF_KEY_SIZE]) {
        uint8_t *text;
        size_t len;
        if (sim_read_file(path, KEY_FILE_MAX, &text, &len) != 0) {
                fprintf(stderr, "%s: error: cannot read the device key file: %s\n", path,
                        errno == EFBIG ? "larger than any key file" : strerror(errno));
                return -1;
        }
        char err[160];
        int parsed = aether_key_parse((const char *)text, len, key, err, sizeof(err));
        explicit_bzero(text, len);
        free(text);
        if (parsed != 0) {
                fprintf(stderr, "%s: error: malformed device key file: %s\n", path, err);
                return -1;
        }
        return 0;
}
