/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* options.c: aether-sim's command line: wakes as scripts/aether-run reads them, report, key, epoch, budget, cache. */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void sim_usage(FILE *out) {
        fprintf(out,
                "usage: " SIM_PROGRAM " PAYLOAD.wasm [--wake VEC:pressure=P,dose=D]... [--report FILE.json]\n"
                "                  [--key KEYFILE] [--epoch N] [--watchdog-us N] [--board FILE] [--cache DIR]\n"
                "\n"
                "Runs the payload's evaluate_limits once per wake, in order, as the enclave image would: the\n"
                "module is validated as the image build validates it, translated by wasm2c and linked with the\n"
                "image's own guest runtime, host calls, proof and fault code, built for this host. Prints one line\n"
                "per wake; the report has scripts/aether-run's format without the fields only a boot knows.\n"
                "\n"
                "  --wake VEC:pressure=P,dose=D  a wake on vector 0x20 or 0x21 with these sensor values;\n"
                "                       repeatable, run in order (default: the bench wake " SIM_BENCH_WAKE ")\n"
                "  --report FILE.json   write the JSON report (aether-verify accepts it)\n"
                "  --key KEYFILE        the device key that tags the records (default: the development key)\n"
                "  --epoch N            the boot epoch in the records (default 1); seq counts from 1\n"
                "  --watchdog-us N      the per-wake time budget in microseconds, 1..%d\n"
                "                       (default: the board's watchdog-us)\n"
                "  --board FILE         the board whose wake vectors and watchdog-us apply (default: the build's)\n"
                "  --cache DIR          where translated payloads are kept, by payload SHA-256 and runtime\n"
                "                       identity (default: sim-cache in the build tree;\n"
                "                       installed: $XDG_CACHE_HOME/aether-sim or ~/.cache/aether-sim)\n"
                "  -h, --help           print this help and exit\n"
                "\n"
                "Exit status: 0 every wake ran and its proof verified (a fault is an outcome, not a failure);\n"
                "1 the payload was rejected, could not be translated, or a proof did not verify; 2 a usage error\n"
                "or an unreadable or malformed key or board file.\n",
                SIM_WATCHDOG_US_MAX);
}

__attribute__((format(printf, 3, 4))) static int problem(char *err, size_t err_len, const char *format, ...) {
        va_list args;
        va_start(args, format);
        vsnprintf(err, err_len, format, args);
        va_end(args);
        return -1;
}

/* An unsigned integer, decimal or 0x hex, the whole text. */
static int parse_u64(const char *text, uint64_t *value) {
        if (!isdigit((unsigned char)text[0]))
                return -1;
        char *end;
        errno = 0;
        unsigned long long v = strtoull(text, &end, 0);
        if (errno || *end)
                return -1;
        *value = v;
        return 0;
}

/* Python's int(text, 0), as scripts/aether-run parses a dose: an optional
 * sign, then decimal without leading zeros, or 0x, 0o or 0b digits. */
static int parse_i32(const char *text, int32_t *value) {
        const char *p = text;
        bool negative = *p == '-';
        if (*p == '-' || *p == '+')
                p++;
        int base = 10;
        if (p[0] == '0' && p[1]) {
                switch (tolower((unsigned char)p[1])) {
                case 'x':
                        base = 16;
                        break;
                case 'o':
                        base = 8;
                        break;
                case 'b':
                        base = 2;
                        break;
                default:
                        return -1;
                }
                p += 2;
        }
        if (!isxdigit((unsigned char)*p))
                return -1;
        char *end;
        errno = 0;
        unsigned long long magnitude = strtoull(p, &end, base);
        if (errno || *end || magnitude > (negative ? 0x80000000ull : 0x7fffffffull))
                return -1;
        *value = negative ? (int32_t)(0 - magnitude) : (int32_t)magnitude;
        return 0;
}

/* A float rounded to binary32, as aether-run packs it: a finite value too
 * large for binary32 is an error; nan and inf are values. */
static int parse_pressure(const char *text, uint32_t *bits) {
        char *end;
        double value = strtod(text, &end);
        if (end == text || *end)
                return -1;
        float pressure = (float)value;
        if (isinf(pressure) && !isinf(value))
                return -1;
        memcpy(bits, &pressure, sizeof(*bits));
        return 0;
}

int sim_parse_wake(const char *text, struct sim_wake *wake, char *err, size_t err_len) {
        const char *colon = strchr(text, ':');
        if (!colon)
                return problem(err, err_len, "--wake '%s': expected VEC:pressure=P,dose=D (e.g. %s)", text,
                               SIM_BENCH_WAKE);
        char vector_text[24];
        uint64_t vector;
        if ((size_t)(colon - text) >= sizeof(vector_text))
                return problem(err, err_len, "--wake '%s': bad vector", text);
        memcpy(vector_text, text, (size_t)(colon - text));
        vector_text[colon - text] = 0;
        if (parse_u64(vector_text, &vector) != 0)
                return problem(err, err_len, "--wake '%s': bad vector '%s'", text, vector_text);
        if (vector != 0x20 && vector != 0x21)
                return problem(err, err_len, "--wake '%s': vector 0x%llx has no wake line (only 0x20 and 0x21)",
                               text, (unsigned long long)vector);

        bool have_pressure = false, have_dose = false;
        const char *item = colon + 1;
        for (;;) {
                size_t item_len = strcspn(item, ",");
                const char *equals = memchr(item, '=', item_len);
                char value[64];
                size_t name_len = equals ? (size_t)(equals - item) : 0;
                bool is_pressure = name_len == 8 && memcmp(item, "pressure", 8) == 0;
                bool is_dose = name_len == 4 && memcmp(item, "dose", 4) == 0;
                if (!is_pressure && !is_dose)
                        return problem(err, err_len, "--wake '%s': '%.*s' is not pressure=P or dose=D", text,
                                       (int)item_len, item);
                if (is_pressure ? have_pressure : have_dose)
                        return problem(err, err_len, "--wake '%s': %s given twice", text,
                                       is_pressure ? "pressure" : "dose");
                size_t value_len = item_len - name_len - 1;
                if (value_len >= sizeof(value))
                        return problem(err, err_len, "--wake '%s': %s value too long", text,
                                       is_pressure ? "pressure" : "dose");
                memcpy(value, equals + 1, value_len);
                value[value_len] = 0;
                if (is_pressure) {
                        if (parse_pressure(value, &wake->pressure_bits) != 0)
                                return problem(err, err_len, "--wake '%s': pressure '%s' is not a 32-bit float",
                                               text, value);
                        have_pressure = true;
                } else {
                        if (parse_i32(value, &wake->dose) != 0)
                                return problem(err, err_len, "--wake '%s': dose '%s' is not an integer that fits "
                                                             "an i32", text, value);
                        have_dose = true;
                }
                if (!item[item_len])
                        break;
                item += item_len + 1;
        }
        if (!have_pressure || !have_dose)
                return problem(err, err_len, "--wake '%s': missing %s", text,
                               !have_pressure && !have_dose ? "pressure and dose"
                               : !have_pressure            ? "pressure"
                                                           : "dose");
        wake->text = text;
        wake->vector = (uint8_t)vector;
        return 0;
}

/* The value of option `name` at argv[*i]: "--name=VALUE" or "--name VALUE".
 * Returns NULL when argv[*i] is not this option; sets *missing when it is
 * but has no value. */
static const char *option_value(int argc, char **argv, int *i, const char *name, bool *missing) {
        size_t len = strlen(name);
        const char *arg = argv[*i];
        if (strncmp(arg, name, len) != 0)
                return NULL;
        if (arg[len] == '=')
                return arg + len + 1;
        if (arg[len])
                return NULL;
        if (*i + 1 >= argc) {
                *missing = true;
                return NULL;
        }
        return argv[++*i];
}

int sim_options_parse(int argc, char **argv, struct sim_options *opts, char *err, size_t err_len) {
        *opts = (struct sim_options){.epoch = 1};
        static char bench_wake[] = SIM_BENCH_WAKE;
        opts->wakes = calloc((size_t)argc + 1, sizeof(*opts->wakes));
        if (!opts->wakes)
                return problem(err, err_len, "out of memory");
        for (int i = 1; i < argc; i++) {
                const char *arg = argv[i], *value;
                bool missing = false;
                if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
                        opts->help = true;
                } else if ((value = option_value(argc, argv, &i, "--wake", &missing))) {
                        if (sim_parse_wake(value, &opts->wakes[opts->wake_count], err, err_len) != 0)
                                return -1;
                        opts->wake_count++;
                } else if ((value = option_value(argc, argv, &i, "--report", &missing))) {
                        opts->report = value;
                } else if ((value = option_value(argc, argv, &i, "--key", &missing))) {
                        opts->key_file = value;
                } else if ((value = option_value(argc, argv, &i, "--board", &missing))) {
                        opts->board_file = value;
                } else if ((value = option_value(argc, argv, &i, "--cache", &missing))) {
                        opts->cache_dir = value;
                } else if ((value = option_value(argc, argv, &i, "--epoch", &missing))) {
                        if (parse_u64(value, &opts->epoch) != 0 || opts->epoch == 0)
                                return problem(err, err_len, "--epoch '%s': expected an integer 1..2^64-1", value);
                } else if ((value = option_value(argc, argv, &i, "--watchdog-us", &missing))) {
                        uint64_t us;
                        if (parse_u64(value, &us) != 0 || us == 0 || us > SIM_WATCHDOG_US_MAX)
                                return problem(err, err_len, "--watchdog-us '%s': expected 1..%d microseconds",
                                               value, SIM_WATCHDOG_US_MAX);
                        opts->watchdog_us = (uint32_t)us;
                } else if (missing) {
                        return problem(err, err_len, "%s needs a value", arg);
                } else if (arg[0] == '-' && arg[1]) {
                        return problem(err, err_len, "unknown option '%s'", arg);
                } else if (opts->payload) {
                        return problem(err, err_len, "one payload only: '%s' and '%s'", opts->payload, arg);
                } else {
                        opts->payload = arg;
                }
        }
        if (opts->help)
                return 0;
        if (!opts->payload)
                return problem(err, err_len, "no payload given: aether-sim PAYLOAD.wasm [--wake ...]");
        if (opts->wake_count == 0) {
                if (sim_parse_wake(bench_wake, &opts->wakes[0], err, err_len) != 0)
                        return -1;
                opts->wake_count = 1;
        }
        return 0;
}

void sim_options_free(struct sim_options *opts) {
        free(opts->wakes);
        opts->wakes = NULL;
}
