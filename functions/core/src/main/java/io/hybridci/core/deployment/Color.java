package io.hybridci.core.deployment;

/** The two slots of a blue-green environment. */
public enum Color {
    BLUE,
    GREEN;

    /** The slot a new deployment goes to when this one is live. */
    public Color other() {
        return switch (this) {
            case BLUE -> GREEN;
            case GREEN -> BLUE;
        };
    }
}
