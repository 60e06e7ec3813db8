/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* fwcfg.c: the fw_cfg file directory walked through the selector and data ports. */
#include "fwcfg.h"

#include <stdbool.h>

#include "hw.h"
#include "text.h"

enum fwcfg_key {
        FWCFG_SIGNATURE = 0x0000, /* reads "QEMU" */
        FWCFG_FILE_DIR = 0x0019,
};

static void fwcfg_select(uint16_t port, uint16_t key) {
        outw(port, key);
}

static void fwcfg_read(uint16_t port, void *buf, size_t len) {
        uint8_t *bytes = buf;
        for (size_t i = 0; i < len; i++)
                bytes[i] = inb((uint16_t)(port + 1));
}

static uint32_t big_endian32(const uint8_t b[4]) {
        return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

int fwcfg_read_file(uint16_t port, const char *name, char *buf, size_t len) {
        uint8_t signature[4];
        fwcfg_select(port, FWCFG_SIGNATURE);
        fwcfg_read(port, signature, sizeof(signature));
        if (signature[0] != 'Q' || signature[1] != 'E' || signature[2] != 'M' || signature[3] != 'U')
                return -1;

        uint8_t count_be[4];
        fwcfg_select(port, FWCFG_FILE_DIR);
        fwcfg_read(port, count_be, sizeof(count_be));
        uint32_t count = big_endian32(count_be);
        for (uint32_t i = 0; i < count; i++) {
                struct {
                        uint8_t size[4];
                        uint8_t select[2];
                        uint8_t reserved[2];
                        char name[56];
                } entry;
                fwcfg_read(port, &entry, sizeof(entry));
                if (!text_equal(entry.name, name, sizeof(entry.name)))
                        continue;
                uint32_t size = big_endian32(entry.size);
                size_t copy = len && size >= len ? len - 1 : size;
                fwcfg_select(port, (uint16_t)(entry.select[0] << 8 | entry.select[1]));
                fwcfg_read(port, buf, copy);
                if (len)
                        buf[copy] = '\0';
                return (int)size;
        }
        return -1;
}
