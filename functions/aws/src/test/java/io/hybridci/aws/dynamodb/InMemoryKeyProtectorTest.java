package io.hybridci.aws.dynamodb;

import io.hybridci.aws.dynamodb.contract.KeyProtectorContract;

/** The test double keeps the KeyProtector contract, so tests that use it test what KMS would do. */
class InMemoryKeyProtectorTest extends KeyProtectorContract {
    private final KeyProtector keys = new InMemoryKeyProtector();

    @Override
    protected KeyProtector protector() {
        return keys;
    }

    @Override
    protected KeyProtector protectorUnderAnotherKey() {
        return new InMemoryKeyProtector();
    }
}
