/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* fuzz_tpm2_response.c: every TPM 2.0 response parser and the sealed-blob reader on arbitrary bytes. */
#include <string.h>

#include "require.h"
#include "tpm2_command.h"

/* The header's size field, as the parsers must check it. */
static size_t declared_size(const uint8_t *data, size_t size) {
        return size < 6 ? 0 : (size_t)data[2] << 24 | (size_t)data[3] << 16 | (size_t)data[4] << 8 | data[5];
}

/* A parser's outcome against what any response must be: OK and REFUSED need
 * a header whose size field is the length received; REFUSED is exactly a
 * 10-byte header with a non-zero code; OK carries code 0. */
static void check_outcome(enum aether_tpm2_outcome outcome, const uint8_t *data, size_t size, uint32_t rc) {
        if (outcome == AETHER_TPM2_OUTCOME_MALFORMED)
                return;
        REQUIRE(size >= 10 && declared_size(data, size) == size);
        uint32_t code = (uint32_t)data[6] << 24 | (uint32_t)data[7] << 16 | (uint32_t)data[8] << 8 | data[9];
        REQUIRE(rc == code);
        if (outcome == AETHER_TPM2_OUTCOME_REFUSED)
                REQUIRE(rc != 0 && size == 10);
        else
                REQUIRE(outcome == AETHER_TPM2_OUTCOME_OK && rc == 0);
}

/* Input: the whole of it as each response and as a sealed-key file. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        uint32_t rc, handle;
        uint8_t key[16], digest[AETHER_TPM2_SHA256_SIZE];
        uint64_t counter;
        check_outcome(aether_tpm2_parse_load(data, size, &rc, &handle), data, size, rc);
        check_outcome(aether_tpm2_parse_start_auth_session(data, size, &rc, &handle), data, size, rc);
        check_outcome(aether_tpm2_parse_no_parameters(data, size, AETHER_TPM2_COMMAND_POLICY_PCR, &rc), data, size,
                      rc);
        check_outcome(aether_tpm2_parse_no_parameters(data, size, AETHER_TPM2_COMMAND_NV_INCREMENT, &rc), data,
                      size, rc);
        enum aether_tpm2_outcome unseal = aether_tpm2_parse_unseal(data, size, &rc, key, sizeof key);
        check_outcome(unseal, data, size, rc);
        if (unseal == AETHER_TPM2_OUTCOME_OK)
                REQUIRE(memcmp(key, data + 16, sizeof key) == 0); /* after header, parameterSize, size */
        check_outcome(aether_tpm2_parse_nv_read_counter(data, size, &rc, &counter), data, size, rc);
        check_outcome(aether_tpm2_parse_pcr_read(data, size, &rc, digest), data, size, rc);

        /* An accepted blob is the whole file, its halves back to back, and its Load command fits. */
        struct aether_tpm2_sealed_blob blob;
        if (aether_tpm2_sealed_blob_parse(data, size, &blob) == NULL) {
                REQUIRE(blob.public_area == data && blob.private_area == data + blob.public_size);
                REQUIRE(blob.public_size + blob.private_size == size);
                uint8_t command[AETHER_TPM2_BUFFER_MAX];
                size_t len = aether_tpm2_build_load(command, &blob);
                REQUIRE(len == declared_size(command, len) && len <= sizeof command);
                REQUIRE(memcmp(command + len - blob.public_size, blob.public_area, blob.public_size) == 0);
        }
        return 0;
}
