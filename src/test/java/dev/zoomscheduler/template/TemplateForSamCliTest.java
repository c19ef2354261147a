package dev.zoomscheduler.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.testing.SamTemplate;

/**
 * template.yaml as SAM CLI reads it for {@code sam build} and {@code sam local}: no construct it leaves unresolved in the
 * function's properties (it would run the function without its layers, with "" for a variable, or stop), the right
 * runtime, handler and code for both FunctionRuntime options, and an env.json that names only variables the template
 * defines (SAM CLI ignores any other name without a word).
 */
class TemplateForSamCliTest {

    static final Path TEMPLATE = Path.of("template.yaml");
    static final Path ENV_JSON = Path.of("env.json");
    static final String FUNCTION = "SchedulerFunction";
    static final SamTemplate SAM = SamTemplate.read(TEMPLATE);

    static Map<String, String> parameters(String runtime, String... more) {
        Map<String, String> parameters = new HashMap<>(Map.of("FunctionRuntime", runtime, "ZoomClientId", "client-id"));
        for (int i = 0; i < more.length; i += 2) {
            parameters.put(more[i], more[i + 1]);
        }
        return parameters;
    }

    @Test
    void theTemplateHasOneFunction() {
        assertEquals(List.of(FUNCTION), SAM.functions());
    }

    @ParameterizedTest
    @ValueSource(strings = { "native", "jvm" })
    void samCliResolvesEveryPropertyOfTheFunction(String runtime) {
        for (Map<String, String> parameters : List.of(parameters(runtime),
                parameters(runtime, "ZoomClientSecretId", "zoom/app", "ZoomWebhookSecretId", "zoom/app", "ZoomAccountId", "account"))) {
            Map<String, Object> properties = SAM.functionProperties(FUNCTION, parameters);
            assertEquals(List.of(), SamTemplate.unresolved(properties), "left unresolved by SAM CLI with " + parameters);
        }
    }

    @Test
    void theNativeOptionIsTheBootstrapExecutableOnProvidedAl2023() {
        Map<String, Object> properties = SAM.functionProperties(FUNCTION, parameters("native"));
        assertEquals("provided.al2023", properties.get("Runtime"));
        assertEquals("not.used.in.provided.runtime", properties.get("Handler"), "the value Quarkus writes in sam.native.yaml");
        assertEquals("target/function.zip", properties.get("CodeUri"));
        assertFalse(properties.containsKey("Layers"));
        assertEquals("", environment("native").get("JAVA_TOOL_OPTIONS"), "no JVM flags for an executable");
    }

    @Test
    void theJvmOptionIsQuarkusStreamHandlerOnJava21WithSnapStart() {
        Map<String, Object> properties = SAM.functionProperties(FUNCTION, parameters("jvm"));
        assertEquals("java21", properties.get("Runtime"));
        assertEquals("io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest", properties.get("Handler"));
        assertEquals("target/function.zip", properties.get("CodeUri"));
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), properties.get("SnapStart"));
        assertEquals("-XX:+TieredCompilation -XX:TieredStopAtLevel=1", environment("jvm").get("JAVA_TOOL_OPTIONS"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "native", "jvm" })
    void bothOptionsReadTheSecretsFromSecretsManagerThemselvesWithoutALayer(String runtime) {
        Map<String, Object> properties = SAM.functionProperties(FUNCTION,
                parameters(runtime, "ZoomClientSecretId", "zoom/app", "ZoomWebhookSecretId", "zoom/webhook"));
        assertFalse(properties.containsKey("Layers"));
        Map<String, String> local = SAM.localEnvironment(FUNCTION, parameters(runtime, "ZoomClientSecretId", "zoom/app",
                "ZoomWebhookSecretId", "zoom/webhook"), new ObjectMapper().createObjectNode());
        assertEquals("zoom/app", local.get("ZOOM_CLIENT_SECRET_ID"));
        assertEquals("zoom/webhook", local.get("ZOOM_WEBHOOK_SECRET_ID"));
        assertEquals("", local.get("ZOOM_CLIENT_SECRET"), "no secret in the environment");
        assertEquals("", local.get("ZOOM_WEBHOOK_SECRET_TOKEN"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "env.json", "env.zoom.json" })
    void envVarsFilesNameOnlyTheFunctionAndVariablesTheTemplateDefines(String file) throws IOException {
        JsonNode env = new ObjectMapper().readTree(Files.readString(Path.of(file)));
        List<String> defined = SAM.environmentNames(FUNCTION);
        List<String> stray = new ArrayList<>();
        env.fieldNames().forEachRemaining(section -> {
            if (!section.equals(FUNCTION) && !section.equals("Parameters")) {
                stray.add(section + " (no such function)");
            }
            env.get(section).fieldNames().forEachRemaining(name -> {
                if (!defined.contains(name)) {
                    stray.add(section + "." + name);
                }
            });
        });
        assertEquals(List.of(), stray, "SAM CLI ignores these: the template's Environment does not define them");
        assertFalse(env.path(FUNCTION).isEmpty());
    }

    @Test
    void envJsonReplacesWhatOnlyResolvesInTheCloud() {
        Map<String, String> local = environment("jvm");
        assertFalse(local.get("TOKEN_TABLE").equals("TokenTable"), "!Ref TokenTable is the literal logical id locally");
        assertFalse(local.get("IDEMPOTENCY_TABLE").equals("IdempotencyTable"));
        assertFalse(local.get("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE").isEmpty(), "a local DynamoDB");
        assertFalse(local.get("EVENTBRIDGE_ENDPOINT_OVERRIDE").isEmpty(), "a local EventBridge for outcome events");
    }

    static Map<String, String> environment(String runtime) {
        try {
            return SAM.localEnvironment(FUNCTION, parameters(runtime), new ObjectMapper().readTree(Files.readString(ENV_JSON)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
