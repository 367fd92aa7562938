package io.hybridci.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * The KMS key that encrypts agents' signing keys at rest. Unlike tokens (kept only as hashes), a
 * signing key must be read back by job-updater to verify HMACs, so it is stored encrypted under
 * this key. Retained on stack deletion: without it the stored signing keys are unreadable.
 */
public final class SigningKeys extends Construct {

    private final Key key;

    public SigningKeys(Construct scope, String id) {
        super(scope, id);
        this.key = Key.Builder.create(this, "Key")
                .description("Hybrid CI: encrypts agents' message-signing keys")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    public Key key() {
        return key;
    }
}
