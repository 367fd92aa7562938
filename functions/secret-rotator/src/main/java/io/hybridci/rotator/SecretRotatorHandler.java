package io.hybridci.rotator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.aws.config.Adapters;
import io.hybridci.aws.config.AwsClients;
import io.hybridci.aws.config.FunctionConfig;
import io.hybridci.aws.dynamodb.DynamoDbRegistrationTokenCatalog;
import io.hybridci.aws.secrets.SecretsManagerSecretVersions;
import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.RegistrationTokenCatalog;
import io.hybridci.core.port.SecretVersions;
import io.hybridci.core.rotation.RotatedSecret;
import io.hybridci.core.rotation.RotationFailure;
import io.hybridci.core.rotation.RotationStep;
import io.hybridci.core.rotation.SecretRotation;
import io.hybridci.core.rotation.StepOutcome;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * secret-rotator: the rotation function of {@code hybridci/github-webhook} and {@code hybridci/registration-token}.
 * Secrets Manager invokes it once per step; the steps live in core {@link SecretRotation}. A scheduled event
 * ({@code "source": "aws.events"}) instead finishes held webhook rotations older than the grace period.
 *
 * <p>A stream handler so the event is read into a record by our own mapper: no reflection bean mapping of
 * Lambda's, and a step that fails throws, which is how Secrets Manager learns the rotation failed
 * (it then keeps AWSCURRENT where it is).
 */
public final class SecretRotatorHandler implements RequestStreamHandler {

    private static final System.Logger LOG = System.getLogger(SecretRotatorHandler.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretRotation rotation;

    /** Lambda's constructor: the real adapters, built once per container from the environment. */
    public SecretRotatorHandler() {
        this(fromEnvironment());
    }

    /** Tests and the local cloud: the rotation use case, wired on the given adapters. */
    public SecretRotatorHandler(SecretRotation rotation) {
        this.rotation = Objects.requireNonNull(rotation, "rotation");
    }

    /** The rotation of both secrets on these adapters (shared with the api's admin routes and the local cloud). */
    public static SecretRotation rotation(SecretVersions versions, CredentialStore credentials,
                                          RegistrationTokenCatalog catalog, RotatorConfig config, Clock clock) {
        return new SecretRotation(versions, List.of(new RotatedSecret.WebhookSecret(RotatorConfig.WEBHOOK_SECRET),
                new RotatedSecret.RegistrationTokenSecret(RotatorConfig.REGISTRATION_TOKEN_SECRET, credentials, catalog,
                        clock)), config.grace(), clock);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        String answer;
        if (event != null && "aws.events".equals(event.path("source").asText(null))) {
            answer = "finished " + rotation.finishOverdue().size() + " overdue rotation(s)";
        } else {
            answer = describe(handle(JSON.treeToValue(event, SecretRotationEvent.class)));
        }
        output.write(JSON.writeValueAsBytes(answer));
    }

    /** Runs one step; throws {@link RotationFailure} (or a Secrets Manager error) when it fails. */
    public StepOutcome handle(SecretRotationEvent event) {
        if (event == null || event.step() == null || event.secretId() == null || event.clientRequestToken() == null) {
            throw new RotationFailure("a rotation event needs Step, SecretId and ClientRequestToken");
        }
        RotationStep step = RotationStep.fromWireName(event.step())
                .orElseThrow(() -> new RotationFailure("unknown rotation step " + event.step()));
        StepOutcome outcome = rotation.run(step, event.secretId(), event.clientRequestToken());
        LOG.log(System.Logger.Level.INFO, event + ": " + describe(outcome));
        return outcome;
    }

    private static String describe(StepOutcome outcome) {
        return switch (outcome) {
            case StepOutcome.Done done -> done.step().wireName() + ": " + done.what();
            case StepOutcome.AlreadyDone already -> already.step().wireName() + ": already done, " + already.why();
            case StepOutcome.Held held -> "finishSecret: held, " + held.why();
        };
    }

    private static SecretRotation fromEnvironment() {
        var env = System.getenv();
        FunctionConfig config = FunctionConfig.fromEnv(env);
        AwsClients clients = AwsClients.from(config);
        Adapters adapters = Adapters.from(clients, config, Clock.systemUTC());
        String stateTable = FunctionConfig.require(config.stateTable(), io.hybridci.topology.EnvironmentNames.STATE_TABLE);
        return rotation(new SecretsManagerSecretVersions(clients.secretsManager()), adapters.credentials(),
                new DynamoDbRegistrationTokenCatalog(clients.dynamoDb(), stateTable, config.systemActor(), Clock.systemUTC()),
                RotatorConfig.fromEnv(env), Clock.systemUTC());
    }

}
