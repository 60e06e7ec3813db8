/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* report.c: a line per wake, and the JSON report in scripts/aether-run's format without the boot-only fields. */
#include "report.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"

/*
 * The report is scripts/aether-run's (ARCHITECTURE.md, "The report") minus
 * what only a boot knows (image_sha256, exit_code, layout, timing,
 * boot_to_dormant_tsc, stack_bytes, residue, page_tables), plus
 * "simulator": true, the payload and its identity, the watchdog budget and,
 * for a fault, the wasm function it left ("function").
 */

struct sim_report {
        const char *path;
        char *json;
        size_t used, capacity;
        bool out_of_memory;
        size_t wakes;
};

__attribute__((format(printf, 2, 3))) static void append(struct sim_report *r, const char *format, ...) {
        va_list args;
        for (;;) {
                va_start(args, format);
                int need = vsnprintf(r->json ? r->json + r->used : NULL, r->json ? r->capacity - r->used : 0, format,
                                     args);
                va_end(args);
                if (need < 0 || r->out_of_memory)
                        return;
                if (r->json && r->used + (size_t)need < r->capacity) {
                        r->used += (size_t)need;
                        return;
                }
                size_t capacity = (r->capacity + (size_t)need + 1) * 2;
                char *bigger = realloc(r->json, capacity);
                if (!bigger) {
                        r->out_of_memory = true;
                        return;
                }
                r->json = bigger;
                r->capacity = capacity;
        }
}

static void append_string(struct sim_report *r, const char *text) {
        append(r, "\"");
        for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
                if (*c == '"' || *c == '\\')
                        append(r, "\\%c", *c);
                else if (*c < 0x20)
                        append(r, "\\u%04x", *c);
                else
                        append(r, "%c", *c);
        }
        append(r, "\"");
}

static void append_hex(struct sim_report *r, const uint8_t *bytes, size_t len) {
        append(r, "\"");
        for (size_t i = 0; i < len; i++)
                append(r, "%02x", bytes[i]);
        append(r, "\"");
}

/* The shortest decimal that rounds to these binary32 bits (aether-run's
 * record.f32_value), or nan, inf, -inf. */
static void pressure_text(uint32_t bits, char *out, size_t len) {
        float pressure;
        memcpy(&pressure, &bits, sizeof(pressure));
        if (isnan(pressure) || isinf(pressure)) {
                snprintf(out, len, "%s", isnan(pressure) ? "nan" : pressure > 0 ? "inf" : "-inf");
                return;
        }
        for (int digits = 1; digits <= 9; digits++) {
                snprintf(out, len, "%.*g", digits, (double)pressure);
                float back = strtof(out, NULL);
                if (memcmp(&back, &pressure, sizeof(back)) == 0)
                        return;
        }
}

struct sim_report *sim_report_begin(const char *path, const char *payload, const uint8_t *payload_sha256,
                                    uint64_t epoch, uint32_t watchdog_us) {
        struct sim_report *r = calloc(1, sizeof(*r));
        if (!r)
                return NULL;
        r->path = path;
        append(r, "{\"simulator\": true, \"payload\": ");
        append_string(r, payload);
        append(r, ", \"payload_sha256\": ");
        append_hex(r, payload_sha256, AETHER_SHA256_SIZE);
        append(r, ", \"epoch\": %" PRIu64 ", \"watchdog_us\": %" PRIu32 ",\n \"wakes\": [", epoch, watchdog_us);
        return r;
}

void sim_report_wake(struct sim_report *r, const struct sim_wake_outcome *o) {
        const struct aether_cycle_result *result = o->result;
        const struct aether_proof_record *rec = &result->fields;
        const char *outcome = aether_fault_name(rec->outcome);
        char pressure[32];
        pressure_text(rec->pressure_bits, pressure, sizeof(pressure));
        r->wakes++;

        printf(SIM_PROGRAM ": wake %" PRIu64 ": vector 0x%02x pressure=%s dose=%" PRId32 " -> %s%s%s status %" PRId32
                           " telemetry %" PRIu32 " bytes, proof 0x%016" PRIx64 " %s%s\n",
               rec->seq, rec->vector, pressure, rec->dose, outcome, o->function ? " in " : "",
               o->function ? o->function : "", rec->status, result->telemetry_len, result->tag,
               o->verified ? "verified" : "NOT VERIFIED: ", o->verified ? "" : o->problem);

        append(r, "%s\n  {\"vector\": \"0x%02x\", \"pressure\": ", r->wakes > 1 ? "," : "", rec->vector);
        if (isdigit((unsigned char)pressure[pressure[0] == '-']))
                append(r, "%s", pressure);
        else
                append_string(r, pressure); /* aether-run writes nan and inf as strings */
        append(r, ", \"pressure_bits\": \"0x%08" PRIx32 "\", \"dose\": %" PRId32 ", \"outcome\": \"%s\", ",
               rec->pressure_bits, rec->dose, outcome);
        append(r, "\"status\": %" PRId32 ", \"telemetry\": ", rec->status);
        append_hex(r, result->telemetry, result->telemetry_len);
        append(r, ", \"proof\": \"0x%016" PRIx64 "\", \"proof_verified\": %s, \"seq\": %" PRIu64 ", \"epoch\": %" PRIu64
                  ", \"uplink_lo\": %" PRIu32 ", \"uplink_hi\": %" PRIu32 ", \"record\": ",
               result->tag, o->verified ? "true" : "false", rec->seq, rec->epoch, rec->uplink_lo, rec->uplink_hi);
        append_hex(r, result->record, sizeof(result->record));
        append(r, ", \"memory_bytes\": %" PRIu32, o->memory_bytes);
        if (o->function) {
                append(r, ", \"function\": ");
                append_string(r, o->function);
        }
        append(r, "}");
}

int sim_report_end(struct sim_report *r, double seconds) {
        append(r, "\n ],\n \"duration_s\": %.3f}\n", seconds);
        int result = 0;
        if (r->path) {
                char tmp[4096];
                snprintf(tmp, sizeof(tmp), "%s.tmp", r->path);
                if (r->out_of_memory) {
                        fprintf(stderr, SIM_PROGRAM ": out of memory for the report\n");
                        result = -1;
                } else if (sim_write_file(tmp, r->json, r->used) != 0 || rename(tmp, r->path) != 0) {
                        fprintf(stderr, SIM_PROGRAM ": cannot write the report %s: %s\n", r->path, strerror(errno));
                        remove(tmp);
                        result = -1;
                }
        }
        free(r->json);
        free(r);
        return result;
}
