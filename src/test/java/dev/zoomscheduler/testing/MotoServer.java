package dev.zoomscheduler.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A real DynamoDB emulator process (moto_server) on a free loopback port. One is shared by every test of a JVM and killed
 * when the JVM exits; moto ignores SIGTERM, so it is killed outright.
 */
public final class MotoServer {

    public static final String TOKEN_TABLE = "zoom-tokens";
    public static final String REQUEST_TABLE = "zoom-requests";
    /** The token table's index on zoomUserId, named as the template names it. */
    public static final String USER_INDEX = "byZoomUserId";

    private static MotoServer shared;

    private final Process process;
    private final String endpoint;
    private final DynamoDbClient client;

    private MotoServer(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
        this.client = clientOf(endpoint);
    }

    /**
     * A DynamoDB client of its own for an emulator endpoint (or a proxy in front of one), as another instance would have:
     * with the call and attempt timeouts of application.properties.
     */
    public static DynamoDbClient clientOf(String endpoint) {
        return DynamoDbClient.builder()
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(3)).apiCallAttemptTimeout(Duration.ofSeconds(1)))
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** The JVM's emulator, started on first use with both tables of the stack (docs/configuration.md, "The token table"). */
    public static synchronized MotoServer shared() {
        if (shared == null) {
            shared = start();
            shared.createTables(TOKEN_TABLE, REQUEST_TABLE);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::kill));
        }
        return shared;
    }

    public static MotoServer start() {
        return start(freePort());
    }

    /** On a given loopback port (the local stand-ins for {@code sam local}, which env.json names). */
    public static MotoServer start(int port) {
        try {
            Path log = Files.createDirectories(Path.of("target")).resolve("moto-" + port + ".log");
            Process process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MotoServer server = new MotoServer(process, "http://127.0.0.1:" + port);
            server.awaitReady(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("moto_server could not be started; is it installed (pip install 'moto[server]')?", e);
        }
    }

    public String endpoint() {
        return endpoint;
    }

    public DynamoDbClient client() {
        return client;
    }

    /**
     * Creates the token table (key connectionId, with the template's keys-only index {@value #USER_INDEX} on zoomUserId)
     * and the request table (key idempotencyKey), unless they exist.
     */
    public void createTables(String tokenTable, String requestTable) {
        createTable(tokenTable, "connectionId", GlobalSecondaryIndex.builder().indexName(USER_INDEX)
                .keySchema(KeySchemaElement.builder().attributeName("zoomUserId").keyType(KeyType.HASH).build())
                .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)).build());
        createTable(requestTable, "idempotencyKey");
        client.updateTimeToLive(r -> r.tableName(requestTable).timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true)));
    }

    private void createTable(String name, String key, GlobalSecondaryIndex... indexes) {
        List<AttributeDefinition> attributes = new ArrayList<>(List.of(attribute(key)));
        for (GlobalSecondaryIndex index : indexes) {
            index.keySchema().forEach(element -> attributes.add(attribute(element.attributeName())));
        }
        try {
            client.createTable(r -> r.tableName(name)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attributes)
                    .keySchema(KeySchemaElement.builder().attributeName(key).keyType(KeyType.HASH).build())
                    .globalSecondaryIndexes(indexes.length == 0 ? null : List.of(indexes)));
        } catch (ResourceInUseException alreadyThere) {
            // created by an earlier test of this JVM
        }
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Until moto_server answers; it is killed and this fails if it ends first or does not answer within {@code timeout}. */
    private void awaitReady(Duration timeout) {
        RuntimeException notAnswered;
        try {
            notAnswered = Await.until("moto_server answers on " + endpoint, timeout, this::whyNotAnswering,
                    failure -> failure == null || !process.isAlive());
        } catch (AssertionError notInTime) {
            kill();
            throw new IllegalStateException("moto_server did not start on " + endpoint, notInTime);
        }
        if (notAnswered != null) { // the process ended
            kill();
            throw new IllegalStateException("moto_server did not start on " + endpoint, notAnswered);
        }
    }

    /** Why a request to moto_server fails, or null once it answers. */
    private RuntimeException whyNotAnswering() {
        try {
            client.listTables();
            return null;
        } catch (RuntimeException notYet) {
            return notYet;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
