/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* test_siphash.c: SipHash-2-4 reference vectors and SHA-256 NIST vectors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sha256.h"
#include "siphash.h"

/* SipHash-2-4 of the messages 00, 00 01, ..., 00..3e (lengths 0..63) under
 * the key 00 01 .. 0f: vectors_sip64 of the reference implementation
 * (github.com/veorq/SipHash, vectors.h), its little-endian bytes read as u64. */
static const uint64_t sip64_vectors[64] = {
        UINT64_C(0x726fdb47dd0e0e31), UINT64_C(0x74f839c593dc67fd), UINT64_C(0x0d6c8009d9a94f5a), UINT64_C(0x85676696d7fb7e2d),
        UINT64_C(0xcf2794e0277187b7), UINT64_C(0x18765564cd99a68d), UINT64_C(0xcbc9466e58fee3ce), UINT64_C(0xab0200f58b01d137),
        UINT64_C(0x93f5f5799a932462), UINT64_C(0x9e0082df0ba9e4b0), UINT64_C(0x7a5dbbc594ddb9f3), UINT64_C(0xf4b32f46226bada7),
        UINT64_C(0x751e8fbc860ee5fb), UINT64_C(0x14ea5627c0843d90), UINT64_C(0xf723ca908e7af2ee), UINT64_C(0xa129ca6149be45e5),
        UINT64_C(0x3f2acc7f57c29bdb), UINT64_C(0x699ae9f52cbe4794), UINT64_C(0x4bc1b3f0968dd39c), UINT64_C(0xbb6dc91da77961bd),
        UINT64_C(0xbed65cf21aa2ee98), UINT64_C(0xd0f2cbb02e3b67c7), UINT64_C(0x93536795e3a33e88), UINT64_C(0xa80c038ccd5ccec8),
        UINT64_C(0xb8ad50c6f649af94), UINT64_C(0xbce192de8a85b8ea), UINT64_C(0x17d835b85bbb15f3), UINT64_C(0x2f2e6163076bcfad),
        UINT64_C(0xde4daaaca71dc9a5), UINT64_C(0xa6a2506687956571), UINT64_C(0xad87a3535c49ef28), UINT64_C(0x32d892fad841c342),
        UINT64_C(0x7127512f72f27cce), UINT64_C(0xa7f32346f95978e3), UINT64_C(0x12e0b01abb051238), UINT64_C(0x15e034d40fa197ae),
        UINT64_C(0x314dffbe0815a3b4), UINT64_C(0x027990f029623981), UINT64_C(0xcadcd4e59ef40c4d), UINT64_C(0x9abfd8766a33735c),
        UINT64_C(0x0e3ea96b5304a7d0), UINT64_C(0xad0c42d6fc585992), UINT64_C(0x187306c89bc215a9), UINT64_C(0xd4a60abcf3792b95),
        UINT64_C(0xf935451de4f21df2), UINT64_C(0xa9538f0419755787), UINT64_C(0xdb9acddff56ca510), UINT64_C(0xd06c98cd5c0975eb),
        UINT64_C(0xe612a3cb9ecba951), UINT64_C(0xc766e62cfcadaf96), UINT64_C(0xee64435a9752fe72), UINT64_C(0xa192d576b245165a),
        UINT64_C(0x0a8787bf8ecb74b2), UINT64_C(0x81b3e73d20b49b6f), UINT64_C(0x7fa8220ba3b2ecea), UINT64_C(0x245731c13ca42499),
        UINT64_C(0xb78dbfaf3a8d83bd), UINT64_C(0xea1ad565322a1a0b), UINT64_C(0x60e61c23a3795013), UINT64_C(0x6606d7e446282b93),
        UINT64_C(0x6ca4ecb15c5f91e1), UINT64_C(0x9f626da15c9625f3), UINT64_C(0xe51b38608ef25f57), UINT64_C(0x958a324ceb064572),
};

static void test_siphash_reference(void) {
        uint8_t key[AETHER_SIPHASH_KEY_SIZE], msg[64];

        for (int i = 0; i < 16; i++)
                key[i] = (uint8_t)i;
        for (int i = 0; i < 64; i++)
                msg[i] = (uint8_t)i;
        for (size_t len = 0; len < 64; len++) {
                uint64_t got = aether_siphash24(key, msg, len);
                CHECK_MSG(got == sip64_vectors[len], "siphash length %zu: got 0x%016llx, expected 0x%016llx", len,
                          (unsigned long long)got, (unsigned long long)sip64_vectors[len]);
        }
}

/* The message must be read bytewise: an unaligned copy hashes the same. */
static void test_siphash_unaligned(void) {
        uint8_t key[AETHER_SIPHASH_KEY_SIZE], buf[64 + 1];

        for (int i = 0; i < 16; i++)
                key[i] = (uint8_t)i;
        for (int i = 0; i < 64; i++)
                buf[i + 1] = (uint8_t)i;
        for (size_t len = 0; len < 64; len++)
                CHECK_MSG(aether_siphash24(key, buf + 1, len) == sip64_vectors[len], "unaligned siphash length %zu",
                          len);
}

static void hex(const uint8_t *bytes, size_t len, char *out) {
        for (size_t i = 0; i < len; i++)
                sprintf(out + 2 * i, "%02x", bytes[i]);
}

static void check_digest(const char *what, const uint8_t digest[AETHER_SHA256_SIZE], const char *expected) {
        char got[2 * AETHER_SHA256_SIZE + 1];

        hex(digest, AETHER_SHA256_SIZE, got);
        CHECK_MSG(strcmp(got, expected) == 0, "sha256 %s: got %s, expected %s", what, got, expected);
}

static void test_sha256_nist(void) {
        static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        uint8_t digest[AETHER_SHA256_SIZE];

        aether_sha256("", 0, digest);
        check_digest("\"\"", digest, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        aether_sha256(NULL, 0, digest);
        check_digest("NULL, 0", digest, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        aether_sha256("abc", 3, digest);
        check_digest("\"abc\"", digest, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        aether_sha256(two_blocks, strlen(two_blocks), digest);
        check_digest("448-bit message", digest, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");

        /* One million 'a', streamed in pieces that straddle block edges. */
        static const char million[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
        uint8_t chunk[997];
        struct aether_sha256 ctx;
        size_t left = 1000000;

        memset(chunk, 'a', sizeof(chunk));
        aether_sha256_init(&ctx);
        while (left > 0) {
                size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
                aether_sha256_update(&ctx, chunk, n);
                left -= n;
        }
        aether_sha256_final(&ctx, digest);
        check_digest("one million 'a' (streamed)", digest, million);

        uint8_t *all = malloc(1000000);
        if (!all) {
                CHECK_MSG(0, "out of memory");
                return;
        }
        memset(all, 'a', 1000000);
        aether_sha256(all, 1000000, digest);
        check_digest("one million 'a' (one shot)", digest, million);
        free(all);
}

/* Every split of every length up to three blocks streams to the one-shot
 * digest, covering the padding cases at 55, 56 and 64 bytes. */
static void test_sha256_streaming(void) {
        uint8_t msg[192], whole[AETHER_SHA256_SIZE], parts[AETHER_SHA256_SIZE];

        for (size_t i = 0; i < sizeof(msg); i++)
                msg[i] = (uint8_t)(i * 31 + 7);
        for (size_t len = 0; len <= sizeof(msg); len++) {
                aether_sha256(msg, len, whole);
                for (size_t split = 0; split <= len; split++) {
                        struct aether_sha256 ctx;
                        aether_sha256_init(&ctx);
                        aether_sha256_update(&ctx, msg, split);
                        aether_sha256_update(&ctx, msg + split, len - split);
                        aether_sha256_final(&ctx, parts);
                        CHECK_MSG(memcmp(whole, parts, sizeof(whole)) == 0, "sha256 length %zu split at %zu", len,
                                  split);
                }
        }
}

int main(void) {
        test_siphash_reference();
        test_siphash_unaligned();
        test_sha256_nist();
        test_sha256_streaming();
        return check_summary("test_siphash");
}
