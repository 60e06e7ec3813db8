/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* fuzz_wasm_iface.c: libFuzzer harness for the payload interface parser. */
#include "wasm_iface.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool parse(const uint8_t *data, size_t size, uint32_t max_pages, struct aether_wasm_iface *iface) {
        char message[AETHER_WASM_MESSAGE_MAX];
        bool accepted = aether_wasm_iface_parse(data, size, max_pages, iface, message, sizeof(message));
        const char *end = memchr(message, '\0', sizeof(message));
        /* Every rejection says why; an acceptance leaves the message empty. */
        if (!end || accepted != (end == message))
                abort();
        return accepted;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct aether_wasm_iface iface;
        if (parse(data, size, AETHER_WASM_PAGES_LIMIT, &iface)) {
                if (iface.memory_max_pages != AETHER_WASM_NO_MAXIMUM && iface.memory_max_pages < iface.memory_min_pages)
                        abort();
                /* The cap is the only difference between these two parses. */
                if (!parse(data, size, iface.memory_min_pages, &iface))
                        abort();
                if (iface.memory_min_pages > 0 && parse(data, size, iface.memory_min_pages - 1, &iface))
                        abort();
        }
        /* A tiny buffer is still NUL-terminated and written within bounds. */
        char tiny[3] = { 'x', 'x', 'x' };
        aether_wasm_iface_parse(data, size, 16, &iface, tiny, 2);
        if (tiny[2] != 'x' || !memchr(tiny, '\0', 2))
                abort();
        return 0;
}
