package dev.zoomscheduler.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.events.SchedulingRequest;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.testing.DeployedTemplate;
import dev.zoomscheduler.testing.SamTemplate;
import dev.zoomscheduler.testing.TemplateRoutes;

/**
 * The stack template.yaml makes, as CloudFormation deploys it: the SAM transform by AWS's aws-sam-translator, then the
 * template's conditions for the given parameters ({@link DeployedTemplate}). What an operator relies on before putting it
 * into production.
 */
class StackTest {

    static DeployedTemplate stack(String... parameters) {
        Map<String, String> given = new HashMap<>(Map.of("ZoomClientId", "client-id"));
        for (int i = 0; i < parameters.length; i += 2) {
            given.put(parameters[i], parameters[i + 1]);
        }
        return DeployedTemplate.of(given);
    }

    @Test
    void noEnabledRuleOnTheDefaultBusAndNoExampleUnlessExamplesAreAskedFor() {
        for (DeployedTemplate plain : List.of(stack(), stack("OutcomeEventBus", "default"))) {
            assertEquals(List.of(), enabledRulesOnTheDefaultBus(plain));
            assertEquals(List.of("KeepAliveSchedule"), List.copyOf(plain.resources("AWS::Scheduler::Schedule").keySet()),
                    "the keep-alive's schedule only");
            assertEquals(List.of("SchedulingDeadLetterQueue", "SchedulingQueue"),
                    plain.resources("AWS::SQS::Queue").keySet().stream().sorted().toList(), "no example queue");
            assertEquals(Map.of(), plain.resources("AWS::SQS::QueuePolicy"), "no queue lets EventBridge in");
        }
        DeployedTemplate examples = stack("DeployExamples", "true", "OutcomeEventBus", "default");
        assertEquals(List.of("BookingConfirmedRule", "MeetingScheduledRule"), enabledRulesOnTheDefaultBus(examples));
        assertEquals(List.of("123456789012"), values(examples.properties("BookingConfirmedRule").at("/EventPattern/account")),
                "even the example takes events of its own account only");
    }

    @Test
    void everyTargetOfARuleOrScheduleHasADeadLetterQueueAndARetryPolicy() {
        DeployedTemplate examples = stack("DeployExamples", "true", "OutcomeEventBus", "bookings");
        List<JsonNode> targets = new ArrayList<>();
        examples.resources("AWS::Events::Rule").values().forEach(rule -> rule.at("/Properties/Targets").forEach(targets::add));
        examples.resources("AWS::Scheduler::Schedule").values().forEach(schedule -> targets.add(schedule.at("/Properties/Target")));
        assertEquals(4, targets.size(), "two rules, the example schedule and the keep-alive's");
        for (JsonNode target : targets) {
            assertTrue(target.at("/DeadLetterConfig/Arn").has("Fn::GetAtt"), target.toString());
            assertTrue(target.at("/RetryPolicy/MaximumEventAgeInSeconds").isInt(), target.toString());
            assertTrue(target.at("/RetryPolicy/MaximumRetryAttempts").isInt(), target.toString());
        }
        JsonNode scheduleRole = examples.properties("SchedulerSendRole").at("/Policies/0/PolicyDocument/Statement/0/Resource");
        assertTrue(scheduleRole.toString().contains("SchedulingDeadLetterQueue"), "Scheduler sends dead letters with its role: " + scheduleRole);
    }

    @Test
    void everyRouteIsThrottledAndTheTwoUnsignedOnesMoreTightly() {
        JsonNode stage = stack().only("AWS::ApiGatewayV2::Stage").get("Properties");
        int rate = stage.at("/DefaultRouteSettings/ThrottlingRateLimit").asInt();
        int burst = stage.at("/DefaultRouteSettings/ThrottlingBurstLimit").asInt();
        assertTrue(rate > 0 && burst >= rate, stage.toString());
        JsonNode routes = stage.get("RouteSettings");
        assertEquals(List.of("GET /oauth/callback", "POST /zoom/webhook"), fieldNames(routes));
        for (JsonNode route : routes) {
            assertTrue(route.get("ThrottlingRateLimit").asInt() < rate, route.toString());
            assertTrue(route.get("ThrottlingBurstLimit").asInt() < burst, route.toString());
        }
        assertEquals(List.copyOf(TemplateRoutes.read().publicRoutes()), fieldNames(routes), "exactly the routes without IAM authorisation");
    }

    @Test
    void theFunctionHasReservedConcurrencyAndTheQueueLeavesTheApiItsShare() {
        DeployedTemplate stack = stack();
        int reserved = stack.properties("SchedulerFunction").get("ReservedConcurrentExecutions").asInt();
        int queue = stack.only("AWS::Lambda::EventSourceMapping").at("/Properties/ScalingConfig/MaximumConcurrency").asInt();
        assertTrue(queue >= 2 && queue < reserved, "queue " + queue + " of " + reserved);
    }

    @Test
    void everyApiRequestIsLoggedWithItsCallerRouteStatusAndIntegrationErrorIntoALogGroupWithRetention() throws Exception {
        DeployedTemplate stack = stack();
        JsonNode log = stack.only("AWS::ApiGatewayV2::Stage").at("/Properties/AccessLogSettings");
        assertEquals("{\"Fn::GetAtt\":[\"ApiAccessLogGroup\",\"Arn\"]}", log.get("DestinationArn").toString());
        String format = log.get("Format").asText();
        for (String variable : List.of("$context.identity.userArn", "$context.routeKey", "$context.status",
                "$context.integrationErrorMessage", "$context.requestId")) {
            assertTrue(format.contains(variable), variable + " in " + format);
        }
        assertFalse(format.contains("rawQueryString") || format.contains("$request"), "no query string: the callback's holds Zoom's code");
        new ObjectMapper().readTree(format); // one JSON object a line, for Logs Insights
        assertTrue(stack.properties("ApiAccessLogGroup").get("RetentionInDays").asInt() >= 30);
    }

    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:operators";

    @Test
    void theAlarmsWatchTheQueuesTheFunctionTheApiAndTheFunctionsOwnMetricsAndNotifyTheTopic() {
        DeployedTemplate stack = stack("AlarmTopicArn", TOPIC);
        String namespace = stack.properties("SchedulerFunction").at("/Environment/Variables/METRICS_NAMESPACE").asText();
        String dailyLimit = ProblemType.ZOOM_DAILY_LIMIT.uri().substring("/problems/".length());
        Map<String, String> watched = new java.util.TreeMap<>();
        stack.resources("AWS::CloudWatch::Alarm").forEach((id, alarm) -> {
            JsonNode properties = alarm.get("Properties");
            assertEquals("[\"" + TOPIC + "\"]", properties.get("AlarmActions").toString(), id);
            assertEquals("GreaterThanOrEqualToThreshold", properties.get("ComparisonOperator").asText(), id);
            assertEquals("notBreaching", properties.get("TreatMissingData").asText(), id);
            List<String> metrics = new ArrayList<>();
            if (properties.has("Metrics")) {
                properties.get("Metrics").forEach(query -> {
                    if (query.has("MetricStat")) {
                        metrics.add(metric(query.at("/MetricStat/Metric")));
                    }
                });
            } else {
                metrics.add(metric(properties));
            }
            watched.put(id, String.join(" + ", metrics) + " >= " + properties.get("Threshold").asText());
        });
        assertEquals(Map.of(
                "DeadLetterQueueAlarm", "AWS/SQS ApproximateNumberOfMessagesVisible QueueName={Fn::GetAtt=[SchedulingDeadLetterQueue, QueueName]} >= 1",
                "QueueAgeAlarm", "AWS/SQS ApproximateAgeOfOldestMessage QueueName={Fn::GetAtt=[SchedulingQueue, QueueName]} >= 3600",
                "FunctionErrorsAlarm", "AWS/Lambda Errors FunctionName={Ref=SchedulerFunction} >= 1",
                "FunctionThrottlesAlarm", "AWS/Lambda Throttles FunctionName={Ref=SchedulerFunction} >= 1",
                "Api5xxAlarm", "AWS/ApiGateway 5xx ApiId={Ref=HttpApi} >= 5",
                "ReauthorizationRequiredAlarm", namespace + " ConnectionHealth Health=reauthorization_required >= 1",
                "DailyLimitAlarm", namespace + " Problems Type=" + dailyLimit + " + " + namespace + " QueueMessages Outcome=held_back >= 1"),
                watched);
        assertEquals("FILL(http, 0) + FILL(queued, 0)", stack.properties("DailyLimitAlarm").at("/Metrics/2/Expression").asText());

        stack().resources("AWS::CloudWatch::Alarm").forEach((id, alarm) -> assertFalse(alarm.get("Properties").has("AlarmActions"),
                id + ": no topic, no action"));
    }

    /** "NAMESPACE NAME DIMENSION=VALUE" of a metric (one dimension, as each of ours has). */
    static String metric(JsonNode metric) {
        JsonNode dimension = metric.at("/Dimensions/0");
        Object value = dimension.get("Value").isTextual() ? dimension.get("Value").asText()
                : new ObjectMapper().convertValue(dimension.get("Value"), Map.class);
        return metric.get("Namespace").asText() + " " + metric.get("MetricName").asText() + " " + dimension.get("Name").asText() + "=" + value;
    }

    static final String WEBHOOK_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:zoom/webhook-AbCdEf";
    static final String KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @Test
    void theRoleMayReadExactlyTheNamedSecretsAndDecryptWithTheirKeyOnlyThroughSecretsManager() {
        for (String runtime : List.of("native", "jvm")) {
            DeployedTemplate stack = stack("FunctionRuntime", runtime, "ZoomClientSecretId", "zoom/client", "ZoomWebhookSecretId",
                    WEBHOOK_SECRET_ARN, "SecretsKmsKeyArn", KEY_ARN);
            JsonNode secrets = statement(stack, "ZoomSecrets");
            assertEquals("secretsmanager:GetSecretValue", secrets.get("Action").asText());
            assertEquals(List.of("arn:aws:secretsmanager:us-east-1:123456789012:secret:zoom/client-??????", WEBHOOK_SECRET_ARN),
                    values(secrets.get("Resource")));
            JsonNode key = statement(stack, "ZoomSecretsKey");
            assertEquals("kms:Decrypt", key.get("Action").asText());
            assertEquals(KEY_ARN, key.get("Resource").asText());
            assertEquals("secretsmanager.us-east-1.amazonaws.com", key.at("/Condition/StringEquals/kms:ViaService").asText());
            assertFalse(stack.properties("SchedulerFunction").has("Layers"), runtime + ": no extension layer");
        }
        DeployedTemplate onlyWebhook = stack("ZoomWebhookSecretId", "zoom/webhook", "SecretsKmsKeyArn", KEY_ARN);
        assertEquals(List.of("arn:aws:secretsmanager:us-east-1:123456789012:secret:zoom/webhook-??????"),
                values(statement(onlyWebhook, "ZoomSecrets").get("Resource")));
        DeployedTemplate none = stack("SecretsKmsKeyArn", KEY_ARN);
        assertEquals(List.of(), sids(none).stream().filter(sid -> sid.startsWith("ZoomSecrets")).toList(), "no secret, no access");
    }

    @Test
    void everyResourceInTheFunctionsRoleIsASpecificArn() {
        for (DeployedTemplate stack : List.of(stack(), stack("ZoomClientSecretId", "zoom/client", "ZoomWebhookSecretId", WEBHOOK_SECRET_ARN,
                "SecretsKmsKeyArn", KEY_ARN, "OutcomeEventBus", "bookings", "DeployExamples", "true"),
                stack("OutcomeEventBus", "arn:aws:events:us-east-1:123456789012:event-bus/bookings"))) {
            for (JsonNode statement : stack.properties("FunctionRole").at("/Policies/0/PolicyDocument/Statement")) {
                JsonNode resource = statement.get("Resource");
                List<JsonNode> resources = new ArrayList<>();
                if (resource.isArray()) {
                    resource.forEach(resources::add);
                } else {
                    resources.add(resource);
                }
                for (JsonNode one : resources) {
                    assertTrue(isSpecificArn(one), statement.get("Sid").asText() + ": " + one);
                }
            }
        }
    }

    @Test
    void theArchitectureIsAParameterForBothRuntimes() {
        for (String runtime : List.of("native", "jvm")) {
            assertEquals(List.of("x86_64"), values(stack("FunctionRuntime", runtime).properties("SchedulerFunction").get("Architectures")));
            assertEquals(List.of("arm64"), values(stack("FunctionRuntime", runtime, "Architecture", "arm64").properties("SchedulerFunction")
                    .get("Architectures")));
        }
    }

    @Test
    void xRayTracingIsOptionalAndOnlyItBringsAManagedPolicy() {
        DeployedTemplate plain = stack();
        assertEquals("PassThrough", plain.properties("SchedulerFunction").at("/TracingConfig/Mode").asText());
        assertFalse(plain.properties("FunctionRole").has("ManagedPolicyArns"), "the inline policy is all the role has");
        DeployedTemplate traced = stack("Tracing", "Active");
        assertEquals("Active", traced.properties("SchedulerFunction").at("/TracingConfig/Mode").asText());
        assertEquals(List.of("arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"), values(traced.properties("FunctionRole").get("ManagedPolicyArns")),
                "X-Ray's write actions take no resource: AWS's managed policy for them, nothing more");
    }

    @Test
    void aCanaryDeploymentIsOptionalAndRollsBackOnTheFunctionsErrors() {
        assertEquals(Map.of(), stack().resources("AWS::CodeDeploy::DeploymentGroup"));
        DeployedTemplate canary = stack("CanaryDeployment", "true");
        JsonNode group = canary.only("AWS::CodeDeploy::DeploymentGroup").get("Properties");
        assertEquals("[{\"Name\":{\"Ref\":\"FunctionErrorsAlarm\"}}]", group.at("/AlarmConfiguration/Alarms").toString());
        assertTrue(group.at("/AlarmConfiguration/Enabled").asBoolean());
        assertTrue(values(group.at("/AutoRollbackConfiguration/Events")).contains("DEPLOYMENT_STOP_ON_ALARM"));
        assertEquals("Canary10Percent5Minutes", group.at("/DeploymentConfigName/Fn::Sub/1/ConfigName").asText());
        JsonNode alias = canary.only("AWS::Lambda::Alias");
        assertEquals("{\"Ref\":\"SchedulerFunctionDeploymentGroup\"}",
                alias.at("/UpdatePolicy/CodeDeployLambdaAliasUpdate/DeploymentGroupName").toString(), "live moves through CodeDeploy");
    }

    @Test
    void theKeepAliveRunsDailyThroughTheQueueWithTheMessageTheFunctionTakesForIt() {
        DeployedTemplate stack = stack();
        JsonNode schedule = stack.properties("KeepAliveSchedule");
        assertEquals("rate(1 day)", schedule.get("ScheduleExpression").asText());
        assertEquals("UTC", schedule.get("ScheduleExpressionTimezone").asText());
        assertEquals("ENABLED", schedule.get("State").asText());
        JsonNode target = schedule.get("Target");
        assertEquals("{\"Fn::GetAtt\":[\"SchedulingQueue\",\"Arn\"]}", target.get("Arn").toString());
        assertEquals("{\"Fn::GetAtt\":[\"SchedulerSendRole\",\"Arn\"]}", target.get("RoleArn").toString());
        assertTrue(SchedulingRequest.isKeepAlive(target.get("Input").asText()), "the function runs the keep-alive on it: " + target);
        assertTrue(stack.properties("SchedulerSendRole").at("/Policies/0/PolicyDocument/Statement/0/Resource").toString()
                .contains("\"SchedulingQueue\""), "Scheduler may send to the queue");
        assertTrue(values(statement(stack, "TokenTable").get("Action")).contains("dynamodb:Scan"), "the run lists the connections");
        JsonNode variables = stack.properties("SchedulerFunction").at("/Environment/Variables");
        assertEquals("7", variables.get("KEEPALIVE_AFTER_DAYS").asText());
        assertEquals("100", variables.get("KEEPALIVE_MAX_CONNECTIONS").asText());

        DeployedTemplate often = stack("KeepAliveScheduleExpression", "rate(6 hours)", "KeepAliveAfterDays", "3",
                "KeepAliveMaxConnections", "500");
        assertEquals("rate(6 hours)", often.properties("KeepAliveSchedule").get("ScheduleExpression").asText());
        assertEquals("3", often.properties("SchedulerFunction").at("/Environment/Variables/KEEPALIVE_AFTER_DAYS").asText());
        assertEquals("500", often.properties("SchedulerFunction").at("/Environment/Variables/KEEPALIVE_MAX_CONNECTIONS").asText());
        Map<?, ?> expression = (Map<?, ?>) SamTemplate.read(java.nio.file.Path.of("template.yaml")).parameters().get("KeepAliveScheduleExpression");
        assertTrue(accepts(expression, "cron(0 3 * * ? *)"));
        assertFalse(accepts(expression, "daily"), "not an expression Scheduler takes");
    }

    @Test
    void theRoleMayNotScanTheRequestTableWhichNothingScans() {
        assertEquals(List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
                values(statement(stack(), "IdempotencyTable").get("Action")));
    }

    /** A resource's own ARN ({@code Fn::GetAtt} of it, or a path under it), or an ARN string with no wildcard but a secret name's suffix. */
    static boolean isSpecificArn(JsonNode resource) {
        if (resource.has("Fn::GetAtt")) {
            return resource.get("Fn::GetAtt").get(1).asText().equals("Arn");
        }
        String arn = resource.isTextual() ? resource.asText() : resource.path("Fn::Sub").asText();
        if (arn.matches("\\$\\{\\w+\\.Arn}(/[\\w.-]+)+")) {
            return true; // a part of a resource of the stack, such as a table's index
        }
        return arn.matches("arn:(aws|\\$\\{AWS::Partition}):[a-z0-9-]+:.+") && !arn.replace(":secret:", "").replaceAll("-\\?{6}$", "").matches(".*[*?].*");
    }

    static JsonNode statement(DeployedTemplate stack, String sid) {
        for (JsonNode statement : stack.properties("FunctionRole").at("/Policies/0/PolicyDocument/Statement")) {
            if (sid.equals(statement.path("Sid").asText())) {
                return statement;
            }
        }
        throw new AssertionError("no statement " + sid + " in " + sids(stack));
    }

    static List<String> sids(DeployedTemplate stack) {
        List<String> sids = new ArrayList<>();
        stack.properties("FunctionRole").at("/Policies/0/PolicyDocument/Statement").forEach(s -> sids.add(s.path("Sid").asText()));
        return sids;
    }

    @Test
    void theTokenTableIsRetainedAndDeletionProtectedOrAnExistingOneIsUsed() {
        DeployedTemplate created = stack();
        JsonNode table = created.resources().get("TokenTable");
        assertEquals("Retain", table.get("DeletionPolicy").asText());
        assertEquals("Retain", table.get("UpdateReplacePolicy").asText());
        assertTrue(table.at("/Properties/DeletionProtectionEnabled").asBoolean());
        assertTrue(table.at("/Properties/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled").asBoolean());
        assertEquals("{\"Ref\":\"TokenTable\"}", created.properties("SchedulerFunction").at("/Environment/Variables/TOKEN_TABLE").toString());
        assertEquals("byZoomUserId", table.at("/Properties/GlobalSecondaryIndexes/0/IndexName").asText());
        assertEquals("zoomUserId", table.at("/Properties/GlobalSecondaryIndexes/0/KeySchema/0/AttributeName").asText());
        assertEquals("KEYS_ONLY", table.at("/Properties/GlobalSecondaryIndexes/0/Projection/ProjectionType").asText());
        assertEquals("byZoomUserId", created.properties("SchedulerFunction").at("/Environment/Variables/TOKEN_TABLE_USER_INDEX").asText());
        assertEquals("{\"Fn::Sub\":\"${TokenTable.Arn}/index/byZoomUserId\"}", statement(created, "TokenTableUserIndex").get("Resource").toString());

        DeployedTemplate existing = stack("ExistingTokenTableName", "zoom-tokens-of-2026");
        assertFalse(existing.has("TokenTable"), "no second table");
        assertEquals("zoom-tokens-of-2026", existing.properties("SchedulerFunction").at("/Environment/Variables/TOKEN_TABLE").asText());
        assertEquals("arn:aws:dynamodb:us-east-1:123456789012:table/zoom-tokens-of-2026", statement(existing, "TokenTable").get("Resource").asText());
        assertEquals("zoom-tokens-of-2026", existing.outputs().at("/TokenTableName/Value").asText());
        assertEquals("", existing.properties("SchedulerFunction").at("/Environment/Variables/TOKEN_TABLE_USER_INDEX").asText(),
                "an existing table without an index is scanned");
        assertFalse(sids(existing).contains("TokenTableUserIndex"));
        DeployedTemplate indexed = stack("ExistingTokenTableName", "zoom-tokens-of-2026", "ExistingTokenTableUserIndex", "byZoomUserId");
        assertEquals("byZoomUserId", indexed.properties("SchedulerFunction").at("/Environment/Variables/TOKEN_TABLE_USER_INDEX").asText());
        assertEquals("arn:aws:dynamodb:us-east-1:123456789012:table/zoom-tokens-of-2026/index/byZoomUserId",
                statement(indexed, "TokenTableUserIndex").get("Resource").asText());
    }

    /** Values an operator might give by mistake, each refused by the parameter's constraint before anything is created. */
    static final Map<String, List<String>> MISTAKES = Map.of(
            "ZoomClientId", List.of("", "client id"),
            "ZoomClientSecret", List.of("secret\n", "secret pasted twice"),
            "ZoomClientSecretId", List.of("zoom secret", "arn:aws:secretsmanager:us-east-1:123:secret:x"),
            "ZoomApiUrl", List.of("http://api.zoom.us/v2", "api.zoom.us"),
            "ZoomRedirectUri", List.of("http://example.com/oauth/callback"),
            "OutcomeEventBus", List.of("bus name", "arn:aws:sqs:us-east-1:123456789012:queue"),
            "AlarmTopicArn", List.of("operators", "arn:aws:sqs:us-east-1:123456789012:ops"),
            "ExistingTokenTableName", List.of("t", "zoom tokens"),
            "ExistingTokenTableUserIndex", List.of("by user"),
            "SecretsKmsKeyArn", List.of("alias/zoom"));

    @Test
    void everyStringParameterIsConstrainedItsDefaultFitsAndCommonMistakesAreRefused() {
        Map<String, Object> parameters = SamTemplate.read(java.nio.file.Path.of("template.yaml")).parameters();
        parameters.forEach((name, declaration) -> {
            Map<?, ?> parameter = (Map<?, ?>) declaration;
            if (!"String".equals(parameter.get("Type"))) {
                return;
            }
            assertTrue(parameter.containsKey("AllowedPattern") || parameter.containsKey("AllowedValues"), name + " is unconstrained");
            Object fallback = parameter.get("Default");
            if (fallback != null) {
                assertTrue(accepts(parameter, fallback.toString()), name + "'s default " + fallback + " breaks its own constraint");
            }
        });
        MISTAKES.forEach((name, values) -> values.forEach(value -> assertFalse(accepts((Map<?, ?>) parameters.get(name), value),
                name + " takes " + value)));
        assertTrue(accepts((Map<?, ?>) parameters.get("ZoomWebhookSecretId"), WEBHOOK_SECRET_ARN));
        assertTrue(accepts((Map<?, ?>) parameters.get("SecretsKmsKeyArn"), KEY_ARN));
        assertTrue(accepts((Map<?, ?>) parameters.get("OutcomeEventBus"), "arn:aws:events:us-east-1:123456789012:event-bus/bookings"));
    }

    /** As CloudFormation checks a String parameter: its pattern must match the whole value, within its lengths. */
    static boolean accepts(Map<?, ?> parameter, String value) {
        if (parameter.get("AllowedValues") instanceof List<?> allowed) {
            return allowed.stream().map(String::valueOf).anyMatch(value::equals);
        }
        int min = parameter.get("MinLength") instanceof Integer n ? n : 0;
        int max = parameter.get("MaxLength") instanceof Integer n ? n : Integer.MAX_VALUE;
        return value.length() >= min && value.length() <= max
                && java.util.regex.Pattern.compile(parameter.get("AllowedPattern").toString()).matcher(value).matches();
    }

    @Test
    void theOutputsTheDocsTellAnOperatorToCopy() {
        JsonNode outputs = stack().outputs();
        assertEquals("{\"Fn::GetAtt\":[\"SchedulerSendRole\",\"Arn\"]}", outputs.at("/SchedulerSendRoleArn/Value").toString());
        assertEquals("{\"Ref\":\"SchedulingDeadLetterQueue\"}", outputs.at("/SchedulingDeadLetterQueueUrl/Value").toString());
        assertEquals("{\"Ref\":\"HttpApi\"}", outputs.at("/ApiId/Value").toString());
    }

    static List<String> enabledRulesOnTheDefaultBus(DeployedTemplate stack) {
        List<String> found = new ArrayList<>();
        stack.resources("AWS::Events::Rule").forEach((id, rule) -> {
            String bus = rule.at("/Properties/EventBusName").asText("default");
            boolean defaultBus = bus.equals("default") || bus.endsWith(":event-bus/default");
            if (defaultBus && !"DISABLED".equals(rule.at("/Properties/State").asText("ENABLED"))) {
                found.add(id);
            }
        });
        return found.stream().sorted().toList();
    }

    static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names.stream().sorted().toList();
    }

    static List<String> values(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        assertFalse(values.isEmpty(), "no values");
        return values;
    }
}
