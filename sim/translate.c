/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* translate.c: a payload .wasm to its runner program: validation, wasm2c, clang, kept in a cache by payload and runtime identity. */
#define _GNU_SOURCE /* mkdtemp, scandir, alphasort */

#include "translate.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "files.h"
#include "installed.h"
#include "options.h"
#include "sim_config.h"
#include "tool.h"

#define WASM_FILE_MAX ((size_t)256 << 20)  /* aether-wasm-check's bound */
#define RUNTIME_FILE_MAX ((size_t)64 << 20) /* the runtime library and sources are far smaller */
#define REJECTED "Aether payload rejected: "
#define COUNT(array) (sizeof(array) / sizeof((array)[0]))
/* clang's arguments: the flags, two include directories, the key's sources,
 * two objects, the link flags, -o and the runner, and the NULL. */
#define ARGS_MAX                                                                                                  \
        (1 + COUNT(sim_config_compile) + COUNT(sim_config_line_tables) + 2 + COUNT(sim_config_runner_sources) + 2 + \
         COUNT(sim_config_link) + 2)

/* Line tables cost clang little on ordinary code, but minutes and gigabytes
 * on generated functions with thousands of live locals; a translation larger
 * than this is compiled without them (its faults are then named from the
 * symbol table: a function clang inlined is named by its caller). */
#define LINE_TABLES_MAX_BYTES ((off_t)512 << 10)

static double now_seconds(void) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void to_hex(const uint8_t *bytes, size_t len, char *out) {
        for (size_t i = 0; i < len; i++)
                sprintf(out + 2 * i, "%02x", bytes[i]);
}

/* ---- the runtime's identity -------------------------------------------------- */

static void hash_text(struct aether_sha256 *ctx, const char *text) {
        aether_sha256_update(ctx, text, strlen(text) + 1);
}

static int hash_file(struct aether_sha256 *ctx, const char *configured) {
        char *path = sim_installed_path(configured);
        if (!path)
                return -1;
        uint8_t *data;
        size_t len;
        int result = -1;
        if (sim_read_file(path, RUNTIME_FILE_MAX, &data, &len) != 0) {
                fprintf(stderr, SIM_PROGRAM ": simulator runtime file %s: %s (is the build tree or installation complete?)\n",
                        path, strerror(errno));
        } else {
                uint64_t size = len;
                hash_text(ctx, path);
                aether_sha256_update(ctx, &size, sizeof(size));
                aether_sha256_update(ctx, data, len);
                free(data);
                result = 0;
        }
        free(path);
        return result;
}

/* A tool is named by its path, size and modification time: hashing a
 * compiler on every run would cost more than a wake. */
static int hash_tool(struct aether_sha256 *ctx, const char *configured) {
        char *path = sim_installed_path(configured);
        if (!path)
                return -1;
        struct stat st;
        int result = stat(path, &st);
        if (result != 0) {
                fprintf(stderr, SIM_PROGRAM ": tool %s: %s\n", path, strerror(errno));
        } else {
                int64_t stamp[3] = {st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec};
                hash_text(ctx, path);
                aether_sha256_update(ctx, stamp, sizeof(stamp));
        }
        free(path);
        return result;
}

static int is_header(const struct dirent *entry) {
        size_t len = strlen(entry->d_name);
        return len > 2 && strcmp(entry->d_name + len - 2, ".h") == 0;
}

/* Every header of an include directory, in name order. */
static int hash_headers(struct aether_sha256 *ctx, const char *configured) {
        char *dir = sim_installed_path(configured);
        if (!dir)
                return -1;
        struct dirent **names;
        int count = scandir(dir, &names, is_header, alphasort);
        if (count < 0) {
                fprintf(stderr, SIM_PROGRAM ": simulator include directory %s: %s\n", dir, strerror(errno));
                free(dir);
                return -1;
        }
        int result = 0;
        for (int i = 0; i < count; i++) {
                char path[PATH_MAX];
                snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
                if (result == 0 && hash_file(ctx, path) != 0)
                        result = -1;
                free(names[i]);
        }
        free(names);
        free(dir);
        return result;
}

static int runtime_identity(char out[2 * AETHER_SHA256_SIZE + 1]) {
        static const char *const files[] = {SIM_CONFIG_RUNTIME_LIBRARY, SIM_CONFIG_VALIDATE_SCRIPT,
                                            SIM_CONFIG_WASM2C_REWRITE, SIM_CONFIG_WASM_RT_HEADER};
        static const char *const tools[] = {SIM_CONFIG_CC,        SIM_CONFIG_CMAKE,         SIM_CONFIG_WASM2C,
                                            SIM_CONFIG_PYTHON,    SIM_CONFIG_WASM_VALIDATE, SIM_CONFIG_WASM_CHECK,
                                            SIM_CONFIG_EMBED};
        struct aether_sha256 ctx;
        aether_sha256_init(&ctx);
        for (const char *const *flag = sim_config_compile; *flag; flag++)
                hash_text(&ctx, *flag);
        for (const char *const *flag = sim_config_link; *flag; flag++)
                hash_text(&ctx, *flag);
        for (const char *const *flag = sim_config_line_tables; *flag; flag++)
                hash_text(&ctx, *flag);
        char threshold[24];
        snprintf(threshold, sizeof(threshold), "%lld", (long long)LINE_TABLES_MAX_BYTES);
        hash_text(&ctx, threshold);
        hash_text(&ctx, SIM_CONFIG_MEMORY_CAP_PAGES);
        if (hash_file(&ctx, SIM_CONFIG_ENTRY_SOURCE) != 0)
                return -1;
        for (const char *const *source = sim_config_runner_sources; *source; source++)
                if (hash_file(&ctx, *source) != 0)
                        return -1;
        for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
                if (hash_file(&ctx, files[i]) != 0)
                        return -1;
        for (const char *const *dir = sim_config_header_dirs; *dir; dir++)
                if (hash_headers(&ctx, *dir) != 0)
                        return -1;
        for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
                if (hash_tool(&ctx, tools[i]) != 0)
                        return -1;
        uint8_t digest[AETHER_SHA256_SIZE];
        aether_sha256_final(&ctx, digest);
        to_hex(digest, sizeof(digest), out);
        return 0;
}

/* ---- the steps ---------------------------------------------------------------- */

/* text with every `from` replaced by `to` (malloc'd). */
static char *replace_all(const char *text, const char *from, const char *to) {
        size_t from_len = strlen(from), to_len = strlen(to), count = 0;
        for (const char *p = text; (p = strstr(p, from)); p += from_len)
                count++;
        char *out = malloc(strlen(text) + count * to_len + 1), *w = out;
        if (!out)
                return NULL;
        for (const char *p = text, *hit; *p; p = hit + from_len) {
                hit = strstr(p, from);
                if (!hit) {
                        strcpy(w, p);
                        return out;
                }
                memcpy(w, p, (size_t)(hit - p));
                w += hit - p;
                memcpy(w, to, to_len);
                w += to_len;
        }
        *w = 0;
        return out;
}

/* Prints what a tool said, with the cache's copy of the payload named as the user named it. */
static void print_output(const char *output, const char *copy, const char *wasm_path) {
        char *shown = replace_all(output, copy, wasm_path);
        fputs(shown ? shown : output, stderr);
        free(shown);
}

/* The image build's validation: cmake -P AetherValidatePayload.cmake. Its
 * notes ("memory has no maximum ...") are printed; a rejection is printed as
 * the validator's one line. */
static int validate(const char *dir, const char *copy, const char *wasm_path) {
        char wasm_arg[PATH_MAX + 8], header_arg[PATH_MAX + 16];
        snprintf(wasm_arg, sizeof(wasm_arg), "-DWASM=%s", copy);
        snprintf(header_arg, sizeof(header_arg), "-DOUT_HEADER=%s/payload_iface.h", dir);
        const char *const argv[] = {SIM_CONFIG_CMAKE,
                                    wasm_arg,
                                    "-DCHECKER=" SIM_CONFIG_WASM_CHECK,
                                    "-DMAX_PAGES=" SIM_CONFIG_MEMORY_CAP_PAGES,
                                    header_arg,
                                    "-DWASM_VALIDATE=" SIM_CONFIG_WASM_VALIDATE,
                                    "-P",
                                    SIM_CONFIG_VALIDATE_SCRIPT,
                                    NULL};
        char *output;
        int status = sim_run(argv, &output);
        if (status < 0)
                return -1;
        const char *rejected = strstr(output, REJECTED);
        if (status != 0 && rejected) {
                size_t line = strcspn(rejected, "\n");
                char *message = strndup(rejected, line);
                print_output(message ? message : rejected, copy, wasm_path);
                fputc('\n', stderr);
                free(message);
        } else if (status != 0) {
                fprintf(stderr, SIM_PROGRAM ": validating %s failed (exit %d):\n", wasm_path, status);
                print_output(output, copy, wasm_path);
        } else {
                for (char *line = output, *next; *line; line = next) {
                        next = line + strcspn(line, "\n");
                        if (*next)
                                *next++ = 0;
                        if (strncmp(line, "-- ", 3) == 0 && strstr(line, ": note: ")) {
                                print_output(line + 3, copy, wasm_path);
                                fputc('\n', stderr);
                        }
                }
        }
        free(output);
        return status == 0 ? 0 : -1;
}

/* Runs one step; on failure prints what it said under `what`. */
static int step(const char *const argv[], const char *what, const char *copy, const char *wasm_path) {
        char *output;
        int status = sim_run(argv, &output);
        if (status < 0)
                return -1;
        if (status != 0) {
                fprintf(stderr, SIM_PROGRAM ": %s %s failed (exit %d):\n", what, wasm_path, status);
                print_output(output, copy, wasm_path);
        }
        free(output);
        return status == 0 ? 0 : -1;
}

/* clang, the runtime's flags, then the lists of `parts` (each
 * NULL-terminated, as is parts), into argv. */
static void clang_command(const char *argv[ARGS_MAX], const char *const *const *parts) {
        size_t argc = 0;
        argv[argc++] = SIM_CONFIG_CC;
        for (const char *const *flag = sim_config_compile; *flag; flag++)
                argv[argc++] = *flag;
        for (; *parts; parts++)
                for (const char *const *arg = *parts; *arg; arg++)
                        argv[argc++] = *arg;
        argv[argc] = NULL;
}

/* Moves a finished directory into place: an entry is whole or absent. If a
 * simulator running at the same time installed the same one first, it is
 * kept and this one dropped. Returns 0, or -1 after a message. */
static int install(const char *tmp, const char *final) {
        int result = 0;
        if (rename(tmp, final) != 0) {
                if (errno != EEXIST && errno != ENOTEMPTY) {
                        fprintf(stderr, SIM_PROGRAM ": cannot rename %s to %s: %s\n", tmp, final, strerror(errno));
                        result = -1;
                }
                sim_remove_tree(tmp);
        }
        return result;
}

static int make_temporary(char *dir, size_t len, const char *parent, const char *stem) {
        snprintf(dir, len, "%s/.%s-XXXXXX", parent, stem);
        if (!mkdtemp(dir)) {
                fprintf(stderr, SIM_PROGRAM ": cannot create a directory in %s: %s\n", parent, strerror(errno));
                return -1;
        }
        return 0;
}

/* The payload's entry: its copy, the validator's payload_iface.h, wasm2c's
 * aether_payload.{c,h} (the C rewritten by aether_wasm2c_rewrite.py, as the
 * image build does), and the objects of the generated code and of
 * guest/entry.c. */
static int translate_entry(const char *cache_dir, const uint8_t *wasm, size_t wasm_len, const char *wasm_path,
                           const char *entry) {
        char dir[PATH_MAX], copy[PATH_MAX], generated[PATH_MAX], object[PATH_MAX], entry_object[PATH_MAX],
                include[PATH_MAX + 2];
        if (make_temporary(dir, sizeof(dir), cache_dir, "translating") != 0)
                return -1;
        snprintf(copy, sizeof(copy), "%s/payload.wasm", dir);
        snprintf(generated, sizeof(generated), "%s/aether_payload.c", dir);
        snprintf(object, sizeof(object), "%s/aether_payload.o", dir);
        snprintf(entry_object, sizeof(entry_object), "%s/entry.o", dir);
        snprintf(include, sizeof(include), "-I%s", dir);
        const char *const includes[] = {include, NULL};
        const char *const none[] = {NULL};
        /* wasm2c's own output in a folder of its own, as the image build keeps it:
         * the C includes the header by the name it was written under. */
        char raw_dir[PATH_MAX], raw[PATH_MAX + 20], raw_header[PATH_MAX + 20], header[PATH_MAX];
        snprintf(raw_dir, sizeof(raw_dir), "%s/wasm2c", dir);
        snprintf(raw, sizeof(raw), "%s/aether_payload.c", raw_dir);
        snprintf(raw_header, sizeof(raw_header), "%s/aether_payload.h", raw_dir);
        snprintf(header, sizeof(header), "%s/aether_payload.h", dir);
        const char *const wasm2c[] = {SIM_CONFIG_WASM2C, "-n", "payload", copy, "-o", raw, NULL};
        const char *const rewrite[] = {SIM_CONFIG_PYTHON, SIM_CONFIG_WASM2C_REWRITE, raw, generated, NULL};
        const char *const generated_rest[] = {"-c", generated, "-o", object, NULL};
        const char *const entry_rest[] = {"-c", SIM_CONFIG_ENTRY_SOURCE, "-o", entry_object, NULL};
        const char *const *const entry_parts[] = {sim_config_line_tables, includes, entry_rest, NULL};
        const char *compile_generated[ARGS_MAX], *compile_entry[ARGS_MAX];
        clang_command(compile_entry, entry_parts);
        int result = -1;
        if (sim_write_file(copy, wasm, wasm_len) != 0 || mkdir(raw_dir, 0777) != 0) {
                fprintf(stderr, SIM_PROGRAM ": cannot write in %s: %s\n", dir, strerror(errno));
        } else if (validate(dir, copy, wasm_path) == 0 && step(wasm2c, "wasm2c on", copy, wasm_path) == 0 &&
                   step(rewrite, "aether_wasm2c_rewrite.py on the translation of", copy, wasm_path) == 0) {
                struct stat st;
                bool tables = stat(generated, &st) == 0 && st.st_size <= LINE_TABLES_MAX_BYTES;
                const char *const *const generated_parts[] = {tables ? sim_config_line_tables : none, includes,
                                                              generated_rest, NULL};
                clang_command(compile_generated, generated_parts);
                if (rename(raw_header, header) != 0 || remove(raw) != 0 || remove(raw_dir) != 0)
                        fprintf(stderr, SIM_PROGRAM ": %s: %s\n", raw, strerror(errno));
                else if (step(compile_generated, "compiling the translation of", copy, wasm_path) == 0 &&
                         step(compile_entry, "compiling guest/entry.c for", copy, wasm_path) == 0)
                        result = 0;
        }
        if (result != 0) {
                sim_remove_tree(dir);
                return -1;
        }
        return install(dir, entry);
}

/* The payload's runner: cycle.c and payload_glue.c compiled with the
 * aether_embedded.h aether-embed makes from the payload (cycle.c seals its
 * identity), linked with the entry's objects and the runtime library. The
 * runner holds no key: it reads --key when it runs, as the image takes its
 * key at boot. */
static int link_runner(const char *entry, const char *wasm_path, const char *runner_dir) {
        char dir[PATH_MAX], copy[PATH_MAX], embedded[PATH_MAX], runner[PATH_MAX], entry_include[PATH_MAX + 2],
                embedded_include[PATH_MAX + 2], object[PATH_MAX], entry_object[PATH_MAX];
        if (make_temporary(dir, sizeof(dir), entry, "linking") != 0)
                return -1;
        snprintf(copy, sizeof(copy), "%s/payload.wasm", entry);
        snprintf(embedded, sizeof(embedded), "%s/aether_embedded.h", dir);
        snprintf(runner, sizeof(runner), "%s/" SIM_RUNNER_NAME, dir);
        snprintf(entry_include, sizeof(entry_include), "-I%s", entry);
        snprintf(embedded_include, sizeof(embedded_include), "-I%s", dir);
        snprintf(object, sizeof(object), "%s/aether_payload.o", entry);
        snprintf(entry_object, sizeof(entry_object), "%s/entry.o", entry);
        const char *const embed[] = {SIM_CONFIG_EMBED, copy, embedded, NULL};
        const char *const includes[] = {entry_include, embedded_include, NULL};
        const char *rest[ARGS_MAX];
        size_t n = 0;
        for (const char *const *source = sim_config_runner_sources; *source; source++)
                rest[n++] = *source;
        rest[n++] = object;
        rest[n++] = entry_object;
        for (const char *const *flag = sim_config_link; *flag; flag++)
                rest[n++] = *flag;
        rest[n++] = "-o";
        rest[n++] = runner;
        rest[n] = NULL;
        const char *link[ARGS_MAX];
        const char *const *const link_parts[] = {includes, rest, NULL};
        clang_command(link, link_parts);
        int result = step(embed, "aether-embed on", copy, wasm_path) == 0 &&
                                     step(link, "linking the runner of", copy, wasm_path) == 0
                             ? 0
                             : -1;
        remove(embedded);
        if (result != 0) {
                sim_remove_tree(dir);
                return -1;
        }
        return install(dir, runner_dir);
}

int sim_translate(const char *wasm_path, const char *cache_dir, struct sim_translation *out) {
        double started = now_seconds();
        uint8_t *wasm;
        size_t wasm_len;
        if (sim_read_file(wasm_path, WASM_FILE_MAX, &wasm, &wasm_len) != 0) {
                fprintf(stderr, SIM_PROGRAM ": %s: cannot read the payload: %s\n", wasm_path,
                        errno == EFBIG ? "larger than any payload (256 MiB)" : strerror(errno));
                return -1;
        }
        uint8_t digest[AETHER_SHA256_SIZE];
        aether_sha256(wasm, wasm_len, digest);
        to_hex(digest, sizeof(digest), out->payload_sha256);

        char runtime[2 * AETHER_SHA256_SIZE + 1], runner_dir[PATH_MAX];

        int result = -1, lock = -1;
        out->translated = out->linked = false;
        if (runtime_identity(runtime) != 0) {
                free(wasm);
                return -1;
        }
        snprintf(out->dir, sizeof(out->dir), "%s/%s-%.16s", cache_dir, out->payload_sha256, runtime);
        snprintf(runner_dir, sizeof(runner_dir), "%s/runner", out->dir);
        snprintf(out->runner, sizeof(out->runner), "%s/" SIM_RUNNER_NAME, runner_dir);
        if (access(out->runner, X_OK) == 0) {
                result = 0;
                goto done;
        }
        /* One simulator at a time makes an entry: the others wait, then find it. */
        char lock_path[PATH_MAX + 8];
        snprintf(lock_path, sizeof(lock_path), "%s.lock", out->dir);
        if (sim_make_dirs(cache_dir) != 0 || (lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) < 0 ||
            flock(lock, LOCK_EX) != 0) {
                fprintf(stderr, SIM_PROGRAM ": cannot use the cache directory %s: %s\n", cache_dir, strerror(errno));
                goto done;
        }
        if (access(out->dir, F_OK) != 0) {
                if (translate_entry(cache_dir, wasm, wasm_len, wasm_path, out->dir) != 0)
                        goto done;
                out->translated = true;
        }
        if (access(out->runner, X_OK) != 0) {
                if (link_runner(out->dir, wasm_path, runner_dir) != 0)
                        goto done;
                out->linked = true;
        }
        result = 0;
done:
        if (lock >= 0)
                close(lock); /* and the lock with it */
        free(wasm);
        out->seconds = now_seconds() - started;
        return result;
}
