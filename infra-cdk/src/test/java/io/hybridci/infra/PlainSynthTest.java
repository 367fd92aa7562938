package io.hybridci.infra;

import io.hybridci.topology.EnvironmentNames;
import io.hybridci.topology.FunctionSpec;
import io.hybridci.topology.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The synth without the CDK CLI, as {@code CDK_OUTDIR=cdk.out infra-cdk/synth.sh} runs it: the app's
 * main in a fresh JVM writes a cloud assembly whose template holds every function of the topology.
 */
class PlainSynthTest {

    @Test
    void shouldWriteATemplateWithEveryTopologyFunction_whenAppMainRunsWithCdkOutdir(@TempDir Path outdir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(),
                "-D" + FunctionJars.ROOT_PROPERTY + "=" + System.getProperty(FunctionJars.ROOT_PROPERTY, "."),
                "-cp", System.getProperty("java.class.path"), HybridCiApp.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(outdir.resolve("synth.log").toFile());
        builder.environment().put("CDK_OUTDIR", outdir.toString());
        Process process = builder.start();

        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "synth did not finish in 5 minutes");
        assertEquals(0, process.exitValue(), Files.readString(outdir.resolve("synth.log")));

        JsonNode template = new ObjectMapper().readTree(outdir.resolve(HybridCiApp.STACK_NAME + ".template.json").toFile());
        Set<String> functions = new HashSet<>();
        for (var entry : template.get("Resources").properties()) {
            JsonNode resource = entry.getValue();
            if ("AWS::Lambda::Function".equals(resource.get("Type").asString())
                    && !entry.getKey().startsWith(SynthesizedStack.DEPLOYMENT_HANDLER_PREFIX)) {
                functions.add(resource.at("/Properties/Environment/Variables/" + EnvironmentNames.HYBRIDCI_FUNCTION).asString());
            }
        }
        assertEquals(Topology.standard().functions().stream().map(FunctionSpec::name).collect(Collectors.toSet()), functions);
        assertTrue(Files.exists(outdir.resolve("manifest.json")));
    }
}
