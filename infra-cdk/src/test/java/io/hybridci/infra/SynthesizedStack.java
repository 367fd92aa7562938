package io.hybridci.infra;

import io.hybridci.topology.Topology;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

/**
 * The stack of {@link HybridCiApp}, synthesized once per JVM and shared by every test class: the
 * first synthesis pays ~10 s of jsii start-up and hashes eight function jars; later reads are free.
 * Built exactly as the app builds it (context, AwsSolutions checks included).
 */
final class SynthesizedStack {

    static final String ALARM_EMAIL = "ops@example.com";

    private static HybridCiStack stack;
    private static Template template;

    private SynthesizedStack() {
    }

    static synchronized HybridCiStack stack() {
        if (stack == null) {
            stack = synthesize(Map.of(HybridCiApp.ALARM_EMAIL_CONTEXT, ALARM_EMAIL));
            template = Template.fromStack(stack);
        }
        return stack;
    }

    static Template template() {
        stack();
        return template;
    }

    static Topology topology() {
        return stack().topology();
    }

    /** A separate app with this context (tests of context switches build their own). */
    static HybridCiStack synthesize(Map<String, Object> context) {
        App app = new App(AppProps.builder().context(context).build());
        return HybridCiApp.build(app);
    }

    /** Properties of every resource of this type, by logical id. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> properties(String type) {
        Map<String, Map<String, Object>> resources = template().findResources(type);
        Map<String, Map<String, Object>> properties = new java.util.LinkedHashMap<>();
        resources.forEach((id, resource) -> properties.put(id,
                (Map<String, Object>) resource.getOrDefault("Properties", Map.of())));
        return properties;
    }

    /**
     * Logical-id prefix of CDK's BucketDeployment handler ({@link DashboardHosting}), the one function of
     * the stack that is not in the topology: it runs only while CloudFormation deploys the dashboard.
     */
    static final String DEPLOYMENT_HANDLER_PREFIX = "CustomCDKBucketDeployment";

    /** Properties of every Lambda function of the topology (the deployment handler left out), by logical id. */
    static Map<String, Map<String, Object>> topologyFunctions() {
        Map<String, Map<String, Object>> functions = new java.util.LinkedHashMap<>(properties("AWS::Lambda::Function"));
        functions.keySet().removeIf(id -> id.startsWith(DEPLOYMENT_HANDLER_PREFIX));
        return functions;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
