package io.hybridci.local.engine.dynamodb;

/** What a stream record says happened to an item, as in a DynamoDB stream's {@code eventName}. */
public enum StreamEventName {
    /** The item did not exist before the write. */
    INSERT,
    /** The item existed before and after the write, with different attributes. */
    MODIFY,
    /** The item existed before the write and not after it. */
    REMOVE
}
