/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* siphash.c: SipHash-2-4 (Aumasson and Bernstein), byte-order independent. */
#include "siphash.h"

static uint64_t load_le64(const uint8_t *p) {
        uint64_t v = 0;
        for (int i = 7; i >= 0; i--)
                v = (v << 8) | p[i];
        return v;
}

static uint64_t rotl(uint64_t x, unsigned bits) {
        return (x << bits) | (x >> (64 - bits));
}

struct sip_state {
        uint64_t v0, v1, v2, v3;
};

static void sip_round(struct sip_state *s) {
        s->v0 += s->v1;
        s->v1 = rotl(s->v1, 13);
        s->v1 ^= s->v0;
        s->v0 = rotl(s->v0, 32);
        s->v2 += s->v3;
        s->v3 = rotl(s->v3, 16);
        s->v3 ^= s->v2;
        s->v0 += s->v3;
        s->v3 = rotl(s->v3, 21);
        s->v3 ^= s->v0;
        s->v2 += s->v1;
        s->v1 = rotl(s->v1, 17);
        s->v1 ^= s->v2;
        s->v2 = rotl(s->v2, 32);
}

/* Two compression rounds per 8-byte word: the "2" of SipHash-2-4. */
static void sip_compress(struct sip_state *s, uint64_t m) {
        s->v3 ^= m;
        sip_round(s);
        sip_round(s);
        s->v0 ^= m;
}

uint64_t aether_siphash24(const uint8_t key[AETHER_SIPHASH_KEY_SIZE], const void *msg, size_t len) {
        const uint8_t *in = msg;
        uint64_t k0 = load_le64(key), k1 = load_le64(key + 8);
        struct sip_state s = {
                .v0 = k0 ^ UINT64_C(0x736f6d6570736575), /* "somepseu" */
                .v1 = k1 ^ UINT64_C(0x646f72616e646f6d), /* "dorandom" */
                .v2 = k0 ^ UINT64_C(0x6c7967656e657261), /* "lygenera" */
                .v3 = k1 ^ UINT64_C(0x7465646279746573), /* "tedbytes" */
        };
        size_t full = len - len % 8;

        for (size_t i = 0; i < full; i += 8)
                sip_compress(&s, load_le64(in + i));

        /* The last word: the 0..7 remaining bytes, then len mod 256 in the top byte. */
        uint64_t last = (uint64_t)(len & 0xff) << 56;
        for (size_t i = 0; i < len - full; i++)
                last |= (uint64_t)in[full + i] << (8 * i);
        sip_compress(&s, last);

        /* Four finalization rounds: the "4". */
        s.v2 ^= 0xff;
        for (int i = 0; i < 4; i++)
                sip_round(&s);
        return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}
