package dev.zoomscheduler.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * template.yaml as a stack would have it with given parameters: the SAM transform by AWS's own aws-sam-translator (which
 * comes with cfn-lint, a dependency of moto[server]), then CloudFormation's conditions applied
 * ({@code src/test/python/deployed_template.py}). Refs to resources, {@code Fn::GetAtt} and {@code Fn::Sub} of resources
 * stay as written.
 */
public final class DeployedTemplate {

    static final Path SCRIPT = Path.of("src/test/python/deployed_template.py");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Map<String, String>, DeployedTemplate> CACHE = new ConcurrentHashMap<>();

    private final JsonNode template;

    private DeployedTemplate(JsonNode template) {
        this.template = template;
    }

    /** template.yaml (of the working directory, the project) with these parameters, the others at their defaults. */
    public static DeployedTemplate of(Map<String, String> parameters) {
        return CACHE.computeIfAbsent(new TreeMap<>(parameters), DeployedTemplate::transform);
    }

    private static DeployedTemplate transform(Map<String, String> parameters) {
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString(), "template.yaml"));
        parameters.forEach((name, value) -> command.add(name + "=" + value));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("The SAM transform of template.yaml failed (python3 with aws-sam-translator, which"
                        + " pip install 'moto[server]' brings): " + err);
            }
            return new DeployedTemplate(JSON.readTree(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The resources, by logical id. */
    public Map<String, JsonNode> resources() {
        Map<String, JsonNode> all = new LinkedHashMap<>();
        template.get("Resources").fields().forEachRemaining(e -> all.put(e.getKey(), e.getValue()));
        return all;
    }

    /** The resources of one type, by logical id. */
    public Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            if (type.equals(resource.path("Type").asText())) {
                found.put(id, resource);
            }
        });
        return found;
    }

    /** The only resource of a type (a test failure if there is not exactly one). */
    public JsonNode only(String type) {
        Map<String, JsonNode> found = resources(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type + ", found " + found.keySet());
        }
        return found.values().iterator().next();
    }

    /** A resource's Properties; a test failure if there is no such resource. */
    public JsonNode properties(String logicalId) {
        JsonNode resource = template.get("Resources").get(logicalId);
        if (resource == null) {
            throw new AssertionError("no resource " + logicalId + " in " + resources().keySet());
        }
        return resource.path("Properties");
    }

    public boolean has(String logicalId) {
        return template.get("Resources").has(logicalId);
    }

    public JsonNode outputs() {
        return template.get("Outputs");
    }

    /** The value the stack gives a parameter (its default unless given). */
    public String parameter(String name) {
        return template.get("Parameters").get(name).asText();
    }
}
