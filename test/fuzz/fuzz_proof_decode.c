/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* fuzz_proof_decode.c: the record decoder and the key file parser on arbitrary bytes. */
#include <string.h>

#include "proof.h"
#include "require.h"

/* Input: read whole as a record and as a key file. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct aether_proof_record rec;
        uint8_t key[AETHER_PROOF_KEY_SIZE], again[AETHER_PROOF_RECORD_SIZE];
        char text[96], text_again[96];

        /* Whatever decodes encodes back to the same bytes; every verdict has its reason, twice the same. */
        aether_record_check_t check = aether_proof_decode(data, size, &rec, text, sizeof(text));
        REQUIRE(text[0] != '\0');
        REQUIRE(aether_proof_decode(data, size, &rec, text_again, sizeof(text_again)) == check);
        REQUIRE(strcmp(text, text_again) == 0);
        if (check == AETHER_RECORD_OK) {
                REQUIRE(size == AETHER_PROOF_RECORD_SIZE);
                aether_proof_encode(&rec, again);
                REQUIRE(memcmp(again, data, sizeof(again)) == 0);
        }

        if (aether_key_parse((const char *)data, size, key, text, sizeof(text)) != 0)
                REQUIRE(text[0] != '\0'); /* a rejected key file always says why */
        return 0;
}
