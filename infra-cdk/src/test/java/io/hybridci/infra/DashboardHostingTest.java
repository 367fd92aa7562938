package io.hybridci.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

import java.util.List;
import java.util.Map;

import static io.hybridci.infra.SynthesizedStack.list;
import static io.hybridci.infra.SynthesizedStack.map;
import static io.hybridci.infra.SynthesizedStack.properties;
import static io.hybridci.infra.SynthesizedStack.template;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DashboardHosting}: a private bucket, CloudFront with Origin Access Control, the API behind /api/v1. */
class DashboardHostingTest {

    private static Map<String, Object> distributionConfig() {
        Map<String, Map<String, Object>> distributions = properties("AWS::CloudFront::Distribution");
        assertEquals(1, distributions.size());
        return map(distributions.values().iterator().next().get("DistributionConfig"));
    }

    @Test
    void shouldBlockEveryPublicAccess_whenSiteBucket() {
        template().hasResourceProperties("AWS::S3::Bucket", Map.of(
                "PublicAccessBlockConfiguration", Map.of(
                        "BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256"))))));
    }

    @Test
    void shouldDenyInsecureTransportAndAllowOnlyTheDistribution_whenBucketPolicy() {
        Map<String, Map<String, Object>> policies = properties("AWS::S3::BucketPolicy");
        String all = policies.values().stream().map(String::valueOf).reduce("", String::concat);

        assertTrue(all.contains("aws:SecureTransport"), "enforceSSL denies plain HTTP");
        assertTrue(all.contains("cloudfront.amazonaws.com") && all.contains("AWS:SourceArn"),
                "only this distribution (OAC, by its ARN) may read");
        for (Map<String, Object> policy : policies.values()) {
            for (Map<String, Object> statement : list(map(policy.get("PolicyDocument")).get("Statement"))) {
                if ("Allow".equals(statement.get("Effect"))) {
                    assertTrue(!String.valueOf(statement.get("Principal")).contains("*"), "no public principal: " + statement);
                }
            }
        }
    }

    @Test
    void shouldReachTheBucketThroughOriginAccessControl_whenDefaultBehaviour() {
        template().resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
        template().resourcePropertiesCountIs("AWS::CloudFront::OriginAccessControl", Map.of(
                "OriginAccessControlConfig", Match.objectLike(Map.of(
                        "OriginAccessControlOriginType", "s3", "SigningBehavior", "always"))), 1);
        Map<String, Object> config = distributionConfig();
        Map<String, Object> s3Origin = list(config.get("Origins")).stream()
                .filter(origin -> origin.containsKey("S3OriginConfig")).findFirst().orElseThrow();

        assertTrue(s3Origin.containsKey("OriginAccessControlId"));
        assertEquals("", map(s3Origin.get("S3OriginConfig")).get("OriginAccessIdentity"), "no legacy OAI");
        assertEquals("index.html", config.get("DefaultRootObject"));
        assertEquals("redirect-to-https", map(config.get("DefaultCacheBehavior")).get("ViewerProtocolPolicy"));
    }

    @Test
    void shouldForwardApiAndTokenPathsUncachedOverHttpsOnly_whenAdditionalBehaviours() {
        List<Map<String, Object>> behaviours = list(distributionConfig().get("CacheBehaviors"));
        Map<Object, Map<String, Object>> byPath = new java.util.HashMap<>();
        behaviours.forEach(behaviour -> byPath.put(behaviour.get("PathPattern"), behaviour));

        assertEquals(java.util.Set.of("/api/v1/*", "/oauth2/token"), byPath.keySet());
        for (Map<String, Object> behaviour : behaviours) {
            assertEquals("https-only", behaviour.get("ViewerProtocolPolicy"));
            // AWS's managed CachingDisabled and AllViewerExceptHostHeader policies.
            assertEquals("4135ea2d-6df8-44a3-9df3-4b5a84be39ad", behaviour.get("CachePolicyId"));
            assertEquals("b689b0a8-53d0-40ab-baf2-68738e2966ac", behaviour.get("OriginRequestPolicyId"));
        }
        assertEquals(7, list(byPath.get("/api/v1/*").get("AllowedMethods")).size(), "every method");
        for (Map<String, Object> origin : list(distributionConfig().get("Origins"))) {
            if (origin.containsKey("CustomOriginConfig")) {
                assertEquals("https-only", map(origin.get("CustomOriginConfig")).get("OriginProtocolPolicy"));
            }
        }
    }

    @Test
    void shouldSendTheSecurityHeaders_whenAnyResponse() {
        template().hasResourceProperties("AWS::CloudFront::ResponseHeadersPolicy", Map.of(
                "ResponseHeadersPolicyConfig", Match.objectLike(Map.of("SecurityHeadersConfig", Match.objectLike(Map.of(
                        "ContentSecurityPolicy", Map.of("ContentSecurityPolicy", DashboardHosting.CONTENT_SECURITY_POLICY,
                                "Override", true),
                        "ContentTypeOptions", Map.of("Override", true),
                        "ReferrerPolicy", Map.of("ReferrerPolicy", "no-referrer", "Override", true),
                        "StrictTransportSecurity", Match.objectLike(Map.of("AccessControlMaxAgeSec", 31536000))))))));
        assertTrue(DashboardHosting.CONTENT_SECURITY_POLICY.contains("connect-src 'self'"));
    }

    @Test
    void shouldDeployThePageAndAConfigWithTheSignInSettings_whenBucketDeployment() {
        Map<String, Map<String, Object>> deployments = properties("Custom::CDKBucketDeployment");
        assertEquals(1, deployments.size());
        Map<String, Object> deployment = deployments.values().iterator().next();
        String markers = String.valueOf(deployment.get("SourceMarkers"));
        String config = String.valueOf(deployment.get("SourceMarkersConfig")) + markers;

        assertEquals(2, list(deployment.get("SourceObjectKeys")).size(), "dashboard/public and config.json");
        assertTrue(markers.contains("SignInUsers") && markers.contains("SignInUsersDashboard"),
                "config.json carries the pool (issuer) and the app client id: " + markers);
        assertTrue(markers.contains("https://cognito-idp."), "the issuer is a URL, as the authorizer checks it: " + markers);
        assertTrue(String.valueOf(deployment.get("DistributionPaths")).contains("/*"), "a deploy invalidates the cache");
        assertTrue(!config.contains("Secret"), "no secret in the page's config");
    }

    @Test
    void shouldLeaveTheLocalConfigOutOfTheUploadedPage_whenTheDeploymentWritesItsOwn() throws Exception {
        software.amazon.awscdk.App app = (software.amazon.awscdk.App) SynthesizedStack.stack().getNode().getRoot();
        java.nio.file.Path assembly = java.nio.file.Path.of(app.synth().getDirectory());
        List<java.nio.file.Path> pages;
        try (var assets = java.nio.file.Files.list(assembly)) {
            pages = assets.filter(dir -> java.nio.file.Files.isRegularFile(dir.resolve("index.html"))).toList();
        }

        assertEquals(1, pages.size(), "one staged copy of dashboard/public: " + pages);
        assertTrue(java.nio.file.Files.isRegularFile(pages.getFirst().resolve("js/oidc.js")), "the page's sign-in is uploaded");
        assertFalse(java.nio.file.Files.exists(pages.getFirst().resolve(DashboardHosting.CONFIG_FILE)),
                "public/config.json (mode local) is not uploaded: the deploy-time config.json is the only one");
    }

    @Test
    void shouldFindTheDashboardFolder_whenUnderTheRoot() {
        java.nio.file.Path root = java.nio.file.Path.of(System.getProperty(FunctionJars.ROOT_PROPERTY, "."));

        assertTrue(java.nio.file.Files.isRegularFile(DashboardHosting.publicFolder(root).resolve("index.html")));
        IllegalStateException missing = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> DashboardHosting.publicFolder(java.nio.file.Path.of("/nonexistent")));
        assertTrue(missing.getMessage().contains(HybridCiApp.ROOT_CONTEXT));
    }
}
