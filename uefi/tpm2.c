/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* tpm2.c: the sealed device key and the TPM epoch counter through EFI_TCG2_PROTOCOL's SubmitCommand. */
#include "tpm2.h"

#include <stddef.h>
#include <string.h>

#include "format.h"
#include "hw.h"
#include "log.h"
#include "tpm2_command.h"

/* EFI_TCG2_PROTOCOL (TCG EFI Protocol Specification for TPM 2.0, 6.3),
 * which gnu-efi lacks; only SubmitCommand is called. */
struct tcg2_protocol {
        void *get_capability;
        void *get_event_log;
        void *hash_log_extend_event;
        EFI_STATUS(EFIAPI *submit_command)(struct tcg2_protocol *self, UINT32 input_size, UINT8 *input,
                                           UINT32 output_size, UINT8 *output);
        void *get_active_pcr_banks;
        void *set_active_pcr_banks;
        void *get_result_of_set_active_pcr_banks;
};
_Static_assert(offsetof(struct tcg2_protocol, submit_command) == 3 * sizeof(void *),
               "SubmitCommand is EFI_TCG2_PROTOCOL's fourth member");
_Static_assert(sizeof(struct tcg2_protocol) == 7 * sizeof(void *), "EFI_TCG2_PROTOCOL has seven members");

static EFI_GUID tcg2_guid = {0x607f766c, 0x7455, 0x42be, {0x93, 0x0b, 0xe4, 0xd7, 0x6d, 0xb2, 0x72, 0x0f}};
static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID file_system_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
static CHAR16 sealed_key_path[] = L"\\EFI\\aether\\sealed-key.bin";

/* The sealed-key file's largest valid size, plus one byte to see a larger one. */
#define SEALED_FILE_MAX (2 + AETHER_TPM2_SEALED_PUBLIC_MAX + 2 + AETHER_TPM2_SEALED_PRIVATE_MAX)

static struct tcg2_protocol *tcg2;
static uint8_t command[AETHER_TPM2_BUFFER_MAX];
static uint8_t response[AETHER_TPM2_BUFFER_MAX]; /* TPM2_Unseal's holds the key: wiped after */
static uint8_t sealed_file[SEALED_FILE_MAX + 1];
static char reason[160]; /* the returned reason, when it carries numbers */

/* Zeroes what held the key; volatile, so the stores are not dropped as dead. */
static void wipe(void *buffer, size_t size) {
        volatile uint8_t *p = buffer;
        while (size--)
                *p++ = 0;
}

static const char *locate(EFI_BOOT_SERVICES *bs) {
        if (tcg2)
                return NULL;
        EFI_STATUS status = bs->LocateProtocol(&tcg2_guid, NULL, (void **)&tcg2);
        if (EFI_ERROR(status)) {
                tcg2 = NULL;
                aether_format(reason, sizeof(reason), "no EFI_TCG2_PROTOCOL, so no TPM 2.0 (status 0x%llx)",
                              (unsigned long long)status);
                return reason;
        }
        return NULL;
}

/* Sends command[0..len) and puts the response's length in *got; NULL or a reason. */
static const char *submit(enum aether_tpm2_command which, size_t len, size_t *got) {
        wipe(response, sizeof(response)); /* no earlier response's bytes can pass for this one's */
        EFI_STATUS status =
                tcg2->submit_command(tcg2, (UINT32)len, command, (UINT32)sizeof(response), response);
        if (EFI_ERROR(status)) {
                aether_format(reason, sizeof(reason), "EFI_TCG2_PROTOCOL.SubmitCommand(%s) failed (status 0x%llx)",
                              aether_tpm2_command_name(which), (unsigned long long)status);
                return reason;
        }
        /* The response's own size field, bounded: the parser checks the rest. */
        size_t declared = (size_t)response[2] << 24 | (size_t)response[3] << 16 | (size_t)response[4] << 8 |
                          response[5];
        *got = declared < sizeof(response) ? declared : sizeof(response);
        return NULL;
}

/* NULL when the command succeeded, else a reason naming it and the TPM's response code. */
static const char *check(enum aether_tpm2_outcome outcome, enum aether_tpm2_command which, uint32_t rc) {
        switch (outcome) {
        case AETHER_TPM2_OUTCOME_OK:
                return NULL;
        case AETHER_TPM2_OUTCOME_REFUSED:
                aether_format(reason, sizeof(reason), "%s refused: TPM response code 0x%x",
                              aether_tpm2_command_name(which), rc);
                return reason;
        case AETHER_TPM2_OUTCOME_MALFORMED:
                aether_format(reason, sizeof(reason), "%s: malformed TPM response (response code 0x%x)",
                              aether_tpm2_command_name(which), rc);
                return reason;
        }
        return "unknown TPM outcome";
}

/* Commands whose response has no parameters. */
static const char *run_plain(enum aether_tpm2_command which, size_t len) {
        size_t got;
        uint32_t rc;
        const char *why = submit(which, len, &got);
        return why ? why : check(aether_tpm2_parse_no_parameters(response, got, which, &rc), which, rc);
}

/* The sealed-key file from the volume this image was loaded from. */
static const char *read_sealed_blob(EFI_HANDLE image, EFI_BOOT_SERVICES *bs, struct aether_tpm2_sealed_blob *blob) {
        EFI_LOADED_IMAGE *loaded;
        struct _EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *volume;
        EFI_FILE_PROTOCOL *root, *file;
        EFI_STATUS status = bs->HandleProtocol(image, &loaded_image_guid, (void **)&loaded);
        if (!EFI_ERROR(status))
                status = bs->HandleProtocol(loaded->DeviceHandle, &file_system_guid, (void **)&volume);
        if (!EFI_ERROR(status))
                status = volume->OpenVolume(volume, &root);
        if (EFI_ERROR(status)) {
                aether_format(reason, sizeof(reason), "the boot volume cannot be opened (status 0x%llx)",
                              (unsigned long long)status);
                return reason;
        }
        status = root->Open(root, &file, sealed_key_path, EFI_FILE_MODE_READ, 0);
        root->Close(root);
        if (EFI_ERROR(status)) {
                aether_format(reason, sizeof(reason), "no sealed key \\EFI\\aether\\sealed-key.bin (status 0x%llx)",
                              (unsigned long long)status);
                return reason;
        }
        UINTN size = sizeof(sealed_file);
        status = file->Read(file, &size, sealed_file);
        file->Close(file);
        if (EFI_ERROR(status)) {
                aether_format(reason, sizeof(reason), "\\EFI\\aether\\sealed-key.bin unreadable (status 0x%llx)",
                              (unsigned long long)status);
                return reason;
        }
        const char *malformed = aether_tpm2_sealed_blob_parse(sealed_file, size, blob);
        if (malformed) {
                aether_format(reason, sizeof(reason), "\\EFI\\aether\\sealed-key.bin: %s", malformed);
                return reason;
        }
        return NULL;
}

/* Load, policy session, PolicyPCR, Unseal; both handles flushed whatever happened. */
static const char *unseal(const struct aether_tpm2_sealed_blob *blob, uint8_t key[16]) {
        size_t got;
        uint32_t rc, object = 0, session = 0;
        const char *why = submit(AETHER_TPM2_COMMAND_LOAD, aether_tpm2_build_load(command, blob), &got);
        if (!why)
                why = check(aether_tpm2_parse_load(response, got, &rc, &object), AETHER_TPM2_COMMAND_LOAD, rc);
        /* The caller nonce of an unsalted, unbound policy session whose
         * commands carry no HMAC protects nothing here; the TSC fills it. */
        uint8_t nonce[AETHER_TPM2_NONCE_SIZE];
        for (unsigned i = 0; i < sizeof(nonce); i += sizeof(uint64_t)) {
                uint64_t tsc = read_tsc();
                memcpy(nonce + i, &tsc, sizeof(tsc));
        }
        if (!why)
                why = submit(AETHER_TPM2_COMMAND_START_AUTH_SESSION,
                             aether_tpm2_build_start_auth_session(command, nonce), &got);
        if (!why)
                why = check(aether_tpm2_parse_start_auth_session(response, got, &rc, &session),
                            AETHER_TPM2_COMMAND_START_AUTH_SESSION, rc);
        if (!why)
                why = run_plain(AETHER_TPM2_COMMAND_POLICY_PCR, aether_tpm2_build_policy_pcr(command, session));
        if (!why)
                why = submit(AETHER_TPM2_COMMAND_UNSEAL, aether_tpm2_build_unseal(command, object, session), &got);
        if (!why)
                why = check(aether_tpm2_parse_unseal(response, got, &rc, key, 16), AETHER_TPM2_COMMAND_UNSEAL, rc);
        wipe(response, sizeof(response));
        /* A flush that fails leaves a handle until the next TPM reset; the
         * first failure is the one reported. */
        const uint32_t handles[] = {object, session};
        for (unsigned i = 0; i < sizeof(handles) / sizeof(handles[0]); i++) {
                if (!handles[i])
                        continue;
                const char *flush = run_plain(AETHER_TPM2_COMMAND_FLUSH_CONTEXT,
                                              aether_tpm2_build_flush_context(command, handles[i]));
                if (!why)
                        why = flush;
        }
        return why;
}

/* PCR 7's value in the log: what provisioning seals the key to. */
static void log_pcr7(void) {
        size_t got;
        uint32_t rc;
        uint8_t digest[AETHER_TPM2_SHA256_SIZE];
        const char *why = submit(AETHER_TPM2_COMMAND_PCR_READ, aether_tpm2_build_pcr_read(command), &got);
        if (!why)
                why = check(aether_tpm2_parse_pcr_read(response, got, &rc, digest), AETHER_TPM2_COMMAND_PCR_READ, rc);
        if (why) {
                log_line("tpm: PCR 7 unknown: %s", why);
                return;
        }
        char hex[2 * AETHER_TPM2_SHA256_SIZE + 1];
        for (unsigned i = 0; i < sizeof(digest); i++)
                aether_format(hex + 2 * i, 3, "%02x", digest[i]);
        log_line("tpm: PCR 7 (sha256) = %s", hex);
}

const char *aether_tpm_unseal_device_key(EFI_HANDLE image, EFI_SYSTEM_TABLE *st, uint8_t key[16]) {
        uint64_t start = read_tsc();
        struct aether_tpm2_sealed_blob blob;
        const char *why = locate(st->BootServices);
        if (!why)
                why = read_sealed_blob(image, st->BootServices, &blob);
        if (!why)
                why = unseal(&blob, key);
        if (why) {
                wipe(key, 16);
                if (tcg2)
                        log_pcr7();
                return why;
        }
        log_line("tpm: key unsealed (PCR 7 policy), %llu TSC ticks", (unsigned long long)(read_tsc() - start));
        return NULL;
}

const char *aether_tpm_advance_epoch(EFI_SYSTEM_TABLE *st, uint64_t *epoch) {
        uint64_t start = read_tsc();
        size_t got;
        uint32_t rc;
        const char *why = locate(st->BootServices);
        if (!why)
                why = run_plain(AETHER_TPM2_COMMAND_NV_INCREMENT,
                                aether_tpm2_build_nv_increment(command, AETHER_TPM2_EPOCH_NV_INDEX));
        if (!why)
                why = submit(AETHER_TPM2_COMMAND_NV_READ,
                             aether_tpm2_build_nv_read_counter(command, AETHER_TPM2_EPOCH_NV_INDEX), &got);
        if (!why)
                why = check(aether_tpm2_parse_nv_read_counter(response, got, &rc, epoch), AETHER_TPM2_COMMAND_NV_READ,
                            rc);
        if (why)
                return why;
        log_line("tpm: epoch %llu from NV counter 0x%08x, %llu TSC ticks", (unsigned long long)*epoch,
                 AETHER_TPM2_EPOCH_NV_INDEX, (unsigned long long)(read_tsc() - start));
        return NULL;
}
