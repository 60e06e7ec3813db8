/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* main.c: aether-sim, the host simulator for payload authors: checks the options, finds or makes the payload's runner, runs it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "files.h"
#include "installed.h"
#include "key.h"
#include "options.h"
#include "sim_config.h"
#include "translate.h"

#define BOARD_FILE_MAX ((size_t)1 << 20)

/* The board gives the wake vectors and the watchdog budget, read with the
 * image's own parser. Returns 0, or -1 after a message. */
static int load_board(const char *path, struct aether_board *board) {
        uint8_t *text;
        size_t len;
        if (sim_read_file(path, BOARD_FILE_MAX, &text, &len) != 0) {
                fprintf(stderr, "%s: error: cannot read the board description: %s\n", path, strerror(errno));
                return -1;
        }
        struct aether_board_error error;
        int parsed = aether_board_parse((const char *)text, len, board, &error);
        free(text);
        if (parsed != 0) {
                char message[160];
                aether_board_error_describe(&error, message, sizeof(message));
                fprintf(stderr, "%s:%u: error: %s\n", path, error.line, message);
                return -1;
        }
        return 0;
}

static int check_vectors(const struct sim_options *opts, const struct aether_board *board, const char *path) {
        for (size_t i = 0; i < opts->wake_count; i++) {
                bool served = false;
                for (uint32_t w = 0; w < board->wake_count; w++)
                        served |= board->wakes[w].vector == opts->wakes[i].vector;
                if (!served) {
                        fprintf(stderr, SIM_PROGRAM ": --wake '%s': board %s (%s) has no wake on vector 0x%02x\n",
                                opts->wakes[i].text, board->name, path, opts->wakes[i].vector);
                        return -1;
                }
        }
        return 0;
}

/* Loads the key; the development key is public: like the image, say so loudly. */
static int load_key(const char *path, uint8_t key[AETHER_PROOF_KEY_SIZE]) {
        if (sim_load_key(path, key) != 0)
                return -1;
        if (memcmp(key, aether_development_key, AETHER_PROOF_KEY_SIZE) == 0)
                fprintf(stderr, SIM_PROGRAM ": WARNING: DEVELOPMENT DEVICE KEY IN USE (%s): its proofs prove nothing\n",
                        path);
        return 0;
}

int main(int argc, char **argv) {
        struct sim_options opts;
        char err[SIM_ERROR_MAX];
        if (sim_options_parse(argc, argv, &opts, err, sizeof(err)) != 0) {
                fprintf(stderr, SIM_PROGRAM ": %s\n(" SIM_PROGRAM " --help for the usage)\n", err);
                return 2;
        }
        if (opts.help) {
                sim_usage(stdout);
                return 0;
        }
        /* The defaults: the build's board and the development key (installed: under the prefix). */
        const char *board_path = opts.board_file ? opts.board_file : sim_installed_path(SIM_CONFIG_BOARD);
        const char *key_path = opts.key_file ? opts.key_file : sim_installed_path(SIM_CONFIG_DEVELOPMENT_KEY);
        /* The build tree's cache; none configured (installed): the user's. */
        const char *cache = opts.cache_dir          ? opts.cache_dir
                            : SIM_CONFIG_CACHE[0] ? SIM_CONFIG_CACHE
                                                  : sim_user_cache();
        if (!board_path || !key_path || !cache)
                return 2;
        struct aether_board board;
        uint8_t key[AETHER_PROOF_KEY_SIZE];
        if (load_board(board_path, &board) != 0 || check_vectors(&opts, &board, board_path) != 0 ||
            load_key(key_path, key) != 0)
                return 2;
        uint32_t watchdog_us = opts.watchdog_us ? opts.watchdog_us : board.watchdog_us;

        struct sim_translation translation;
        memset(key, 0, sizeof(key));
        int translated = sim_translate(opts.payload, cache, &translation);
        if (translated != 0)
                return 1;
        printf(SIM_PROGRAM ": %s (sha256 %s): %s in %.2f s, %s\n", opts.payload, translation.payload_sha256,
               translation.translated ? "translated and linked"
               : translation.linked   ? "linked"
                                      : "found in the cache",
               translation.seconds, translation.dir);

        /* The runner parses the same options, each default made explicit. */
        char epoch[24], budget[16];
        snprintf(epoch, sizeof(epoch), "%llu", (unsigned long long)opts.epoch);
        snprintf(budget, sizeof(budget), "%u", watchdog_us);
        const char **args = calloc(opts.wake_count * 2 + 12, sizeof(*args));
        if (!args) {
                fprintf(stderr, SIM_PROGRAM ": out of memory\n");
                return 1;
        }
        size_t n = 0;
        args[n++] = translation.runner;
        args[n++] = opts.payload;
        args[n++] = "--key";
        args[n++] = key_path;
        args[n++] = "--epoch";
        args[n++] = epoch;
        args[n++] = "--watchdog-us";
        args[n++] = budget;
        if (opts.report) {
                args[n++] = "--report";
                args[n++] = opts.report;
        }
        for (size_t i = 0; i < opts.wake_count; i++) {
                args[n++] = "--wake";
                args[n++] = opts.wakes[i].text;
        }
        args[n] = NULL;
        fflush(stdout);
        execv(translation.runner, (char *const *)args);
        fprintf(stderr, SIM_PROGRAM ": cannot run %s: %s\n", translation.runner, strerror(errno));
        return 1;
}
