/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* options.h: aether-sim's command line, parsed the same way by the driver and by the per-payload runner. */
#ifndef AETHER_SIM_OPTIONS_H
#define AETHER_SIM_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SIM_PROGRAM "aether-sim"
#define SIM_ERROR_MAX 256

/* With no --wake, the image's bench wake (scripts/aether-run without --wake). */
#define SIM_BENCH_WAKE "0x20:pressure=0.12,dose=1250"

#define SIM_WATCHDOG_US_MAX 10000000 /* the board format's bound */

/* One --wake VEC:pressure=P,dose=D, as scripts/aether-run reads it. */
struct sim_wake {
        const char *text;       /* as given */
        uint8_t vector;         /* 0x20 or 0x21 */
        uint32_t pressure_bits; /* P rounded to binary32 */
        int32_t dose;
};

struct sim_options {
        const char *payload;    /* the .wasm */
        struct sim_wake *wakes; /* in order; the bench wake when none is given */
        size_t wake_count;
        const char *report;     /* --report FILE.json, or NULL */
        const char *key_file;   /* --key, or NULL: the development key */
        const char *board_file; /* --board, or NULL: the build's board */
        const char *cache_dir;  /* --cache, or NULL: the build tree's sim-cache */
        uint64_t epoch;         /* --epoch, default 1 */
        uint32_t watchdog_us;   /* --watchdog-us, or 0: the board's watchdog-us */
        bool help;              /* -h or --help: print the usage, nothing else */
};

/* Parses argv into opts (pointers into argv). Returns 0, or -1 with err
 * naming the problem. */
int sim_options_parse(int argc, char **argv, struct sim_options *opts, char *err, size_t err_len);

void sim_options_free(struct sim_options *opts);

void sim_usage(FILE *out);

/* Parses one wake: VEC:pressure=P,dose=D. Returns 0, or -1 with err. */
int sim_parse_wake(const char *text, struct sim_wake *wake, char *err, size_t err_len);

#endif
