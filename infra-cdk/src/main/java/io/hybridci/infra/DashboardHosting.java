package io.hybridci.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudfront.AddBehaviorOptions;
import software.amazon.awscdk.services.cloudfront.AllowedMethods;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.HeadersFrameOption;
import software.amazon.awscdk.services.cloudfront.HeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.HttpVersion;
import software.amazon.awscdk.services.cloudfront.OriginProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.OriginRequestPolicy;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentSecurityPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentTypeOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersFrameOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersStrictTransportSecurity;
import software.amazon.awscdk.services.cloudfront.ResponseSecurityHeadersBehavior;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.HttpOrigin;
import software.amazon.awscdk.services.cloudfront.origins.HttpOriginProps;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.ISource;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.amazon.awscdk.services.s3.assets.AssetOptions;
import software.constructs.Construct;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The dashboard in AWS: {@code dashboard/public/} in a private S3 bucket, served by CloudFront through
 * Origin Access Control (the bucket answers CloudFront's signed requests only), over HTTPS only.
 *
 * <p>The same distribution forwards {@value #API_PATH} to the HTTP API and {@value #TOKEN_PATH} to
 * Cognito's token endpoint, uncached: the page then calls only its own origin, which keeps its
 * {@code connect-src 'self'} policy and needs no CORS. A {@code config.json} beside {@code index.html},
 * written at deploy time, tells the page the sign-in settings (docs/dashboard.md).
 */
public final class DashboardHosting extends Construct {

    /** The page's own policy (its meta tag), repeated as a header, where {@code frame-ancestors} also works. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
    static final String API_PATH = "/api/v1/*";
    static final String TOKEN_PATH = "/oauth2/token";
    static final String CONFIG_FILE = "config.json";

    private final Bucket bucket;
    private final Distribution distribution;
    private final ResponseHeadersPolicy securityHeaders;

    public DashboardHosting(Construct scope, String id, HttpApi api) {
        super(scope, id);
        this.bucket = Bucket.Builder.create(this, "Site")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .build();
        this.securityHeaders = ResponseHeadersPolicy.Builder.create(this, "SecurityHeaders")
                .comment("Hybrid CI dashboard: CSP, HSTS, nosniff, no referrer, no framing")
                .securityHeadersBehavior(ResponseSecurityHeadersBehavior.builder()
                        .contentSecurityPolicy(ResponseHeadersContentSecurityPolicy.builder()
                                .contentSecurityPolicy(CONTENT_SECURITY_POLICY).override(true).build())
                        .strictTransportSecurity(ResponseHeadersStrictTransportSecurity.builder()
                                .accessControlMaxAge(Duration.days(365)).includeSubdomains(true).override(true).build())
                        .contentTypeOptions(ResponseHeadersContentTypeOptions.builder().override(true).build())
                        .referrerPolicy(ResponseHeadersReferrerPolicy.builder()
                                .referrerPolicy(HeadersReferrerPolicy.NO_REFERRER).override(true).build())
                        .frameOptions(ResponseHeadersFrameOptions.builder()
                                .frameOption(HeadersFrameOption.DENY).override(true).build())
                        .build())
                .build();
        this.distribution = Distribution.Builder.create(this, "Cdn")
                .comment("Hybrid CI dashboard")
                .defaultRootObject("index.html")
                .httpVersion(HttpVersion.HTTP2_AND_3)
                // North America and Europe edges: the cheapest class; others still reach it, a little slower.
                .priceClass(PriceClass.PRICE_CLASS_100)
                .defaultBehavior(BehaviorOptions.builder()
                        .origin(S3BucketOrigin.withOriginAccessControl(bucket))
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                        .cachePolicy(CachePolicy.CACHING_OPTIMIZED)
                        .responseHeadersPolicy(securityHeaders)
                        .build())
                .additionalBehaviors(Map.of(API_PATH, passThrough(endpointHost(api.getApiEndpoint()))))
                .build();
    }

    /**
     * Uncached, every method, every viewer header but Host (the origin must see its own name):
     * Authorization reaches API Gateway's JWT authorizer. HTTPS only, also to the origin.
     */
    private BehaviorOptions passThrough(String originHost) {
        return BehaviorOptions.builder()
                .origin(new HttpOrigin(originHost, HttpOriginProps.builder()
                        .protocolPolicy(OriginProtocolPolicy.HTTPS_ONLY).build()))
                .viewerProtocolPolicy(ViewerProtocolPolicy.HTTPS_ONLY)
                .allowedMethods(AllowedMethods.ALLOW_ALL)
                .cachePolicy(CachePolicy.CACHING_DISABLED)
                .originRequestPolicy(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER)
                .responseHeadersPolicy(securityHeaders)
                .build();
    }

    /** {@code https://host/...} → {@code host}; works on deploy-time tokens too. */
    private static String endpointHost(String url) {
        return Fn.select(2, Fn.split("/", url));
    }

    /** Sends the page's token request ({@value #TOKEN_PATH}) to the hosted UI, so it stays same-origin. */
    public void forwardTokenEndpoint(UserSignIn signIn) {
        BehaviorOptions token = passThrough(endpointHost(signIn.hostedUiUrl()));
        distribution.addBehavior(TOKEN_PATH, token.getOrigin(), AddBehaviorOptions.builder()
                .viewerProtocolPolicy(token.getViewerProtocolPolicy())
                .allowedMethods(token.getAllowedMethods())
                .cachePolicy(token.getCachePolicy())
                .originRequestPolicy(token.getOriginRequestPolicy())
                .responseHeadersPolicy(token.getResponseHeadersPolicy())
                .build());
    }

    /**
     * Uploads the page and its {@value #CONFIG_FILE} (values resolved at deploy time), removes files no
     * longer in the folder, and invalidates CloudFront's copies so a deploy is visible at once.
     */
    public void deploy(Path publicFolder, Map<String, Object> config) {
        // public/config.json is the local cloud's ({"mode": "local"}): left out, so the deploy-time one is the only one.
        List<ISource> sources = List.of(
                Source.asset(publicFolder.toString(), AssetOptions.builder().exclude(List.of(CONFIG_FILE)).build()),
                Source.jsonData(CONFIG_FILE, config));
        BucketDeployment.Builder.create(this, "Files")
                .sources(sources)
                .destinationBucket(bucket)
                .distribution(distribution)
                .distributionPaths(List.of("/*"))
                .memoryLimit(256)
                .build();
    }

    /** {@code dashboard/public} under the repository root; fails, saying what is missing, when it is not there. */
    static Path publicFolder(Path root) {
        Path folder = root.resolve("dashboard").resolve("public");
        if (!Files.isRegularFile(folder.resolve("index.html"))) {
            throw new IllegalStateException("no dashboard at " + folder + " (index.html missing): "
                    + "run from the repository root or set -c " + HybridCiApp.ROOT_CONTEXT);
        }
        return folder;
    }

    /** {@code https://<distribution>.cloudfront.net/}: the dashboard, and the sign-in's redirect URI. */
    public String url() {
        return "https://" + distribution.getDistributionDomainName() + "/";
    }

    public Bucket bucket() {
        return bucket;
    }

    public Distribution distribution() {
        return distribution;
    }
}
