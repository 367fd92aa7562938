package io.hybridci.aws.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SDK clients of one process, each built once, on first use (building a client costs most of a
 * cold start, so a function pays only for those it uses), with an explicit region, the one
 * URL-connection HTTP client, and no hidden defaults. In local mode ({@code AWS_ENDPOINT_URL} set)
 * every client points at the local cloud with static dummy credentials; in AWS the Lambda
 * environment's credentials are used.
 */
public final class AwsClients implements AutoCloseable {

    private final Region region;
    private final Optional<URI> endpoint;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Lazy<DynamoDbClient> dynamoDb;
    private final Lazy<SqsClient> sqs;
    private final Lazy<EventBridgeClient> eventBridge;
    private final Lazy<SecretsManagerClient> secretsManager;
    private final Lazy<KmsClient> kms;

    public AwsClients(String region, Optional<URI> endpoint) {
        this.region = Region.of(Objects.requireNonNull(region, "region"));
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.http = UrlConnectionHttpClient.create();
        this.credentials = endpoint.isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))
                : EnvironmentVariableCredentialsProvider.create();
        this.dynamoDb = new Lazy<>(() -> configure(DynamoDbClient.builder()).build());
        this.sqs = new Lazy<>(() -> configure(SqsClient.builder()).build());
        this.eventBridge = new Lazy<>(() -> configure(EventBridgeClient.builder()).build());
        this.secretsManager = new Lazy<>(() -> configure(SecretsManagerClient.builder()).build());
        this.kms = new Lazy<>(() -> configure(KmsClient.builder()).build());
    }

    public static AwsClients from(FunctionConfig config) {
        return new AwsClients(config.region(), config.endpoint());
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb.get();
    }

    public SqsClient sqs() {
        return sqs.get();
    }

    public EventBridgeClient eventBridge() {
        return eventBridge.get();
    }

    public SecretsManagerClient secretsManager() {
        return secretsManager.get();
    }

    public KmsClient kms() {
        return kms.get();
    }

    private <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        builder.region(region).credentialsProvider(credentials).httpClient(http);
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }

    @Override
    public void close() {
        dynamoDb.ifBuilt(DynamoDbClient::close);
        sqs.ifBuilt(SqsClient::close);
        eventBridge.ifBuilt(EventBridgeClient::close);
        secretsManager.ifBuilt(SecretsManagerClient::close);
        kms.ifBuilt(KmsClient::close);
        http.close();
    }
}
