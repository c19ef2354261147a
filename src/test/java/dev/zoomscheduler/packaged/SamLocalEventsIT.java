package dev.zoomscheduler.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.testing.FunctionProcess;
import dev.zoomscheduler.testing.HttpApiEvents;
import dev.zoomscheduler.testing.LambdaRuntimeEmulator;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.SamTemplate;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.zoom.ZoomFake;

/**
 * The {@code sam local invoke} steps of docs/deployment.md, run as SAM CLI would run them: the function's environment is the one SAM CLI
 * derives from template.yaml, the command's {@code --parameter-overrides} and its {@code --env-vars} file (SamTemplate),
 * the handler is the template's, and each command's event goes, unchanged and in the guide's order, to the packaged
 * function under AWS's runtime interface client, with the stand-ins the guide starts. Only the stand-ins' addresses differ:
 * env.json names them as a container sees the host ({@code host.docker.internal:5000} and {@code :8090}); here they
 * listen on free loopback ports. So a template, env.json or guide change that breaks a local run breaks this test.
 * The native steps run too when a native build is given ({@code -Dnative.bootstrap}); a plain build has none.
 */
class SamLocalEventsIT {

    static final Path TARGET = Path.of(System.getProperty("project.build.directory", "target"));
    static final Path PROJECT = TARGET.getParent();
    static final String FUNCTION = "SchedulerFunction";
    /** The page of the documentation that holds the steps (README links to it). */
    static final String GUIDE = "docs/deployment.md";
    static final long SAMPLE_MEETING_ID = 86220627999L;
    static final Pattern COMMAND = Pattern.compile("^sam local invoke " + FUNCTION + " (.+?)\\s+# -> (.+)$", Pattern.MULTILINE);
    static final ObjectMapper JSON = new ObjectMapper();

    /** One {@code sam local invoke} line of the guide: its options and the outcome it states. */
    record Command(Map<String, String> parameters, String envVars, String event, String outcome) {

        static Command parse(String options, String outcome) {
            Map<String, String> parameters = new LinkedHashMap<>();
            String envVars = null;
            String event = null;
            List<String> words = Arrays.asList(options.trim().split("\\s+"));
            for (int i = 0; i < words.size(); i++) {
                switch (words.get(i)) {
                    case "--env-vars", "-n" -> envVars = words.get(++i);
                    case "--event", "-e" -> event = words.get(++i);
                    case "--parameter-overrides" -> {
                        while (i + 1 < words.size() && !words.get(i + 1).startsWith("-")) {
                            String[] pair = words.get(++i).split("=", 2);
                            parameters.put(pair[0], pair[1]);
                        }
                    }
                    default -> throw new AssertionError(GUIDE + ": an option this test does not know: " + words.get(i));
                }
            }
            return new Command(parameters, envVars, event, outcome.trim());
        }
    }

    static List<Command> guideCommands(String runtime) throws IOException {
        Matcher m = COMMAND.matcher(Files.readString(PROJECT.resolve(GUIDE)));
        List<Command> commands = new ArrayList<>();
        while (m.find()) {
            Command command = Command.parse(m.group(1), m.group(2));
            if (runtime.equals(command.parameters().get("FunctionRuntime"))) {
                commands.add(command);
            }
        }
        return commands;
    }

    @Test
    void guideHasAStepForEverySampleEventForBothOptions() throws IOException {
        TreeSet<String> samples;
        try (Stream<Path> files = Files.list(PROJECT.resolve("events"))) {
            samples = files.map(p -> "events/" + p.getFileName()).collect(Collectors.toCollection(TreeSet::new));
        }
        List<Command> jvm = guideCommands("jvm");
        List<Command> nativeOption = guideCommands("native");
        assertEquals(samples, jvm.stream().map(Command::event).collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(jvm.stream().map(Command::event).toList(), nativeOption.stream().map(Command::event).toList(),
                "the same steps for the native option");
        for (int i = 0; i < jvm.size(); i++) {
            Map<String, String> withoutRuntime = new LinkedHashMap<>(nativeOption.get(i).parameters());
            withoutRuntime.put("FunctionRuntime", "jvm");
            assertEquals(jvm.get(i).parameters(), withoutRuntime, "the same overrides apart from FunctionRuntime");
            assertEquals(jvm.get(i).envVars(), nativeOption.get(i).envVars());
        }
    }

    @Test
    void guideStepsRunThroughTheEnvironmentSamCliGivesTheJvmOption() throws Exception {
        runGuideSteps("jvm", (env, runtimeApi) -> FunctionProcess.start(TARGET, runtimeApi, env, List.of()));
    }

    /**
     * The native steps, on a native build given as {@code -Dnative.bootstrap=DIR/bootstrap} (Quarkus' container build,
     * or ../shared/tools/native/build.sh): Lambda's custom runtime runs {@code bootstrap} with the same environment.
     */
    @Test
    @EnabledIfSystemProperty(named = "native.bootstrap", matches = ".+")
    void guideStepsRunThroughTheEnvironmentSamCliGivesTheNativeOption() throws Exception {
        Path bootstrap = Path.of(System.getProperty("native.bootstrap")).toAbsolutePath();
        runGuideSteps("native", (env, runtimeApi) -> {
            ProcessBuilder builder = new ProcessBuilder(bootstrap.toString()).directory(bootstrap.getParent().toFile())
                    .redirectErrorStream(true).redirectOutput(Files.createDirectories(TARGET.resolve("lambda-logs"))
                            .resolve("native-sam-local.log").toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            builder.environment().putAll(Map.of("AWS_LAMBDA_RUNTIME_API", runtimeApi, "AWS_ACCESS_KEY_ID", "test",
                    "AWS_SECRET_ACCESS_KEY", "test", "LAMBDA_TASK_ROOT", bootstrap.getParent().toString()));
            Process process = builder.start();
            return process::destroyForcibly;
        });
    }

    interface Starter {
        AutoCloseable start(Map<String, String> env, String runtimeApi) throws IOException;
    }

    void runGuideSteps(String runtime, Starter starter) throws Exception {
        List<Command> commands = guideCommands(runtime);
        assertFalse(commands.isEmpty(), GUIDE + " has no `sam local invoke` steps");
        Command first = commands.get(0);
        for (Command command : commands) {
            assertEquals(first.parameters(), command.parameters(), "one function process serves every step");
            assertEquals(first.envVars(), command.envVars());
        }
        SamTemplate template = SamTemplate.read(PROJECT.resolve("template.yaml"));
        JsonNode envVars = JSON.readTree(Files.readString(PROJECT.resolve(first.envVars())));
        Map<String, String> samEnvironment = template.localEnvironment(FUNCTION, first.parameters(), envVars);
        Map<String, Object> properties = template.functionProperties(FUNCTION, first.parameters());
        assertEquals(MotoServer.TOKEN_TABLE, samEnvironment.get("TOKEN_TABLE"), "the table the stand-ins create");
        assertEquals(MotoServer.REQUEST_TABLE, samEnvironment.get("IDEMPOTENCY_TABLE"), "the table the stand-ins create");

        MotoServer moto = MotoServer.start();
        try (ZoomFake zoom = ZoomFake.start(); LambdaRuntimeEmulator runtimeApi = LambdaRuntimeEmulator.start()) {
            moto.createTables(MotoServer.TOKEN_TABLE, MotoServer.REQUEST_TABLE);
            new TokenTable(moto.client(), MotoServer.TOKEN_TABLE).seedExpired("default", zoom.authorize());
            zoom.createWithIdWhileFree(SAMPLE_MEETING_ID);

            Map<String, String> env = new LinkedHashMap<>();
            samEnvironment.forEach((name, value) -> env.put(name, value
                    .replace("http://host.docker.internal:5000", moto.endpoint())
                    .replace("http://host.docker.internal:8090", zoom.oauthUrl())));
            env.put("_HANDLER", properties.get("Handler").toString());
            try (AutoCloseable function = starter.start(env, runtimeApi.address())) {
                runtimeApi.awaitPollers(1, Duration.ofSeconds(60));
                for (Command command : commands) {
                    LambdaRuntimeEmulator.Result result = runtimeApi.invoke(Files.readString(PROJECT.resolve(command.event())),
                            Duration.ofSeconds(30));
                    assertFalse(result.error(), command.event() + ": " + result.body());
                    if (command.outcome().matches("\\d{3}")) {
                        HttpApiEvents.Response response = HttpApiEvents.parseResponse(result.body());
                        assertEquals(Integer.parseInt(command.outcome()), response.statusCode(), command.event() + ": " + response.body());
                    } else {
                        assertEquals("no batchItemFailures", command.outcome(), GUIDE + "'s outcome of " + command.event());
                        assertEquals(0, JSON.readTree(result.body()).get("batchItemFailures").size(), command.event() + ": " + result.body());
                    }
                }
                assertTrue(zoom.meetings().stream().anyMatch(m -> m.get("topic").asText().equals("Consultation for booking 43")),
                        "the EventBridge booking reached Zoom");
            }
        } finally {
            moto.kill();
        }
    }
}
