/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* tpm2_command.c: TPM 2.0 command marshaling and defensive response parsing (TPM 2.0 Library, Parts 2 and 3). */
#include "tpm2_command.h"

#include <stdbool.h>
#include <string.h>

/* Part 2 constants. */
#define TPM_ST_NO_SESSIONS 0x8001u
#define TPM_ST_SESSIONS 0x8002u
#define TPM_CC_NV_INCREMENT 0x00000134u
#define TPM_CC_NV_READ 0x0000014eu
#define TPM_CC_LOAD 0x00000157u
#define TPM_CC_UNSEAL 0x0000015eu
#define TPM_CC_FLUSH_CONTEXT 0x00000165u
#define TPM_CC_START_AUTH_SESSION 0x00000176u
#define TPM_CC_PCR_READ 0x0000017eu
#define TPM_CC_POLICY_PCR 0x0000017fu
#define TPM_RH_NULL 0x40000007u
#define TPM_RS_PW 0x40000009u
#define TPM_ALG_SHA256 0x000bu
#define TPM_ALG_NULL 0x0010u
#define TPM_SE_POLICY 0x01u
#define TPMA_SESSION_CONTINUE 0x01u
#define TPM_HEADER_SIZE 10         /* tag, size, command or response code */
#define TPM_PCR_SELECT_SIZE 3      /* PCRs 0-23 */
#define TPM_NV_COUNTER_SIZE 8

const char *aether_tpm2_command_name(enum aether_tpm2_command command) {
        switch (command) {
        case AETHER_TPM2_COMMAND_LOAD:
                return "TPM2_Load";
        case AETHER_TPM2_COMMAND_START_AUTH_SESSION:
                return "TPM2_StartAuthSession";
        case AETHER_TPM2_COMMAND_POLICY_PCR:
                return "TPM2_PolicyPCR";
        case AETHER_TPM2_COMMAND_UNSEAL:
                return "TPM2_Unseal";
        case AETHER_TPM2_COMMAND_FLUSH_CONTEXT:
                return "TPM2_FlushContext";
        case AETHER_TPM2_COMMAND_NV_INCREMENT:
                return "TPM2_NV_Increment";
        case AETHER_TPM2_COMMAND_NV_READ:
                return "TPM2_NV_Read";
        case AETHER_TPM2_COMMAND_PCR_READ:
                return "TPM2_PCR_Read";
        }
        return "TPM2_?";
}

/* ---- the sealed blob ------------------------------------------------------ */

static uint16_t get16(const uint8_t *p) {
        return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p) {
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

const char *aether_tpm2_sealed_blob_parse(const uint8_t *file, size_t size, struct aether_tpm2_sealed_blob *blob) {
        if (size < 2)
                return "shorter than a TPM2B_PUBLIC size field";
        size_t public_body = get16(file);
        if (public_body == 0 || public_body > AETHER_TPM2_SEALED_PUBLIC_MAX)
                return "TPM2B_PUBLIC size out of range";
        if (size - 2 < public_body + 2)
                return "file ends inside the TPM2B_PUBLIC or before the TPM2B_PRIVATE";
        size_t private_body = get16(file + 2 + public_body);
        if (private_body == 0 || private_body > AETHER_TPM2_SEALED_PRIVATE_MAX)
                return "TPM2B_PRIVATE size out of range";
        if (size != 2 + public_body + 2 + private_body)
                return size < 2 + public_body + 2 + private_body ? "file ends inside the TPM2B_PRIVATE"
                                                                  : "bytes after the TPM2B_PRIVATE";
        blob->public_area = file;
        blob->public_size = 2 + public_body;
        blob->private_area = file + 2 + public_body;
        blob->private_size = 2 + private_body;
        return NULL;
}

/* ---- marshaling ----------------------------------------------------------- */

/* A command under construction; out has AETHER_TPM2_BUFFER_MAX bytes and
 * every builder stays well inside it (the blob's bounds included). */
struct writer {
        uint8_t *out;
        size_t len;
};

static void put8(struct writer *w, uint8_t v) {
        w->out[w->len++] = v;
}

static void put16(struct writer *w, uint16_t v) {
        put8(w, (uint8_t)(v >> 8));
        put8(w, (uint8_t)v);
}

static void put32(struct writer *w, uint32_t v) {
        put16(w, (uint16_t)(v >> 16));
        put16(w, (uint16_t)v);
}

static void put_bytes(struct writer *w, const uint8_t *bytes, size_t len) {
        memcpy(w->out + w->len, bytes, len);
        w->len += len;
}

/* The header with a size patched by finish(). */
static struct writer start(uint8_t *out, uint16_t tag, uint32_t code) {
        struct writer w = {out, 0};
        put16(&w, tag);
        put32(&w, 0);
        put32(&w, code);
        return w;
}

static size_t finish(struct writer *w) {
        struct writer size = {w->out, 2};
        put32(&size, (uint32_t)w->len);
        return w->len;
}

/* One authorisation area holding one session with empty nonce and hmac:
 * TPM_RS_PW with the empty password, or a policy session. */
static void put_authorization(struct writer *w, uint32_t session, uint8_t attributes) {
        put32(w, 4 + 2 + 1 + 2); /* authorizationSize */
        put32(w, session);
        put16(w, 0); /* nonceCaller */
        put8(w, attributes);
        put16(w, 0); /* hmac: the empty password, or a policy without PolicyAuthValue */
}

static void put_pcr_selection(struct writer *w) {
        put32(w, 1); /* TPML_PCR_SELECTION.count */
        put16(w, TPM_ALG_SHA256);
        put8(w, TPM_PCR_SELECT_SIZE);
        for (unsigned byte = 0; byte < TPM_PCR_SELECT_SIZE; byte++)
                put8(w, byte == AETHER_TPM2_POLICY_PCR / 8 ? (uint8_t)(1u << AETHER_TPM2_POLICY_PCR % 8) : 0);
}

size_t aether_tpm2_build_load(uint8_t out[AETHER_TPM2_BUFFER_MAX], const struct aether_tpm2_sealed_blob *blob) {
        struct writer w = start(out, TPM_ST_SESSIONS, TPM_CC_LOAD);
        put32(&w, AETHER_TPM2_SRK_HANDLE);
        put_authorization(&w, TPM_RS_PW, 0);
        put_bytes(&w, blob->private_area, blob->private_size);
        put_bytes(&w, blob->public_area, blob->public_size);
        return finish(&w);
}

size_t aether_tpm2_build_start_auth_session(uint8_t out[AETHER_TPM2_BUFFER_MAX],
                                            const uint8_t nonce[AETHER_TPM2_NONCE_SIZE]) {
        struct writer w = start(out, TPM_ST_NO_SESSIONS, TPM_CC_START_AUTH_SESSION);
        put32(&w, TPM_RH_NULL); /* tpmKey: no salt */
        put32(&w, TPM_RH_NULL); /* bind: none */
        put16(&w, AETHER_TPM2_NONCE_SIZE);
        put_bytes(&w, nonce, AETHER_TPM2_NONCE_SIZE);
        put16(&w, 0); /* encryptedSalt */
        put8(&w, TPM_SE_POLICY);
        put16(&w, TPM_ALG_NULL); /* symmetric: no parameter encryption, so no keyBits or mode */
        put16(&w, TPM_ALG_SHA256);
        return finish(&w);
}

size_t aether_tpm2_build_policy_pcr(uint8_t out[AETHER_TPM2_BUFFER_MAX], uint32_t session) {
        struct writer w = start(out, TPM_ST_NO_SESSIONS, TPM_CC_POLICY_PCR);
        put32(&w, session);
        put16(&w, 0); /* pcrDigest: empty, the TPM digests the PCR's current value */
        put_pcr_selection(&w);
        return finish(&w);
}

size_t aether_tpm2_build_unseal(uint8_t out[AETHER_TPM2_BUFFER_MAX], uint32_t object, uint32_t session) {
        struct writer w = start(out, TPM_ST_SESSIONS, TPM_CC_UNSEAL);
        put32(&w, object);
        put_authorization(&w, session, TPMA_SESSION_CONTINUE);
        return finish(&w);
}

size_t aether_tpm2_build_flush_context(uint8_t out[AETHER_TPM2_BUFFER_MAX], uint32_t handle) {
        struct writer w = start(out, TPM_ST_NO_SESSIONS, TPM_CC_FLUSH_CONTEXT);
        put32(&w, handle); /* a parameter, not a handle-area entry */
        return finish(&w);
}

size_t aether_tpm2_build_nv_increment(uint8_t out[AETHER_TPM2_BUFFER_MAX], uint32_t nv_index) {
        struct writer w = start(out, TPM_ST_SESSIONS, TPM_CC_NV_INCREMENT);
        put32(&w, nv_index); /* authHandle: the index authorises itself (TPMA_NV_AUTHWRITE) */
        put32(&w, nv_index);
        put_authorization(&w, TPM_RS_PW, 0);
        return finish(&w);
}

size_t aether_tpm2_build_nv_read_counter(uint8_t out[AETHER_TPM2_BUFFER_MAX], uint32_t nv_index) {
        struct writer w = start(out, TPM_ST_SESSIONS, TPM_CC_NV_READ);
        put32(&w, nv_index); /* authHandle: TPMA_NV_AUTHREAD */
        put32(&w, nv_index);
        put_authorization(&w, TPM_RS_PW, 0);
        put16(&w, TPM_NV_COUNTER_SIZE);
        put16(&w, 0); /* offset */
        return finish(&w);
}

size_t aether_tpm2_build_pcr_read(uint8_t out[AETHER_TPM2_BUFFER_MAX]) {
        struct writer w = start(out, TPM_ST_NO_SESSIONS, TPM_CC_PCR_READ);
        put_pcr_selection(&w);
        return finish(&w);
}

/* ---- parsing -------------------------------------------------------------- */

/* A response being read; any read past the end sets bad and yields zeros. */
struct reader {
        const uint8_t *data;
        size_t size;
        size_t pos;
        bool bad;
};

static bool take(struct reader *r, size_t len) {
        if (r->bad || r->size - r->pos < len) {
                r->bad = true;
                return false;
        }
        r->pos += len;
        return true;
}

static uint8_t read8(struct reader *r) {
        return take(r, 1) ? r->data[r->pos - 1] : 0;
}

static uint16_t read16(struct reader *r) {
        return take(r, 2) ? get16(r->data + r->pos - 2) : 0;
}

static uint32_t read32(struct reader *r) {
        return take(r, 4) ? get32(r->data + r->pos - 4) : 0;
}

/* A TPM2B: its body's address (NULL when it overruns) and size. */
static const uint8_t *read_tpm2b(struct reader *r, size_t *size) {
        *size = read16(r);
        return take(r, *size) ? r->data + r->pos - *size : NULL;
}

/* The header: the size field must equal the bytes received; on success the
 * tag must be the one the command's sessions call for. A refusal carries no
 * parameters (Part 1, 18.4: TPM_ST_NO_SESSIONS, size 10). */
static enum aether_tpm2_outcome open_response(struct reader *r, const uint8_t *response, size_t size,
                                              uint16_t success_tag, uint32_t *rc) {
        *r = (struct reader){response, size, 0, false};
        *rc = 0;
        uint16_t tag = read16(r);
        uint32_t declared = read32(r);
        uint32_t code = read32(r);
        if (r->bad || declared != size)
                return AETHER_TPM2_OUTCOME_MALFORMED;
        *rc = code;
        if (code != 0)
                return tag == TPM_ST_NO_SESSIONS && size == TPM_HEADER_SIZE ? AETHER_TPM2_OUTCOME_REFUSED
                                                                            : AETHER_TPM2_OUTCOME_MALFORMED;
        return tag == success_tag ? AETHER_TPM2_OUTCOME_OK : AETHER_TPM2_OUTCOME_MALFORMED;
}

/* TPM_ST_SESSIONS responses: parameterSize, which must reach exactly to the
 * response authorisation area; returns where the parameters end. */
static size_t read_parameter_size(struct reader *r) {
        uint32_t parameters = read32(r);
        if (r->bad || parameters > r->size - r->pos) {
                r->bad = true;
                return 0;
        }
        return r->pos + parameters;
}

/* One session's response authorisation (nonceTPM, attributes, hmac), which
 * must end the response exactly at parameters_end + its own size. */
static void read_response_authorization(struct reader *r, size_t parameters_end) {
        size_t ignored;
        if (r->pos != parameters_end)
                r->bad = true;
        read_tpm2b(r, &ignored); /* nonceTPM: a policy session returns one */
        read8(r);                /* sessionAttributes */
        read_tpm2b(r, &ignored); /* hmac: empty for a password or policy session */
}

static enum aether_tpm2_outcome close_response(const struct reader *r) {
        return !r->bad && r->pos == r->size ? AETHER_TPM2_OUTCOME_OK : AETHER_TPM2_OUTCOME_MALFORMED;
}

enum aether_tpm2_outcome aether_tpm2_parse_load(const uint8_t *response, size_t size, uint32_t *rc,
                                                uint32_t *object) {
        struct reader r;
        enum aether_tpm2_outcome outcome = open_response(&r, response, size, TPM_ST_SESSIONS, rc);
        if (outcome != AETHER_TPM2_OUTCOME_OK)
                return outcome;
        *object = read32(&r);
        size_t parameters_end = read_parameter_size(&r);
        size_t name_size;
        read_tpm2b(&r, &name_size);
        read_response_authorization(&r, parameters_end);
        return close_response(&r);
}

enum aether_tpm2_outcome aether_tpm2_parse_start_auth_session(const uint8_t *response, size_t size, uint32_t *rc,
                                                              uint32_t *session) {
        struct reader r;
        enum aether_tpm2_outcome outcome = open_response(&r, response, size, TPM_ST_NO_SESSIONS, rc);
        if (outcome != AETHER_TPM2_OUTCOME_OK)
                return outcome;
        *session = read32(&r);
        size_t nonce_size;
        read_tpm2b(&r, &nonce_size);
        return close_response(&r);
}

enum aether_tpm2_outcome aether_tpm2_parse_no_parameters(const uint8_t *response, size_t size,
                                                         enum aether_tpm2_command command, uint32_t *rc) {
        bool sessions = command == AETHER_TPM2_COMMAND_NV_INCREMENT;
        struct reader r;
        enum aether_tpm2_outcome outcome =
                open_response(&r, response, size, sessions ? TPM_ST_SESSIONS : TPM_ST_NO_SESSIONS, rc);
        if (outcome != AETHER_TPM2_OUTCOME_OK)
                return outcome;
        if (sessions)
                read_response_authorization(&r, read_parameter_size(&r));
        return close_response(&r);
}

/* A TPM_ST_SESSIONS response whose one parameter is a TPM2B of exactly want
 * bytes (TPM2_Unseal's outData, TPM2_NV_Read's data); *body points at them. */
static enum aether_tpm2_outcome parse_sized_parameter(const uint8_t *response, size_t size, uint32_t *rc,
                                                      size_t want, const uint8_t **body) {
        struct reader r;
        enum aether_tpm2_outcome outcome = open_response(&r, response, size, TPM_ST_SESSIONS, rc);
        if (outcome != AETHER_TPM2_OUTCOME_OK)
                return outcome;
        size_t parameters_end = read_parameter_size(&r);
        size_t got;
        *body = read_tpm2b(&r, &got);
        read_response_authorization(&r, parameters_end);
        return close_response(&r) == AETHER_TPM2_OUTCOME_OK && got == want ? AETHER_TPM2_OUTCOME_OK
                                                                          : AETHER_TPM2_OUTCOME_MALFORMED;
}

enum aether_tpm2_outcome aether_tpm2_parse_unseal(const uint8_t *response, size_t size, uint32_t *rc,
                                                  uint8_t *data, size_t data_size) {
        const uint8_t *out;
        enum aether_tpm2_outcome outcome = parse_sized_parameter(response, size, rc, data_size, &out);
        if (outcome == AETHER_TPM2_OUTCOME_OK)
                memcpy(data, out, data_size);
        return outcome;
}

enum aether_tpm2_outcome aether_tpm2_parse_nv_read_counter(const uint8_t *response, size_t size, uint32_t *rc,
                                                           uint64_t *counter) {
        const uint8_t *data;
        enum aether_tpm2_outcome outcome = parse_sized_parameter(response, size, rc, TPM_NV_COUNTER_SIZE, &data);
        if (outcome == AETHER_TPM2_OUTCOME_OK)
                *counter = (uint64_t)get32(data) << 32 | get32(data + 4);
        return outcome;
}

enum aether_tpm2_outcome aether_tpm2_parse_pcr_read(const uint8_t *response, size_t size, uint32_t *rc,
                                                    uint8_t digest[AETHER_TPM2_SHA256_SIZE]) {
        struct reader r;
        enum aether_tpm2_outcome outcome = open_response(&r, response, size, TPM_ST_NO_SESSIONS, rc);
        if (outcome != AETHER_TPM2_OUTCOME_OK)
                return outcome;
        read32(&r); /* pcrUpdateCounter */
        /* pcrSelectionOut: exactly the selection asked for (a PCR the TPM
         * does not have would come back deselected). */
        uint8_t expected[4 + 2 + 1 + TPM_PCR_SELECT_SIZE];
        struct writer w = {expected, 0};
        put_pcr_selection(&w);
        bool same_selection = take(&r, sizeof(expected)) && memcmp(r.data + r.pos - sizeof(expected), expected,
                                                                  sizeof(expected)) == 0;
        uint32_t count = read32(&r);
        size_t value_size;
        const uint8_t *value = read_tpm2b(&r, &value_size);
        if (close_response(&r) != AETHER_TPM2_OUTCOME_OK || !same_selection || count != 1 ||
            value_size != AETHER_TPM2_SHA256_SIZE)
                return AETHER_TPM2_OUTCOME_MALFORMED;
        memcpy(digest, value, AETHER_TPM2_SHA256_SIZE);
        return AETHER_TPM2_OUTCOME_OK;
}
