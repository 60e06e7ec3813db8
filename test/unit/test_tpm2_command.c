/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* test_tpm2_command.c: unit tests of the TPM 2.0 marshaling against canned command and response bytes. */
#include "check.h"
#include "tpm2_command.h"

#include <string.h>

#define SIZE(array) sizeof(array), array

/* A builder's output equals the bytes written out from TPM 2.0 Part 3. */
static void check_command(const char *name, const uint8_t *out, size_t len, size_t expected_len,
                          const uint8_t *expected) {
        CHECK_MSG(len == expected_len && memcmp(out, expected, len) == 0, "%s: %zu bytes, expected %zu", name, len,
                  expected_len);
}

/* A sealed blob: TPM2B_PUBLIC of 3 bytes, TPM2B_PRIVATE of 2. */
static const uint8_t blob_file[] = {0x00, 0x03, 0xa1, 0xa2, 0xa3, 0x00, 0x02, 0xb1, 0xb2};

static void test_sealed_blob(void) {
        struct aether_tpm2_sealed_blob blob;
        CHECK(aether_tpm2_sealed_blob_parse(blob_file, sizeof blob_file, &blob) == NULL);
        CHECK(blob.public_area == blob_file && blob.public_size == 5);
        CHECK(blob.private_area == blob_file + 5 && blob.private_size == 4);
        for (size_t len = 0; len < sizeof blob_file; len++)
                CHECK_MSG(aether_tpm2_sealed_blob_parse(blob_file, len, &blob) != NULL, "truncated to %zu", len);
        uint8_t longer[sizeof blob_file + 1] = {0};
        memcpy(longer, blob_file, sizeof blob_file);
        CHECK(strcmp(aether_tpm2_sealed_blob_parse(longer, sizeof longer, &blob), "bytes after the TPM2B_PRIVATE") ==
              0);
        const uint8_t empty_public[] = {0x00, 0x00, 0x00, 0x01, 0xb1};
        CHECK(strcmp(aether_tpm2_sealed_blob_parse(empty_public, sizeof empty_public, &blob),
                     "TPM2B_PUBLIC size out of range") == 0);
        const uint8_t huge_private[] = {0x00, 0x01, 0xa1, 0x01, 0x91};
        CHECK(strcmp(aether_tpm2_sealed_blob_parse(huge_private, sizeof huge_private, &blob),
                     "TPM2B_PRIVATE size out of range") == 0);
}

static void test_builders(void) {
        uint8_t out[AETHER_TPM2_BUFFER_MAX];
        struct aether_tpm2_sealed_blob blob;
        CHECK(aether_tpm2_sealed_blob_parse(blob_file, sizeof blob_file, &blob) == NULL);

        static const uint8_t load[] = {
                0x80, 0x02, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x01, 0x57, /* ST_SESSIONS, 36, TPM_CC_Load */
                0x81, 0x00, 0x00, 0x01,                                     /* parentHandle: the SRK */
                0x00, 0x00, 0x00, 0x09, 0x40, 0x00, 0x00, 0x09,             /* authorizationSize, TPM_RS_PW */
                0x00, 0x00, 0x00, 0x00, 0x00,                               /* nonce, attributes, hmac */
                0x00, 0x02, 0xb1, 0xb2,                                     /* inPrivate */
                0x00, 0x03, 0xa1, 0xa2, 0xa3,                               /* inPublic */
        };
        check_command("Load", out, aether_tpm2_build_load(out, &blob), SIZE(load));

        uint8_t nonce[AETHER_TPM2_NONCE_SIZE];
        for (unsigned i = 0; i < sizeof nonce; i++)
                nonce[i] = (uint8_t)(0xc0 + i);
        uint8_t session[10 + 8 + 2 + AETHER_TPM2_NONCE_SIZE + 2 + 1 + 2 + 2] = {
                0x80, 0x01, 0x00, 0x00, 0x00, 0x3b, 0x00, 0x00, 0x01, 0x76, /* ST_NO_SESSIONS, 59 */
                0x40, 0x00, 0x00, 0x07, 0x40, 0x00, 0x00, 0x07,             /* tpmKey, bind: TPM_RH_NULL */
                0x00, 0x20,                                                 /* nonceCaller: 32 bytes */
        };
        memcpy(session + 20, nonce, sizeof nonce);
        static const uint8_t session_tail[] = {0x00, 0x00, 0x01, 0x00, 0x10, 0x00, 0x0b};
        memcpy(session + 52, session_tail, sizeof session_tail);
        check_command("StartAuthSession", out, aether_tpm2_build_start_auth_session(out, nonce), SIZE(session));

        static const uint8_t policy_pcr[] = {
                0x80, 0x01, 0x00, 0x00, 0x00, 0x1a, 0x00, 0x00, 0x01, 0x7f, 0x03, 0x00, 0x00, 0x00, /* session */
                0x00, 0x00,                                                 /* pcrDigest: empty */
                0x00, 0x00, 0x00, 0x01, 0x00, 0x0b, 0x03, 0x80, 0x00, 0x00, /* sha256: {7} */
        };
        check_command("PolicyPCR", out, aether_tpm2_build_policy_pcr(out, 0x03000000), SIZE(policy_pcr));

        static const uint8_t unseal[] = {
                0x80, 0x02, 0x00, 0x00, 0x00, 0x1b, 0x00, 0x00, 0x01, 0x5e, 0x80, 0x00, 0x00, 0x01, /* object */
                0x00, 0x00, 0x00, 0x09, 0x03, 0x00, 0x00, 0x00,             /* the policy session */
                0x00, 0x00, 0x01, 0x00, 0x00,                               /* continueSession */
        };
        check_command("Unseal", out, aether_tpm2_build_unseal(out, 0x80000001, 0x03000000), SIZE(unseal));

        static const uint8_t flush[] = {0x80, 0x01, 0x00, 0x00, 0x00, 0x0e, 0x00, 0x00,
                                        0x01, 0x65, 0x80, 0x00, 0x00, 0x01};
        check_command("FlushContext", out, aether_tpm2_build_flush_context(out, 0x80000001), SIZE(flush));

        static const uint8_t increment[] = {
                0x80, 0x02, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x01, 0x34, 0x01, 0x80, 0x0a, 0xe0,
                0x01, 0x80, 0x0a, 0xe0, 0x00, 0x00, 0x00, 0x09, 0x40, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00,
        };
        check_command("NV_Increment", out, aether_tpm2_build_nv_increment(out, AETHER_TPM2_EPOCH_NV_INDEX),
                      SIZE(increment));

        static const uint8_t read[] = {
                0x80, 0x02, 0x00, 0x00, 0x00, 0x23, 0x00, 0x00, 0x01, 0x4e, 0x01, 0x80, 0x0a, 0xe0,
                0x01, 0x80, 0x0a, 0xe0, 0x00, 0x00, 0x00, 0x09, 0x40, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00,
                0x00, 0x08, 0x00, 0x00, /* size 8, offset 0 */
        };
        check_command("NV_Read", out, aether_tpm2_build_nv_read_counter(out, AETHER_TPM2_EPOCH_NV_INDEX),
                      SIZE(read));

        static const uint8_t pcr_read[] = {0x80, 0x01, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x01, 0x7e,
                                           0x00, 0x00, 0x00, 0x01, 0x00, 0x0b, 0x03, 0x80, 0x00, 0x00};
        check_command("PCR_Read", out, aether_tpm2_build_pcr_read(out), SIZE(pcr_read));
}

/* Canned responses in the layout swtpm 0.7.1 answers (Part 3, each command's response table). */
static const uint8_t load_ok[] = {
        0x80, 0x02, 0x00, 0x00, 0x00, 0x29, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x01, /* objectHandle */
        0x00, 0x00, 0x00, 0x12, 0x00, 0x10, 0x00, 0x0b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, /* name */
        0x00, 0x00, 0x01, 0x00, 0x00,                                  /* the password session's answer */
};
static const uint8_t unseal_ok[] = {
        0x80, 0x02, 0x00, 0x00, 0x00, 0x35, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x12, /* parameterSize */
        0x00, 0x10, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
        0x00, 0x10, 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef,
        0x01, 0x00, 0x00, /* nonceTPM, continueSession, empty hmac */
};
static const uint8_t refused[] = {0x80, 0x01, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x09, 0x9d}; /* TPM_RC_POLICY_FAIL */

static void test_parsers(void) {
        uint32_t rc, handle = 0;
        CHECK(aether_tpm2_parse_load(load_ok, sizeof load_ok, &rc, &handle) ==
                      AETHER_TPM2_OUTCOME_OK &&
              rc == 0 && handle == 0x80000001);
        CHECK(aether_tpm2_parse_load(refused, sizeof refused, &rc, &handle) == AETHER_TPM2_OUTCOME_REFUSED &&
              rc == 0x99d);

        uint8_t key[16];
        CHECK(aether_tpm2_parse_unseal(unseal_ok, sizeof unseal_ok, &rc, key, sizeof key) == AETHER_TPM2_OUTCOME_OK);
        for (unsigned i = 0; i < sizeof key; i++)
                CHECK(key[i] == 0x10 + i);
        /* The key must have exactly the size asked for. */
        CHECK(aether_tpm2_parse_unseal(unseal_ok, sizeof unseal_ok, &rc, key, 8) == AETHER_TPM2_OUTCOME_MALFORMED);

        static const uint8_t session_ok[] = {0x80, 0x01, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00,
                                             0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0xaa, 0xbb, 0xcc, 0xdd};
        CHECK(aether_tpm2_parse_start_auth_session(session_ok, sizeof session_ok, &rc, &handle) ==
                      AETHER_TPM2_OUTCOME_OK &&
              handle == 0x03000000);

        static const uint8_t plain_ok[] = {0x80, 0x01, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00};
        static const uint8_t increment_ok[] = {0x80, 0x02, 0x00, 0x00, 0x00, 0x13, 0x00, 0x00, 0x00, 0x00,
                                               0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00};
        CHECK(aether_tpm2_parse_no_parameters(plain_ok, sizeof plain_ok, AETHER_TPM2_COMMAND_POLICY_PCR, &rc) ==
              AETHER_TPM2_OUTCOME_OK);
        CHECK(aether_tpm2_parse_no_parameters(increment_ok, sizeof increment_ok, AETHER_TPM2_COMMAND_NV_INCREMENT,
                                              &rc) == AETHER_TPM2_OUTCOME_OK);
        /* The tag must match the command's sessions. */
        CHECK(aether_tpm2_parse_no_parameters(plain_ok, sizeof plain_ok, AETHER_TPM2_COMMAND_NV_INCREMENT, &rc) ==
              AETHER_TPM2_OUTCOME_MALFORMED);

        static const uint8_t read_ok[] = {0x80, 0x02, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x00,
                                          0x00, 0x00, 0x00, 0x0a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01,
                                          0x00, 0x00, 0x00, 0x2a, 0x00, 0x00, 0x01, 0x00, 0x00};
        uint64_t counter = 0;
        CHECK(aether_tpm2_parse_nv_read_counter(read_ok, sizeof read_ok, &rc, &counter) == AETHER_TPM2_OUTCOME_OK &&
              counter == 0x10000002aull);

        uint8_t pcr_ok[10 + 4 + 10 + 4 + 2 + 32] = {0x80, 0x01, 0x00, 0x00, 0x00, 0x3e, 0x00, 0x00, 0x00, 0x00,
                                                    0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0b,
                                                    0x03, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x20};
        for (unsigned i = 0; i < 32; i++)
                pcr_ok[30 + i] = (uint8_t)i;
        uint8_t digest[AETHER_TPM2_SHA256_SIZE];
        CHECK(aether_tpm2_parse_pcr_read(pcr_ok, sizeof pcr_ok, &rc, digest) == AETHER_TPM2_OUTCOME_OK &&
              digest[31] == 31);
        pcr_ok[21] = 0x00; /* PCR 7 deselected: the TPM has no such PCR */
        CHECK(aether_tpm2_parse_pcr_read(pcr_ok, sizeof pcr_ok, &rc, digest) == AETHER_TPM2_OUTCOME_MALFORMED);
}

/* Every truncation, a wrong size field and a trailing byte are malformed. */
static void test_malformed(void) {
        uint32_t rc, handle;
        uint8_t key[16];
        for (size_t len = 0; len < sizeof unseal_ok; len++) {
                uint8_t cut[sizeof unseal_ok];
                memcpy(cut, unseal_ok, len);
                if (len >= 6)
                        cut[5] = (uint8_t)len; /* a consistent size field, so the body is what is short */
                CHECK_MSG(aether_tpm2_parse_unseal(cut, len, &rc, key, sizeof key) == AETHER_TPM2_OUTCOME_MALFORMED,
                          "unseal response cut to %zu bytes", len);
        }
        for (size_t len = 0; len < sizeof load_ok; len++)
                CHECK_MSG(aether_tpm2_parse_load(load_ok, len, &rc, &handle) == AETHER_TPM2_OUTCOME_MALFORMED,
                          "load response cut to %zu bytes", len);
        uint8_t longer[sizeof load_ok + 1];
        memcpy(longer, load_ok, sizeof load_ok);
        longer[sizeof load_ok] = 0;
        longer[5]++;
        CHECK(aether_tpm2_parse_load(longer, sizeof longer, &rc, &handle) == AETHER_TPM2_OUTCOME_MALFORMED);
        /* parameterSize pointing past the response. */
        uint8_t bad_parameters[sizeof unseal_ok];
        memcpy(bad_parameters, unseal_ok, sizeof unseal_ok);
        bad_parameters[13] = 0x40;
        CHECK(aether_tpm2_parse_unseal(bad_parameters, sizeof bad_parameters, &rc, key, sizeof key) ==
              AETHER_TPM2_OUTCOME_MALFORMED);
        /* A refusal carrying parameters. */
        uint8_t refused_long[sizeof refused + 1];
        memcpy(refused_long, refused, sizeof refused);
        refused_long[5]++;
        refused_long[sizeof refused] = 0;
        CHECK(aether_tpm2_parse_load(refused_long, sizeof refused_long, &rc, &handle) ==
                      AETHER_TPM2_OUTCOME_MALFORMED &&
              rc == 0x99d);
}

static void test_names(void) {
        CHECK(strcmp(aether_tpm2_command_name(AETHER_TPM2_COMMAND_UNSEAL), "TPM2_Unseal") == 0);
        CHECK(strcmp(aether_tpm2_command_name(AETHER_TPM2_COMMAND_NV_INCREMENT), "TPM2_NV_Increment") == 0);
}

int main(void) {
        test_sealed_blob();
        test_builders();
        test_parsers();
        test_malformed();
        test_names();
        return check_summary("tpm2_command");
}
