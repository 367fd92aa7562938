package io.hybridci.core.policy;

/**
 * Glob matching without regular expressions, so a user's pattern can never cost more than
 * O(pattern × text) (no catastrophic backtracking). {@code *} matches any run of characters except
 * {@code /}, {@code **} any run including {@code /}, {@code ?} one character except {@code /};
 * everything else matches itself.
 */
public final class Glob {

    private Glob() {
    }

    public static boolean matches(String pattern, String text) {
        // reachable[j]: the pattern prefix read so far matches text[0, j).
        boolean[] reachable = new boolean[text.length() + 1];
        reachable[0] = true;
        int p = 0;
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            boolean[] next = new boolean[text.length() + 1];
            if (c == '*') {
                boolean crossesSlash = p + 1 < pattern.length() && pattern.charAt(p + 1) == '*';
                p += crossesSlash ? 2 : 1;
                for (int j = 0; j <= text.length(); j++) {
                    if (reachable[j]) {
                        next[j] = true;
                        for (int k = j; k < text.length() && (crossesSlash || text.charAt(k) != '/'); k++) {
                            if (next[k + 1]) {
                                break;
                            }
                            next[k + 1] = true;
                        }
                    }
                }
            } else {
                for (int j = 0; j < text.length(); j++) {
                    if (reachable[j] && (c == '?' ? text.charAt(j) != '/' : text.charAt(j) == c)) {
                        next[j + 1] = true;
                    }
                }
                p++;
            }
            reachable = next;
        }
        return reachable[text.length()];
    }
}
