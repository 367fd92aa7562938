package io.hybridci.infra;

import io.hybridci.topology.Topology;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Synthesizes the stack once per class: the first {@link Template} in a JVM pays ~10 s for jsii,
 * later ones ~0.3 s.
 */
class HybridCiStackTest {

    private static Template template;

    @BeforeAll
    static void synthesize() {
        App app = new App();
        HybridCiStack stack = new HybridCiStack(app, "Test", StackProps.builder().build(), Topology.standard());
        template = Template.fromStack(stack);
    }

    @Test
    void shouldCreateOneTablePerTopologyTable_whenSynthesized() {
        template.resourceCountIs("AWS::DynamoDB::Table", Topology.standard().tables().size());
    }

    @Test
    void shouldStreamNewAndOldImagesAndExpireOnExpiresAt_whenStateTable() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(
                        Map.of("AttributeName", "pk", "KeyType", "HASH"),
                        Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                "StreamSpecification", Map.of("StreamViewType", "NEW_AND_OLD_IMAGES"),
                "TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true),
                "BillingMode", "PAY_PER_REQUEST",
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "GlobalSecondaryIndexes", List.of(
                        Match.objectLike(Map.of("IndexName", "gsi1")),
                        Match.objectLike(Map.of("IndexName", "gsi2")))));
    }

    @Test
    void shouldHaveNoStreamAndNoTtl_whenAuditTable() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(
                        Map.of("AttributeName", "chain", "KeyType", "HASH"),
                        Map.of("AttributeName", "seq", "KeyType", "RANGE")),
                "AttributeDefinitions", Match.arrayWith(List.of(Map.of("AttributeName", "seq", "AttributeType", "N"))),
                "StreamSpecification", Match.absent(),
                "TimeToLiveSpecification", Match.absent()));
    }

    @Test
    void shouldRetainTables_whenStackIsDeleted() {
        // Builds and the audit trail must outlive a mistaken `cdk destroy`.
        Map<String, Map<String, Object>> tables = template.findResources("AWS::DynamoDB::Table");
        assertEquals(3, tables.size());
        tables.values().forEach(table -> assertEquals("Retain", table.get("DeletionPolicy")));
    }

    @Test
    void shouldUseDefaultQueue_whenNoAgentQueueContext() {
        assertEquals(List.of("default"), HybridCiApp.agentQueues(null));
    }

    @Test
    void shouldSplitAndTrim_whenAgentQueueContextIsCommaSeparated() {
        assertEquals(List.of("default", "linux-arm64"), HybridCiApp.agentQueues(" default, linux-arm64 "));
    }

    @Test
    void shouldRefuseBeforeSynthesis_whenAgentQueueNameIsInvalid() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HybridCiApp.agentQueues("Deploy_Prod"));

        assertTrue(refused.getMessage().contains("agent queue 'Deploy_Prod'"), refused.getMessage());
    }
}
