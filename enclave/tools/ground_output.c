/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* ground_output.c: aether-verify's output lines and JSON objects, and the growing text they are built in. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ground.h"

/* ---- text ------------------------------------------------------------------------- */

static bool text_reserve(struct ground_text *t, size_t more) {
        if (t->failed)
                return false;
        if (t->len + more + 1 <= t->cap)
                return true;
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + more + 1) {
                if (cap > SIZE_MAX / 2) {
                        t->failed = true;
                        return false;
                }
                cap *= 2;
        }
        char *bigger = realloc(t->buf, cap);
        if (!bigger) {
                t->failed = true;
                return false;
        }
        t->buf = bigger;
        t->cap = cap;
        return true;
}

void ground_text_append_bytes(struct ground_text *t, const char *s, size_t n) {
        if (!text_reserve(t, n))
                return;
        memcpy(t->buf + t->len, s, n);
        t->len += n;
        t->buf[t->len] = '\0';
}

void ground_text_append(struct ground_text *t, const char *s) {
        ground_text_append_bytes(t, s, strlen(s));
}

void ground_text_appendf(struct ground_text *t, const char *format, ...) {
        va_list args;
        va_start(args, format);
        int n = vsnprintf(NULL, 0, format, args);
        va_end(args);
        if (n < 0 || !text_reserve(t, (size_t)n)) {
                t->failed = true;
                return;
        }
        va_start(args, format);
        vsnprintf(t->buf + t->len, (size_t)n + 1, format, args);
        va_end(args);
        t->len += (size_t)n;
}

void ground_text_hex(struct ground_text *t, const uint8_t *bytes, size_t n) {
        static const char digits[] = "0123456789abcdef";
        if (!text_reserve(t, 2 * n))
                return;
        for (size_t i = 0; i < n; i++) {
                t->buf[t->len++] = digits[bytes[i] >> 4];
                t->buf[t->len++] = digits[bytes[i] & 0xf];
        }
        t->buf[t->len] = '\0';
}

bool ground_hex_decode(const char *s, size_t len, uint8_t *out) {
        if (len % 2)
                return false;
        for (size_t i = 0; i < len; i++)
                if (aether_hex_digit(s[i]) < 0)
                        return false;
        for (size_t i = 0; out && i < len / 2; i++)
                out[i] = (uint8_t)(aether_hex_digit(s[2 * i]) << 4 | aether_hex_digit(s[2 * i + 1]));
        return true;
}

void ground_text_free(struct ground_text *t) {
        free(t->buf);
        *t = (struct ground_text){ 0 };
}

/* ---- shared pieces ------------------------------------------------------------------ */

static const struct {
        uint64_t bit;
        const char *name;
} boot_flag_names[] = {
        { AETHER_BOOT_FLAG_DEVELOPMENT_KEY, "development-key" },
        { AETHER_BOOT_FLAG_SECURE_BOOT_KNOWN, "secure-boot-known" },
        { AETHER_BOOT_FLAG_SECURE_BOOT_ON, "secure-boot-on" },
        { AETHER_BOOT_FLAG_SETUP_MODE, "setup-mode" },
        { AETHER_BOOT_FLAG_KEY_UEFI_VARIABLE, "key-uefi-variable" },
        { AETHER_BOOT_FLAG_KEY_TPM, "key-tpm" },
        { AETHER_BOOT_FLAG_EPOCH_TPM, "epoch-tpm" },
};

void ground_format_boot_flags(uint64_t flags, struct ground_text *out) {
        const char *separator = "";
        for (size_t i = 0; i < sizeof(boot_flag_names) / sizeof(boot_flag_names[0]); i++) {
                if (!(flags & boot_flag_names[i].bit))
                        continue;
                ground_text_append(out, separator);
                ground_text_append(out, boot_flag_names[i].name);
                separator = ",";
        }
        if (!*separator)
                ground_text_append(out, "none");
}

/* "a" or "a..b". */
static void append_range(struct ground_text *out, uint64_t first, uint64_t last) {
        if (first == last)
                ground_text_appendf(out, "%" PRIu64, first);
        else
                ground_text_appendf(out, "%" PRIu64 "..%" PRIu64, first, last);
}

static void append_missing_line(struct ground_text *out, const struct ground_missing *m) {
        ground_text_append(out, "missing: epoch ");
        if (m->whole_epochs) {
                append_range(out, m->epoch, m->last_epoch);
        } else {
                ground_text_appendf(out, "%" PRIu64 " seq ", m->epoch);
                append_range(out, m->first_seq, m->last_seq);
        }
        ground_text_append(out, " (device ");
        ground_text_hex(out, m->device, AETHER_DEVICE_ID_SIZE);
        ground_text_append(out, ")\n");
}

/* ---- text lines ---------------------------------------------------------------------- */

void ground_format_event(const struct ground_event *e, struct ground_text *out) {
        ground_text_appendf(out, "%s#%zu: ", e->input, e->index);
        switch (e->verdict) {
        case GROUND_VALID: {
                const struct aether_proof_record *r = &e->rec;
                ground_text_append(out, "valid device=");
                ground_text_hex(out, r->device_id, AETHER_DEVICE_ID_SIZE);
                ground_text_appendf(out,
                                    " epoch=%" PRIu64 " seq=%" PRIu64 " vector=0x%02x outcome=%s status=%" PRId32
                                    " dropped=%" PRIu64 " rejected=%" PRIu64 " flags=",
                                    r->epoch, r->seq, r->vector, aether_fault_name(r->outcome), r->status,
                                    r->dropped_wakes, r->rejected_frames);
                ground_format_boot_flags(r->boot_flags, out);
                ground_text_append(out, " payload=");
                ground_text_hex(out, r->payload_sha256, GROUND_PAYLOAD_SHORT_BYTES);
                ground_text_appendf(out, " proof=0x%016" PRIx64 "\n", e->tag);
                break;
        }
        case GROUND_INVALID:
                ground_text_appendf(out, "INVALID (%s)\n", e->reason);
                break;
        case GROUND_NO_COMMIT:
                ground_text_appendf(out, "%s\n", e->reason);
                break;
        }
        for (size_t i = 0; i < e->missing_count; i++)
                append_missing_line(out, &e->missing[i]);
}

void ground_format_summary(const struct ground_verifier *v, const struct ground_missing *missing, size_t count,
                           struct ground_text *out) {
        for (size_t i = 0; i < count; i++)
                append_missing_line(out, &missing[i]);
        ground_text_appendf(out,
                            "aether-verify: %" PRIu64 " valid, %" PRIu64 " invalid, %" PRIu64 " missing, %" PRIu64
                            " missing boots\n",
                            v->valid, v->invalid, v->missing_records, v->missing_boots);
}

/* ---- JSON ---------------------------------------------------------------------------- */

/* A JSON string: '"' and '\' escaped, control bytes as \u00XX, every
 * other byte as it is. */
static void append_json_string(struct ground_text *out, const char *s) {
        ground_text_append(out, "\"");
        for (; *s; s++) {
                unsigned char c = (unsigned char)*s;
                if (c == '"' || c == '\\')
                        ground_text_appendf(out, "\\%c", c);
                else if (c < 0x20)
                        ground_text_appendf(out, "\\u%04x", c);
                else
                        ground_text_append_bytes(out, (const char *)&c, 1);
        }
        ground_text_append(out, "\"");
}

static void append_json_hex(struct ground_text *out, const uint8_t *bytes, size_t n) {
        ground_text_append(out, "\"");
        ground_text_hex(out, bytes, n);
        ground_text_append(out, "\"");
}

static void append_json_missing(struct ground_text *out, const struct ground_missing *missing, size_t count) {
        ground_text_append(out, "[");
        for (size_t i = 0; i < count; i++) {
                const struct ground_missing *m = &missing[i];
                ground_text_append(out, i ? ",{\"device\":" : "{\"device\":");
                append_json_hex(out, m->device, AETHER_DEVICE_ID_SIZE);
                if (m->whole_epochs)
                        ground_text_appendf(out, ",\"first_epoch\":%" PRIu64 ",\"last_epoch\":%" PRIu64 "}", m->epoch,
                                            m->last_epoch);
                else
                        ground_text_appendf(out,
                                            ",\"epoch\":%" PRIu64 ",\"first_seq\":%" PRIu64 ",\"last_seq\":%" PRIu64 "}",
                                            m->epoch, m->first_seq, m->last_seq);
        }
        ground_text_append(out, "]");
}

/* The record's fields, each "name":value, or null for a record not accepted. */
static const char *const record_members[] = {
        "device", "epoch", "seq", "vector", "outcome", "status", "pressure_bits", "dose", "uplink_lo", "uplink_hi",
        "telemetry_len", "telemetry_sha256", "dropped_wakes", "rejected_frames", "boot_flags", "payload", "proof",
};

static void append_json_record(struct ground_text *out, const struct ground_event *e) {
        if (e->verdict != GROUND_VALID) {
                for (size_t i = 0; i < sizeof(record_members) / sizeof(record_members[0]); i++)
                        ground_text_appendf(out, ",\"%s\":null", record_members[i]);
                return;
        }
        const struct aether_proof_record *r = &e->rec;
        ground_text_append(out, ",\"device\":");
        append_json_hex(out, r->device_id, AETHER_DEVICE_ID_SIZE);
        ground_text_appendf(out,
                            ",\"epoch\":%" PRIu64 ",\"seq\":%" PRIu64 ",\"vector\":\"0x%02x\",\"outcome\":\"%s\""
                            ",\"status\":%" PRId32 ",\"pressure_bits\":\"0x%08" PRIx32 "\",\"dose\":%" PRId32
                            ",\"uplink_lo\":%" PRIu32 ",\"uplink_hi\":%" PRIu32 ",\"telemetry_len\":%" PRIu32
                            ",\"telemetry_sha256\":",
                            r->epoch, r->seq, r->vector, aether_fault_name(r->outcome), r->status, r->pressure_bits,
                            r->dose, r->uplink_lo, r->uplink_hi, r->telemetry_len);
        append_json_hex(out, r->telemetry_sha256, AETHER_SHA256_SIZE);
        ground_text_appendf(out,
                            ",\"dropped_wakes\":%" PRIu64 ",\"rejected_frames\":%" PRIu64 ",\"boot_flags\":%" PRIu64
                            ",\"payload\":",
                            r->dropped_wakes, r->rejected_frames, r->boot_flags);
        append_json_hex(out, r->payload_sha256, AETHER_SHA256_SIZE);
        ground_text_appendf(out, ",\"proof\":\"0x%016" PRIx64 "\"", e->tag);
}

static const char *verdict_name(enum ground_verdict verdict) {
        /* No default: the compiler flags a verdict without a name. */
        switch (verdict) {
        case GROUND_VALID:
                return "valid";
        case GROUND_INVALID:
                return "invalid";
        case GROUND_NO_COMMIT:
                return "none";
        }
        return "?";
}

void ground_format_event_json(const struct ground_event *e, struct ground_text *out) {
        ground_text_append(out, "{\"input\":");
        append_json_string(out, e->input);
        ground_text_appendf(out, ",\"index\":%zu,\"verdict\":\"%s\",\"reason\":", e->index, verdict_name(e->verdict));
        if (e->verdict == GROUND_VALID)
                ground_text_append(out, "null");
        else
                append_json_string(out, e->reason);
        append_json_record(out, e);
        ground_text_append(out, ",\"missing\":");
        append_json_missing(out, e->missing, e->missing_count);
        ground_text_append(out, "}\n");
}

void ground_format_summary_json(const struct ground_verifier *v, const struct ground_missing *missing, size_t count,
                                struct ground_text *out) {
        ground_text_appendf(out,
                            "{\"summary\":{\"valid\":%" PRIu64 ",\"invalid\":%" PRIu64 ",\"missing\":%" PRIu64
                            ",\"missing_boots\":%" PRIu64 "},\"missing\":",
                            v->valid, v->invalid, v->missing_records, v->missing_boots);
        append_json_missing(out, missing, count);
        ground_text_append(out, "}\n");
}
