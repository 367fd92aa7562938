package io.hybridci.bench;

/**
 * Runs in a fresh JVM whose classpath is one function's shaded jar (plus this class): creates one SDK
 * client of the first service the jar carries, by reflection, so the probe itself depends on nothing.
 * This is the floor a function's cold start is compared with.
 */
public final class ColdStartProbe {

    private static final String[] CLIENTS = {
            "software.amazon.awssdk.services.dynamodb.DynamoDbClient",
            "software.amazon.awssdk.services.sqs.SqsClient",
            "software.amazon.awssdk.services.eventbridge.EventBridgeClient",
            "software.amazon.awssdk.services.secretsmanager.SecretsManagerClient"};

    public static void main(String[] args) throws Exception {
        for (String name : CLIENTS) {
            try {
                Class<?> client = Class.forName(name);
                // create() reads region and credentials from the environment the parent set, as in Lambda.
                AutoCloseable created = (AutoCloseable) client.getMethod("create").invoke(null);
                created.close();
                System.out.println("created " + name);
                return;
            } catch (ClassNotFoundException e) {
                // Not in this jar: try the next service.
            }
        }
        System.out.println("no SDK client in this jar");
    }

    private ColdStartProbe() {
    }
}
