package io.hybridci.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TokensTest {

    @ParameterizedTest
    @EnumSource(TokenKind.class)
    void shouldPrefixAndCarry256RandomBits_whenGeneratingAToken(TokenKind kind) {
        String token = Tokens.generate(kind).reveal();

        assertTrue(token.startsWith(kind.prefix()), token);
        byte[] random = Base64.getUrlDecoder().decode(token.substring(kind.prefix().length()));
        assertEquals(32, random.length);
        assertEquals(Optional.of(kind), TokenKind.of(token));
    }

    @Test
    void shouldNeverRepeat_whenGeneratingManyTokens() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(Tokens.generate(TokenKind.JOB).reveal()));
        }
    }

    @Test
    void shouldUseOnlyUrlSafeCharacters_whenGeneratingAToken() {
        for (int i = 0; i < 1_000; i++) {
            assertTrue(Tokens.generate(TokenKind.AGENT_SESSION).reveal().matches("hca_[A-Za-z0-9_-]{43}"));
        }
    }

    @Test
    void shouldRecognizeNoKind_whenTokenIsForeignOrTruncated() {
        String token = Tokens.generate(TokenKind.REGISTRATION).reveal();

        assertEquals(Optional.empty(), TokenKind.of(token.substring(0, token.length() - 1)));
        assertEquals(Optional.empty(), TokenKind.of("ghp_" + token.substring(4)));
        assertEquals(Optional.empty(), TokenKind.of(token + "="));
        assertEquals(Optional.empty(), TokenKind.of(null));
    }

    @Test
    void shouldHashToKnownSha256_whenStoringAToken() {
        // sha256("abc"), FIPS 180-2 appendix B.1.
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Tokens.sha256Hex("abc"));
    }

    @Test
    void shouldHashTheValueNotTheWrapper_whenGivenASecret() {
        Secret token = Tokens.generate(TokenKind.JOB);

        assertEquals(Tokens.sha256Hex(token.reveal()), Tokens.sha256Hex(token));
        assertNotEquals(token.reveal(), Tokens.sha256Hex(token));
    }
}
