package io.hybridci.core.security;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a bearer token is for, told by its prefix, so that a token pasted in the wrong place is
 * rejected before any lookup and a leaked one is recognisable by secret scanners.
 */
public enum TokenKind {
    /** Lets a machine register as an agent ({@code hcr_}); created by an administrator. */
    REGISTRATION("hcr_"),
    /** An agent's session, renewed at 75 % of its lifetime ({@code hca_}). */
    AGENT_SESSION("hca_"),
    /** Scoped to one job while it runs, e.g. for pipeline upload ({@code hcj_}). */
    JOB("hcj_");

    /** The part after the prefix: {@link Tokens#RANDOM_BYTES} bytes in URL-safe base64 without padding. */
    private static final Pattern BODY = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final String prefix;

    TokenKind(String prefix) {
        this.prefix = prefix;
    }

    /** The prefix every token of this kind starts with. */
    public String prefix() {
        return prefix;
    }

    /** The kind of a well-formed token; empty for anything else (wrong prefix, length or alphabet). */
    public static Optional<TokenKind> of(String token) {
        if (token == null) {
            return Optional.empty();
        }
        for (TokenKind kind : values()) {
            if (token.startsWith(kind.prefix) && BODY.matcher(token.substring(kind.prefix.length())).matches()) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
