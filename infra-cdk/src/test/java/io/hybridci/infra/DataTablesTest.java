package io.hybridci.infra;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static io.hybridci.infra.SynthesizedStack.template;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DataTablesTest {

    private static Template production;

    @BeforeAll
    static void synthesizeProduction() {
        production = Template.fromStack(SynthesizedStack.synthesize(Map.of(HybridCiApp.PRODUCTION_CONTEXT, "true")));
    }

    @Test
    void shouldCreateOneTablePerTopologyTable_whenSynthesized() {
        template().resourceCountIs("AWS::DynamoDB::Table", SynthesizedStack.topology().tables().size());
    }

    @Test
    void shouldStreamNewAndOldImagesAndExpireOnExpiresAt_whenStateTable() {
        template().hasResourceProperties("AWS::DynamoDB::Table", Map.of(
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
        template().hasResourceProperties("AWS::DynamoDB::Table", Map.of(
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
        Map<String, Map<String, Object>> tables = template().findResources("AWS::DynamoDB::Table");
        assertEquals(SynthesizedStack.topology().tables().size(), tables.size());
        tables.values().forEach(table -> assertEquals("Retain", table.get("DeletionPolicy")));
    }

    @Test
    void shouldProtectEveryTableFromDeletion_whenProductionContextIsTrue() {
        production.resourcePropertiesCountIs("AWS::DynamoDB::Table",
                Map.of("DeletionProtectionEnabled", true), SynthesizedStack.topology().tables().size());
    }

    @Test
    void shouldNotProtectTables_whenNotProduction() {
        template().resourcePropertiesCountIs("AWS::DynamoDB::Table",
                Map.of("DeletionProtectionEnabled", true), 0);
    }
}
