/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* tpm2_command.h: the TPM 2.0 commands the image sends (Part 3 layouts, big-endian), built and parsed without I/O. */
#ifndef AETHER_TPM2_COMMAND_H
#define AETHER_TPM2_COMMAND_H

#include <stddef.h>
#include <stdint.h>

/* Every command and response fits this many bytes (the sealed blob's two
 * halves are bounded below so that TPM2_Load does). */
#define AETHER_TPM2_BUFFER_MAX 1024

/* The persistent storage root key the sealed object is loaded under
 * (ARCHITECTURE.md 15.1: ECC NIST P-256, created by provisioning). */
#define AETHER_TPM2_SRK_HANDLE 0x81000001u

/* The boot-epoch counter: an NV index of the owner range (TCG handle
 * registry 0x01800000-0x01bfffff), TPMA_NV_COUNTER | AUTHREAD | AUTHWRITE |
 * NO_DA, empty authorisation value, 8 bytes. */
#define AETHER_TPM2_EPOCH_NV_INDEX 0x01800ae0u

/* The PCR the sealed key's policy covers: 7, Secure Boot state and signers. */
#define AETHER_TPM2_POLICY_PCR 7u

#define AETHER_TPM2_SHA256_SIZE 32
#define AETHER_TPM2_NONCE_SIZE 32 /* a SHA-256 session's caller nonce */

/* Bounds of the sealed blob's two halves (TPM2B sizes, without the size field). */
#define AETHER_TPM2_SEALED_PUBLIC_MAX 400
#define AETHER_TPM2_SEALED_PRIVATE_MAX 400

/* The outcome of parsing one response. */
enum aether_tpm2_outcome {
        AETHER_TPM2_OUTCOME_OK,        /* TPM_RC_SUCCESS and a well-formed response: the outputs are set */
        AETHER_TPM2_OUTCOME_REFUSED,   /* the TPM answered another response code (the *rc argument) */
        AETHER_TPM2_OUTCOME_MALFORMED, /* the bytes break Part 3's layout (sizes, tag, trailing bytes) */
};

/* The commands, named for log lines ("TPM2_Unseal"). */
enum aether_tpm2_command {
        AETHER_TPM2_COMMAND_LOAD,
        AETHER_TPM2_COMMAND_START_AUTH_SESSION,
        AETHER_TPM2_COMMAND_POLICY_PCR,
        AETHER_TPM2_COMMAND_UNSEAL,
        AETHER_TPM2_COMMAND_FLUSH_CONTEXT,
        AETHER_TPM2_COMMAND_NV_INCREMENT,
        AETHER_TPM2_COMMAND_NV_READ,
        AETHER_TPM2_COMMAND_PCR_READ,
};
const char *aether_tpm2_command_name(enum aether_tpm2_command command);

/* The sealed-key file, \EFI\aether\sealed-key.bin: a TPM2B_PUBLIC then a
 * TPM2B_PRIVATE, as tpm2_create -u and -r write them (each with its 2-byte
 * size), nothing after. The fields point into the file's bytes. */
struct aether_tpm2_sealed_blob {
        const uint8_t *public_area; /* the TPM2B_PUBLIC, size field included */
        size_t public_size;
        const uint8_t *private_area; /* the TPM2B_PRIVATE, size field included */
        size_t private_size;
};

/* Splits a sealed-key file; NULL, or a static reason it is malformed. */
const char *aether_tpm2_sealed_blob_parse(const uint8_t *file, size_t size, struct aether_tpm2_sealed_blob *blob);

/* Command builders: write the command into out[0..AETHER_TPM2_BUFFER_MAX) and
 * return its size. Authorisation is the empty password (TPM_RS_PW) except
 * for TPM2_Unseal, which uses the policy session. */
size_t aether_tpm2_build_load(uint8_t out[AETHER_TPM2_BUFFER_MAX], const struct aether_tpm2_sealed_blob *blob);
/* TPM_SE_POLICY, SHA-256, no salt (tpmKey TPM_RH_NULL), no bind, symmetric TPM_ALG_NULL. */
size_t aether_tpm2_build_start_auth_session(uint8_t out[AETHER_TPM2_BUFFER_MAX],
                                            const uint8_t nonce[AETHER_TPM2_NONCE_SIZE]);
/* PolicyPCR(sha256: {7}) with an empty pcrDigest: the TPM uses the PCR's current value. */
size_t aether_tpm2_build_policy_pcr(uint8_t out[AETHER_TPM2_BUFFER_MAX], uint32_t session);
/* The session's continueSession is set: the caller flushes it. */
size_t aether_tpm2_build_unseal(uint8_t out[AETHER_TPM2_BUFFER_MAX], uint32_t object, uint32_t session);
size_t aether_tpm2_build_flush_context(uint8_t out[AETHER_TPM2_BUFFER_MAX], uint32_t handle);
size_t aether_tpm2_build_nv_increment(uint8_t out[AETHER_TPM2_BUFFER_MAX], uint32_t nv_index);
/* Reads the 8-byte counter at offset 0. */
size_t aether_tpm2_build_nv_read_counter(uint8_t out[AETHER_TPM2_BUFFER_MAX], uint32_t nv_index);
/* PCR_Read(sha256: {7}). */
size_t aether_tpm2_build_pcr_read(uint8_t out[AETHER_TPM2_BUFFER_MAX]);

/* Response parsers: response[0..size) as the TPM returned it. *rc is the
 * response code whatever the outcome (0 when the header is malformed). */
enum aether_tpm2_outcome aether_tpm2_parse_load(const uint8_t *response, size_t size, uint32_t *rc,
                                                uint32_t *object);
enum aether_tpm2_outcome aether_tpm2_parse_start_auth_session(const uint8_t *response, size_t size, uint32_t *rc,
                                                              uint32_t *session);
/* For TPM2_PolicyPCR, TPM2_FlushContext and TPM2_NV_Increment, which return no parameters. */
enum aether_tpm2_outcome aether_tpm2_parse_no_parameters(const uint8_t *response, size_t size,
                                                         enum aether_tpm2_command command, uint32_t *rc);
/* The unsealed data: exactly data_size bytes, else MALFORMED. */
enum aether_tpm2_outcome aether_tpm2_parse_unseal(const uint8_t *response, size_t size, uint32_t *rc, uint8_t *data,
                                                  size_t data_size);
enum aether_tpm2_outcome aether_tpm2_parse_nv_read_counter(const uint8_t *response, size_t size, uint32_t *rc,
                                                           uint64_t *counter);
enum aether_tpm2_outcome aether_tpm2_parse_pcr_read(const uint8_t *response, size_t size, uint32_t *rc,
                                                    uint8_t digest[AETHER_TPM2_SHA256_SIZE]);

#endif
