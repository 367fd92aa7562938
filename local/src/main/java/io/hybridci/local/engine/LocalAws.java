package io.hybridci.local.engine;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The one account and region the local cloud pretends to be, and the way an SDK client is pointed at a
 * local engine. Every local engine builds ARNs and URLs from these constants, so what a function sees
 * locally has the same shape as in AWS.
 */
public final class LocalAws {

    /** The account id every local ARN carries (the same one ElasticMQ and LocalStack use). */
    public static final String ACCOUNT_ID = "000000000000";

    /** The region every local engine and client uses. */
    public static final Region REGION = Region.US_EAST_1;

    private LocalAws() {
    }

    /**
     * Points a synchronous SDK client builder at a local endpoint: explicit region, dummy static
     * credentials (local engines do not check signatures) and the URL-connection HTTP client, so no
     * client carries a hidden default.
     */
    public static <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B pointAt(B builder, URI endpoint) {
        return builder
                .endpointOverride(endpoint)
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder());
    }
}
