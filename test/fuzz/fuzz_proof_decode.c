/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* fuzz_proof_decode.c: the replay checker, decoder and key file parser on arbitrary bytes. */
#include <stdlib.h>
#include <string.h>

#include "proof.h"

static const uint8_t dev_key[AETHER_PROOF_KEY_SIZE] = {
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};

static bool same_state(const struct aether_replay_state *a, const struct aether_replay_state *b) {
        return a->have_last == b->have_last && a->epoch == b->epoch && a->seq == b->seq;
}

/* Input: a proof stream (entries of a record and its LE u64 tag), also read
 * whole as a record and as a key file. A zero tag stands for the correct one,
 * so inputs reach the replay rules behind the tag check. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct aether_proof_record rec;
        const char *why;
        uint8_t key[AETHER_PROOF_KEY_SIZE], again[AETHER_PROOF_RECORD_SIZE];
        char text[96];

        /* Whatever decodes must encode back to the same bytes. */
        if (aether_proof_decode(data, size, &rec, &why) == 0) {
                aether_proof_encode(&rec, again);
                if (memcmp(again, data, sizeof(again)) != 0)
                        abort();
        }

        if (aether_key_parse((const char *)data, size, key, text, sizeof(text)) != 0 && text[0] == '\0')
                abort(); /* a rejected key file always says why */

        /* The state only moves forward, and only on a valid verdict. */
        struct aether_replay_state state = { 0 };
        for (size_t off = 0; size - off >= AETHER_PROOF_RECORD_SIZE + 8; off += AETHER_PROOF_RECORD_SIZE + 8) {
                uint64_t tag = 0;
                for (int i = 7; i >= 0; i--)
                        tag = tag << 8 | data[off + AETHER_PROOF_RECORD_SIZE + (size_t)i];
                if (tag == 0)
                        tag = aether_proof_tag(dev_key, data + off);
                struct aether_replay_state before = state;
                aether_verdict_t v =
                        aether_proof_check(&state, dev_key, data + off, AETHER_PROOF_RECORD_SIZE, tag, text, sizeof(text));
                if (!aether_verdict_name(v) || text[0] == '\0')
                        abort();
                if (v != AETHER_VERDICT_VALID && !same_state(&before, &state))
                        abort();
                if (v == AETHER_VERDICT_VALID && before.have_last &&
                    (state.epoch < before.epoch || (state.epoch == before.epoch && state.seq <= before.seq)))
                        abort();
        }
        return 0;
}
