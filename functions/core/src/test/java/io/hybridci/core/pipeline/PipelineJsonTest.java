package io.hybridci.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"build-test-deploy.yml", "minimal.yml"})
    void shouldReadBackAnEqualPipeline_whenWrittenToJsonAndSerialized(String fixture) throws Exception {
        Pipeline pipeline = PipelineFixturesTest.parsedFixture(fixture);

        String wire = MAPPER.writeValueAsString(PipelineJson.toJson(pipeline));
        Pipeline readBack = PipelineJson.fromJson(MAPPER.readTree(wire));

        assertEquals(pipeline, readBack);
        assertEquals(pipeline.steps().stream().map(Step::key).toList(), readBack.steps().stream().map(Step::key).toList());
    }

    @Test
    void shouldWriteExplicitDefaults_whenStepLeftThemOut() throws Exception {
        Pipeline pipeline = PipelineFixturesTest.parsedFixture("minimal.yml");

        JsonNode json = PipelineJson.toJson(pipeline);

        assertEquals(MAPPER.readTree("""
                {"env": {}, "steps": [{
                  "type": "command", "key": "step-1", "label": "echo hello", "command": "echo hello",
                  "agents": {"queue": "default"}, "depends_on": [],
                  "retry": {"automatic": [{"exit_status": -1, "limit": 2}], "manual": {"allowed": true}},
                  "env": {}, "priority": 0}]}
                """), json);
    }

    @Test
    void shouldWriteTypeAndDeployBlock_whenStepIsADeploy() {
        Pipeline pipeline = PipelineFixturesTest.parsedFixture("build-test-deploy.yml");

        JsonNode deploy = PipelineJson.toJson(pipeline).get("steps").get(4);

        assertEquals("deploy", deploy.get("type").asText());
        assertEquals("blue-green", deploy.at("/deploy/strategy").asText());
        assertEquals("deploy-production", deploy.get("concurrency_group").asText());
        assertEquals("block", PipelineJson.toJson(pipeline).at("/steps/3/type").asText());
    }

    @Test
    void shouldRejectJson_whenStepTypeIsUnknown() throws Exception {
        JsonNode json = MAPPER.readTree("{\"steps\": [{\"type\": \"wait\", \"key\": \"w\"}]}");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> PipelineJson.fromJson(json));

        assertEquals("unknown step type \"wait\"", error.getMessage());
    }
}
