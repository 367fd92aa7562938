package io.hybridci.infra;

/** Readable construct ids from topology names: {@code state-reactor} → {@code StateReactor}. */
final class Names {

    private Names() {
    }

    static String pascal(String name) {
        StringBuilder id = new StringBuilder();
        for (String word : name.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return id.toString();
    }
}
