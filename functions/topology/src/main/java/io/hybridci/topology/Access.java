package io.hybridci.topology;

import java.util.Objects;

/**
 * One thing a function's own code reads or writes. The CDK app turns each into a {@code grant*}
 * call, so IAM is least privilege by construction; the local cloud uses the same list to decide
 * which environment variables a function receives.
 *
 * <p>Permissions that come with a trigger (reading the stream, consuming the SQS queue, sending
 * to an on-failure destination) are not listed here: the event-source mapping grants them.
 */
public sealed interface Access {

    /** Name of the table, queue, bus or secret this access is about. */
    String resource();

    /** Data-plane access to a DynamoDB table (items and its indexes). */
    record TableAccess(String table, DataAccess mode) implements Access {
        public TableAccess {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(mode, "mode");
        }

        @Override
        public String resource() {
            return table;
        }
    }

    /** Sending messages to an SQS queue (consuming is what an {@link Trigger.SqsTrigger} does). */
    record QueueSendAccess(String queue) implements Access {
        public QueueSendAccess {
            Objects.requireNonNull(queue, "queue");
        }

        @Override
        public String resource() {
            return queue;
        }
    }

    /**
     * Knowing a queue's URL without any permission on it: the api hands job-queue and
     * agent-updates URLs to agents at registration, and agents (not the api) use them.
     */
    record QueueUrlOnly(String queue) implements Access {
        public QueueUrlOnly {
            Objects.requireNonNull(queue, "queue");
        }

        @Override
        public String resource() {
            return queue;
        }
    }

    /**
     * Reading the messages of a dead-letter or failure queue without deleting them ({@code sqs:ReceiveMessage},
     * {@code sqs:ChangeMessageVisibility} to make what it browsed visible again at once, {@code
     * sqs:GetQueueAttributes}): the api lists poison messages for an admin (GET /api/v1/dead-letters).
     * No delete, no send: a peek cannot move or lose a dead letter. {@link TopologyCheck} allows it only on
     * DEAD_LETTER and FAILURE_DESTINATION queues, so it never competes with a queue's consumer.
     */
    record QueuePeekAccess(String queue) implements Access {
        public QueuePeekAccess {
            Objects.requireNonNull(queue, "queue");
        }

        @Override
        public String resource() {
            return queue;
        }
    }

    /** {@code PutEvents} on the event bus. */
    record EventBusPutAccess(String bus) implements Access {
        public EventBusPutAccess {
            Objects.requireNonNull(bus, "bus");
        }

        @Override
        public String resource() {
            return bus;
        }
    }

    /** Reading a secret's value, or rotating it (read, put new versions, move staging labels). */
    record SecretAccess(String secret, SecretUse use) implements Access {
        public SecretAccess {
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(use, "use");
        }

        @Override
        public String resource() {
            return secret;
        }
    }

    /**
     * Using a KMS key: encrypting under it, decrypting with it, or both. Agents' signing keys are stored
     * encrypted under {@link Topology#SIGNING_KEY} (DESIGN section 7): the api encrypts them when it issues
     * a session and decrypts them to hand them back; job-updater only decrypts, to verify signatures.
     */
    record KmsKeyAccess(String key, KeyUse use) implements Access {
        public KmsKeyAccess {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(use, "use");
        }

        @Override
        public String resource() {
            return key;
        }
    }

    /** Maps onto CDK's {@code grantReadData}, {@code grantWriteData} and {@code grantReadWriteData}. */
    enum DataAccess { READ, WRITE, READ_WRITE }

    /** Maps onto CDK's {@code grantRead} and the rotation grants of a secret. */
    enum SecretUse { READ, ROTATE }

    /** Maps onto CDK's {@code grantEncrypt}, {@code grantDecrypt} and {@code grantEncryptDecrypt} of a key. */
    enum KeyUse { ENCRYPT, DECRYPT, ENCRYPT_DECRYPT }
}
