/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* symbolize.c: names the wasm function where a wake left the guest, from wasm2c's function names and the runner's line tables. */
#include "symbolize.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

#define W2C_PREFIX "w2c_"
#define CACHE_SIZE 256
#define ADDRESS_TEXT 24

/* What each code address was found to be: a wasm function's name, or none.
 * A payload that traps every wake traps at the same few places, so
 * addr2line runs once per place, not once per wake. */
struct known {
        uintptr_t address;
        char *name; /* "$f1"; NULL: no generated code there */
};
static struct known known[CACHE_SIZE];
static size_t known_count;

static const struct known *lookup(uintptr_t address) {
        for (size_t i = 0; i < known_count; i++)
                if (known[i].address == address)
                        return &known[i];
        return NULL;
}

static void remember(uintptr_t address, const char *function) {
        if (known_count == CACHE_SIZE || lookup(address))
                return;
        char *name = NULL;
        if (function && (name = malloc(strlen(function) - strlen(W2C_PREFIX) + 2)))
                sprintf(name, "$%s", function + strlen(W2C_PREFIX));
        known[known_count++] = (struct known){address, name};
}

/* The address to look up for frame i: a return address points after its
 * call, which may be past the end of a function calling a noreturn one. */
static uintptr_t frame_address(const struct sim_site *site, int i) {
        uintptr_t pc = (uintptr_t)site->pcs[i];
        return i == 0 && site->exact ? pc : pc - 1;
}

/* Runs addr2line -a -f -i on the addresses not known yet. For each it
 * prints the address, then function and file:line pairs, innermost inlined
 * function first; the first w2c_ function is the wasm function there. */
static void resolve(const struct sim_site *site) {
        static char executable[PATH_MAX];
        if (!executable[0]) {
                ssize_t len = readlink("/proc/self/exe", executable, sizeof(executable) - 1);
                if (len <= 0)
                        return;
                executable[len] = 0;
        }
        const char *argv[SIM_SITE_FRAMES + 6] = {AETHER_SIM_ADDR2LINE, "-a", "-f", "-i", "-e", executable};
        char texts[SIM_SITE_FRAMES][ADDRESS_TEXT];
        int argc = 6, asked = 0;
        for (int i = 0; i < site->count; i++) {
                uintptr_t address = frame_address(site, i);
                if (lookup(address))
                        continue;
                snprintf(texts[asked], ADDRESS_TEXT, "0x%llx", (unsigned long long)address);
                argv[argc++] = texts[asked++];
        }
        if (!asked)
                return;
        argv[argc] = NULL;
        char *output;
        if (sim_run(argv, &output) != 0) {
                free(output);
                return;
        }
        uintptr_t address = 0;
        const char *function = NULL;
        bool in_block = false, odd = true; /* after the address: function, file:line, function, ... */
        for (char *line = output, *next; *line; line = next) {
                next = line + strcspn(line, "\n");
                if (*next)
                        *next++ = 0;
                if (strncmp(line, "0x", 2) == 0) {
                        if (in_block)
                                remember(address, function);
                        address = (uintptr_t)strtoull(line, NULL, 16);
                        function = NULL;
                        in_block = true;
                        odd = true;
                        continue;
                }
                if (odd && !function && strncmp(line, W2C_PREFIX, strlen(W2C_PREFIX)) == 0)
                        function = line;
                odd = !odd;
        }
        if (in_block)
                remember(address, function);
        free(output);
}

const char *sim_wasm_function(const struct sim_site *site) {
        resolve(site);
        for (int i = 0; i < site->count; i++) {
                const struct known *k = lookup(frame_address(site, i));
                if (k && k->name)
                        return k->name;
        }
        return NULL;
}
