/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* tpm2_sequence.c: the image's TPM command sequence, from enclave/tpm2_command.c, sent to a real swtpm on the host. */

/* Usage: tpm2-sequence SOCKET SEALED-KEY-FILE
 * SOCKET is swtpm's command socket (swtpm socket --server type=unixio,path=SOCKET, started up).
 * Runs what uefi/tpm2.c runs, in its order: PCR_Read; Load, StartAuthSession, PolicyPCR, Unseal,
 * FlushContext of both handles; NV_Increment and NV_Read of the epoch counter. Prints
 *   pcr7 HEX / key HEX (or "unseal refused by TPM2_x: rc 0x...") / epoch N
 * and exits 0 when every command was answered as expected, 1 when the TPM refused one, 2 on bad
 * input or a malformed response. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "tpm2_command.h"

static int tpm_socket = -1;

/* Sends one command and reads its whole response (the size is in its header). */
static size_t transact(const uint8_t *command, size_t len, uint8_t response[AETHER_TPM2_BUFFER_MAX]) {
        if (write(tpm_socket, command, len) != (ssize_t)len) {
                perror("tpm2-sequence: write");
                exit(2);
        }
        size_t got = 0, want = 10;
        while (got < want) {
                ssize_t n = read(tpm_socket, response + got, AETHER_TPM2_BUFFER_MAX - got);
                if (n <= 0) {
                        fprintf(stderr, "tpm2-sequence: the TPM closed the socket after %zu bytes\n", got);
                        exit(2);
                }
                got += (size_t)n;
                if (got >= 6)
                        want = (size_t)response[2] << 24 | (size_t)response[3] << 16 | (size_t)response[4] << 8 |
                               response[5];
                if (want > AETHER_TPM2_BUFFER_MAX) {
                        fprintf(stderr, "tpm2-sequence: response of %zu bytes\n", want);
                        exit(2);
                }
        }
        return got;
}

/* Reports a failed outcome; true when the command succeeded. */
static bool succeeded(enum aether_tpm2_outcome outcome, enum aether_tpm2_command command, uint32_t rc) {
        switch (outcome) {
        case AETHER_TPM2_OUTCOME_OK:
                return true;
        case AETHER_TPM2_OUTCOME_REFUSED:
                printf("refused by %s: rc 0x%x\n", aether_tpm2_command_name(command), rc);
                return false;
        case AETHER_TPM2_OUTCOME_MALFORMED:
                fprintf(stderr, "tpm2-sequence: malformed response to %s\n", aether_tpm2_command_name(command));
                exit(2);
        }
        return false;
}

static void print_hex(const char *label, const uint8_t *bytes, size_t len) {
        printf("%s ", label);
        for (size_t i = 0; i < len; i++)
                printf("%02x", bytes[i]);
        printf("\n");
}

static void flush(uint32_t handle) {
        uint8_t command[AETHER_TPM2_BUFFER_MAX], response[AETHER_TPM2_BUFFER_MAX];
        uint32_t rc;
        size_t got = transact(command, aether_tpm2_build_flush_context(command, handle), response);
        succeeded(aether_tpm2_parse_no_parameters(response, got, AETHER_TPM2_COMMAND_FLUSH_CONTEXT, &rc),
                  AETHER_TPM2_COMMAND_FLUSH_CONTEXT, rc);
}

/* The unseal half; false when the TPM refused a step. */
static bool unseal(const struct aether_tpm2_sealed_blob *blob) {
        uint8_t command[AETHER_TPM2_BUFFER_MAX], response[AETHER_TPM2_BUFFER_MAX];
        uint32_t rc, object, session = 0;
        size_t got = transact(command, aether_tpm2_build_load(command, blob), response);
        if (!succeeded(aether_tpm2_parse_load(response, got, &rc, &object), AETHER_TPM2_COMMAND_LOAD, rc))
                return false;
        uint8_t nonce[AETHER_TPM2_NONCE_SIZE] = {0};
        got = transact(command, aether_tpm2_build_start_auth_session(command, nonce), response);
        bool ok = succeeded(aether_tpm2_parse_start_auth_session(response, got, &rc, &session),
                            AETHER_TPM2_COMMAND_START_AUTH_SESSION, rc);
        if (ok) {
                got = transact(command, aether_tpm2_build_policy_pcr(command, session), response);
                ok = succeeded(aether_tpm2_parse_no_parameters(response, got, AETHER_TPM2_COMMAND_POLICY_PCR, &rc),
                               AETHER_TPM2_COMMAND_POLICY_PCR, rc);
        }
        uint8_t key[16];
        if (ok) {
                got = transact(command, aether_tpm2_build_unseal(command, object, session), response);
                ok = succeeded(aether_tpm2_parse_unseal(response, got, &rc, key, sizeof key),
                               AETHER_TPM2_COMMAND_UNSEAL, rc);
        }
        if (ok)
                print_hex("key", key, sizeof key);
        flush(object);
        if (session)
                flush(session);
        return ok;
}

static bool advance_epoch(void) {
        uint8_t command[AETHER_TPM2_BUFFER_MAX], response[AETHER_TPM2_BUFFER_MAX];
        uint32_t rc;
        size_t got = transact(command, aether_tpm2_build_nv_increment(command, AETHER_TPM2_EPOCH_NV_INDEX), response);
        if (!succeeded(aether_tpm2_parse_no_parameters(response, got, AETHER_TPM2_COMMAND_NV_INCREMENT, &rc),
                       AETHER_TPM2_COMMAND_NV_INCREMENT, rc))
                return false;
        uint64_t epoch;
        got = transact(command, aether_tpm2_build_nv_read_counter(command, AETHER_TPM2_EPOCH_NV_INDEX), response);
        if (!succeeded(aether_tpm2_parse_nv_read_counter(response, got, &rc, &epoch), AETHER_TPM2_COMMAND_NV_READ,
                       rc))
                return false;
        printf("epoch %llu\n", (unsigned long long)epoch);
        return true;
}

int main(int argc, char **argv) {
        if (argc != 3) {
                fprintf(stderr, "usage: tpm2-sequence SOCKET SEALED-KEY-FILE\n");
                return 2;
        }
        static uint8_t file[2 * AETHER_TPM2_BUFFER_MAX];
        FILE *f = fopen(argv[2], "rb");
        if (!f) {
                perror(argv[2]);
                return 2;
        }
        size_t size = fread(file, 1, sizeof file, f);
        fclose(f);
        struct aether_tpm2_sealed_blob blob;
        const char *why = aether_tpm2_sealed_blob_parse(file, size, &blob);
        if (why) {
                fprintf(stderr, "tpm2-sequence: %s: %s\n", argv[2], why);
                return 2;
        }
        struct sockaddr_un address = {.sun_family = AF_UNIX};
        if (strlen(argv[1]) >= sizeof address.sun_path) {
                fprintf(stderr, "tpm2-sequence: socket path too long: %s\n", argv[1]);
                return 2;
        }
        strcpy(address.sun_path, argv[1]);
        tpm_socket = socket(AF_UNIX, SOCK_STREAM, 0);
        if (tpm_socket < 0 || connect(tpm_socket, (struct sockaddr *)&address, sizeof address) < 0) {
                perror(argv[1]);
                return 2;
        }

        uint8_t command[AETHER_TPM2_BUFFER_MAX], response[AETHER_TPM2_BUFFER_MAX], pcr7[AETHER_TPM2_SHA256_SIZE];
        uint32_t rc;
        size_t got = transact(command, aether_tpm2_build_pcr_read(command), response);
        if (!succeeded(aether_tpm2_parse_pcr_read(response, got, &rc, pcr7), AETHER_TPM2_COMMAND_PCR_READ, rc))
                return 1;
        print_hex("pcr7", pcr7, sizeof pcr7);
        bool ok = unseal(&blob);
        ok = advance_epoch() && ok;
        close(tpm_socket);
        return ok ? 0 : 1;
}
