package dev.zoomscheduler.testing;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * template.yaml as SAM CLI reads it for {@code sam build}, {@code sam local invoke} and {@code sam local start-api}
 * ({@code samcli/lib/providers/sam_base_provider.py} with {@code samcli/lib/intrinsic_resolver}, aws-sam-cli at
 * fe8f8db): parameters from {@code --parameter-overrides} or their defaults, then every intrinsic it can resolve.
 * Its rules, which differ from CloudFormation's:
 * <ul>
 * <li>{@code Ref} of a resource is the resource's logical id ({@code !Ref TokenTable} is the string "TokenTable").</li>
 * <li>{@code Ref AWS::NoValue} is Python's None, and an {@code Fn::If} with a None branch fails, whatever the
 * condition. A failure leaves the property that holds it unresolved, as written (so {@code Layers: !If [..., NoValue]}
 * stays an {@code Fn::If} object, which SAM CLI then takes for a layer named "Fn::If").</li>
 * <li>An environment variable whose value is unresolved (a dict or list) silently becomes "" ({@code env_vars.py}), and
 * {@code --env-vars} overrides only variables the template defines: any other name is ignored.</li>
 * </ul>
 */
public final class SamTemplate {

    /** The pseudo parameters as SAM CLI fills them locally. */
    private static final Map<String, String> PSEUDO = Map.of("AWS::Region", "us-east-1", "AWS::AccountId", "123456789012",
            "AWS::Partition", "aws", "AWS::URLSuffix", "amazonaws.com", "AWS::StackName", "local", "AWS::StackId",
            "arn:aws:cloudformation:us-east-1:123456789012:stack/local/51af3dc0-da77-11e4-872e-1234567db123");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

    private final Map<String, Object> template;

    private SamTemplate(Map<String, Object> template) {
        this.template = template;
    }

    public static SamTemplate read(Path file) {
        try (Reader in = Files.newBufferedReader(file)) {
            return new SamTemplate(new Yaml(new CloudFormationTags()).load(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The resolution that failed: SAM CLI leaves the property that holds it as written. */
    static final class Unresolved extends RuntimeException {
        Unresolved(String what) {
            super(what, null, false, false);
        }
    }

    /** The function's Properties as SAM CLI sees them with these parameter overrides. */
    public Map<String, Object> functionProperties(String logicalId, Map<String, String> overrides) {
        Map<String, Object> resource = map(resources().get(logicalId), "resource " + logicalId);
        return map(new Resolver(overrides).resolve(resource.get("Properties")), "Properties of " + logicalId);
    }

    /** Where, in these (resolved) properties, an intrinsic was left unresolved: paths such as {@code Layers/Fn::If}. */
    public static List<String> unresolved(Object resolved) {
        List<String> found = new ArrayList<>();
        collectUnresolved(resolved, "", found);
        return found;
    }

    /** Logical ids of the {@code AWS::Serverless::Function} resources. */
    public List<String> functions() {
        return resources().entrySet().stream()
                .filter(e -> "AWS::Serverless::Function".equals(map(e.getValue(), e.getKey()).get("Type")))
                .map(Map.Entry::getKey).toList();
    }

    /** Names of the variables the function's Environment defines. */
    public List<String> environmentNames(String logicalId) {
        Map<String, Object> properties = map(map(resources().get(logicalId), logicalId).get("Properties"), logicalId);
        return List.copyOf(map(map(properties.get("Environment"), "Environment").get("Variables"), "Variables").keySet());
    }

    /**
     * The variables the function gets from {@code sam local invoke --parameter-overrides ... --env-vars FILE}, as
     * {@code EnvironmentVariables.resolve()} makes them: the template's values, replaced by the file's {@code Parameters}
     * section, then by its section for this function, each only if the template defines it; unresolved values are "".
     * Also the variables SAM CLI sets itself that this function reads or that describe it.
     */
    public Map<String, String> localEnvironment(String logicalId, Map<String, String> overrides, JsonNode envVarsFile) {
        Map<String, Object> properties = functionProperties(logicalId, overrides);
        Map<String, Object> variables = map(map(properties.get("Environment"), "Environment").get("Variables"), "Variables");
        Map<String, String> result = new TreeMap<>();
        result.put("AWS_SAM_LOCAL", "true");
        result.put("AWS_LAMBDA_FUNCTION_NAME", logicalId);
        result.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", stringify(properties.get("MemorySize")));
        result.put("AWS_LAMBDA_FUNCTION_TIMEOUT", stringify(properties.get("Timeout")));
        result.put("AWS_LAMBDA_FUNCTION_HANDLER", stringify(properties.get("Handler")));
        result.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        result.put("AWS_REGION", "us-east-1");
        result.put("AWS_DEFAULT_REGION", "us-east-1");
        for (Map.Entry<String, Object> variable : variables.entrySet()) {
            String name = variable.getKey();
            JsonNode override = envVarsFile.path(logicalId).has(name) ? envVarsFile.path(logicalId).get(name)
                    : envVarsFile.path("Parameters").get(name);
            result.put(name, override != null ? override.asText() : stringify(variable.getValue()));
        }
        return result;
    }

    /** Python's str() of a resolved value as {@code _stringify_value} does it. */
    private static String stringify(Object value) {
        if (value == null || value instanceof Map || value instanceof List) {
            return "";
        }
        return value instanceof Boolean b ? Boolean.toString(b) : value.toString();
    }

    /** The template's resources as written (logical id to resource), intrinsic functions unresolved. */
    public Map<String, Object> resources() {
        return map(template.get("Resources"), "Resources");
    }

    /** The template's parameter declarations as written (name to Type, Default, AllowedPattern, ...). */
    public Map<String, Object> parameters() {
        return template.containsKey("Parameters") ? map(template.get("Parameters"), "Parameters") : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new IllegalStateException(what + " is not a mapping in template.yaml: " + value);
        }
        return (Map<String, Object>) value;
    }

    private static boolean isIntrinsic(Map<?, ?> map) {
        if (map.size() != 1) {
            return false;
        }
        Object key = map.keySet().iterator().next();
        return "Ref".equals(key) || "Condition".equals(key) || key.toString().startsWith("Fn::");
    }

    private static void collectUnresolved(Object value, String path, List<String> found) {
        if (value == null) {
            found.add(path + " (AWS::NoValue)");
        } else if (value instanceof Map<?, ?> map) {
            if (isIntrinsic(map)) {
                found.add(path + "/" + map.keySet().iterator().next());
                return;
            }
            map.forEach((k, v) -> collectUnresolved(v, path + "/" + k, found));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectUnresolved(list.get(i), path + "[" + i + "]", found);
            }
        }
    }

    /** The part of SAM CLI's IntrinsicResolver this template uses, with its failure rules. */
    private final class Resolver {

        private final Map<String, String> overrides;

        Resolver(Map<String, String> overrides) {
            this.overrides = overrides;
        }

        Object resolve(Object value) {
            if (value instanceof List<?> list) {
                List<Object> out = new ArrayList<>();
                list.forEach(item -> out.add(resolve(item)));
                return out;
            }
            if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
                return value;
            }
            if (isIntrinsic(map)) {
                Map.Entry<?, ?> only = map.entrySet().iterator().next();
                return intrinsic(only.getKey().toString(), only.getValue());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                try {
                    out.put(k.toString(), resolve(v));
                } catch (Unresolved e) {
                    out.put(k.toString(), v); // "Unable to resolve property ... Leaving as is."
                }
            });
            return out;
        }

        private Object intrinsic(String function, Object argument) {
            return switch (function) {
                case "Ref" -> ref(argument.toString());
                case "Condition" -> condition(argument.toString());
                case "Fn::If" -> {
                    List<?> args = arguments(function, argument, 3);
                    Object whenTrue = resolve(args.get(1));
                    Object whenFalse = resolve(args.get(2));
                    if (whenTrue == null || whenFalse == null) {
                        throw new Unresolved("Missing Intrinsic property in Fn::If (a branch is AWS::NoValue)");
                    }
                    yield condition(resolve(args.get(0)).toString()) ? whenTrue : whenFalse;
                }
                case "Fn::Equals" -> {
                    List<?> args = arguments(function, argument, 2);
                    yield String.valueOf(resolve(args.get(0))).equals(String.valueOf(resolve(args.get(1))));
                }
                case "Fn::Not" -> !bool(resolve(arguments(function, argument, 1).get(0)));
                case "Fn::And" -> ((List<?>) argument).stream().allMatch(a -> bool(resolve(a)));
                case "Fn::Or" -> ((List<?>) argument).stream().anyMatch(a -> bool(resolve(a)));
                case "Fn::Join" -> {
                    List<?> args = arguments(function, argument, 2);
                    List<String> parts = new ArrayList<>();
                    ((List<?>) resolve(args.get(1))).forEach(p -> parts.add(String.valueOf(p)));
                    yield String.join(args.get(0).toString(), parts);
                }
                case "Fn::Split" -> {
                    List<?> args = arguments(function, argument, 2);
                    yield Arrays.asList(String.valueOf(resolve(args.get(1))).split(Pattern.quote(args.get(0).toString()), -1));
                }
                case "Fn::Select" -> {
                    List<?> args = arguments(function, argument, 2);
                    yield ((List<?>) resolve(args.get(1))).get(Integer.parseInt(String.valueOf(resolve(args.get(0)))));
                }
                case "Fn::Sub" -> sub(argument);
                case "Fn::GetAtt" -> {
                    List<?> args = arguments(function, argument, 2);
                    if (!"Arn".equals(args.get(1)) || !resources().containsKey(args.get(0).toString())) {
                        throw new Unresolved("Fn::GetAtt " + args);
                    }
                    yield "arn:aws:lambda:us-east-1:123456789012:function:" + args.get(0);
                }
                default -> throw new Unresolved(function + " is not resolved locally");
            };
        }

        private Object ref(String name) {
            if ("AWS::NoValue".equals(name)) {
                return null;
            }
            if (PSEUDO.containsKey(name)) {
                return PSEUDO.get(name);
            }
            if (overrides.containsKey(name)) {
                return overrides.get(name);
            }
            if (parameters().containsKey(name)) {
                Object fallback = map(parameters().get(name), name).get("Default");
                if (fallback == null) {
                    throw new Unresolved("parameter " + name + " has no value (pass it in --parameter-overrides)");
                }
                return fallback;
            }
            if (resources().containsKey(name)) {
                return name;
            }
            throw new Unresolved("Ref " + name);
        }

        private boolean condition(String name) {
            Map<String, Object> conditions = map(template.get("Conditions"), "Conditions");
            if (!conditions.containsKey(name)) {
                throw new Unresolved("no condition " + name);
            }
            return bool(resolve(conditions.get(name)));
        }

        private boolean bool(Object value) {
            if (!(value instanceof Boolean b)) {
                throw new Unresolved("not a boolean: " + value);
            }
            return b;
        }

        private Object sub(Object argument) {
            String text = argument instanceof List<?> list ? list.get(0).toString() : argument.toString();
            Map<?, ?> variables = argument instanceof List<?> list && list.size() > 1 ? (Map<?, ?>) list.get(1) : Map.of();
            Matcher m = SUB_VARIABLE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                Object value = variables.containsKey(name) ? resolve(variables.get(name))
                        : name.contains(".") ? intrinsic("Fn::GetAtt", List.of(name.split("\\.", 2))) : ref(name);
                m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
            }
            m.appendTail(out);
            return out.toString();
        }

        private List<?> arguments(String function, Object argument, int count) {
            if (!(argument instanceof List<?> list) || list.size() != count) {
                throw new Unresolved(function + " needs " + count + " arguments: " + argument);
            }
            return list;
        }
    }

    /** CloudFormation's short forms ({@code !Ref X}, {@code !If [...]}, {@code !GetAtt A.B}) as their long forms. */
    private static final class CloudFormationTags extends SafeConstructor {

        CloudFormationTags() {
            super(new LoaderOptions());
            for (String function : List.of("If", "Equals", "Not", "And", "Or", "Join", "Split", "Select", "Sub", "GetAtt",
                    "FindInMap", "Base64", "GetAZs", "ImportValue", "Cidr", "Transform")) {
                yamlConstructors.put(new Tag("!" + function), new Intrinsic("Fn::" + function));
            }
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
        }

        private final class Intrinsic extends AbstractConstruct {

            private final String name;

            Intrinsic(String name) {
                this.name = name;
            }

            @Override
            public Object construct(Node node) {
                Object argument;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    argument = "Fn::GetAtt".equals(name) ? List.of(text.split("\\.", 2)) : text;
                } else if (node instanceof SequenceNode sequence) {
                    argument = constructSequence(sequence);
                } else {
                    argument = constructMapping((MappingNode) node);
                }
                Map<String, Object> intrinsic = new LinkedHashMap<>();
                intrinsic.put(name, argument);
                return intrinsic;
            }
        }
    }
}
