package dev.zoomscheduler.testing;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Singleton;

import dev.zoomscheduler.observability.Metrics;
import dev.zoomscheduler.time.Backoff;
import dev.zoomscheduler.tokens.ClientSecret;
import dev.zoomscheduler.tokens.DefaultAccountConnection;
import dev.zoomscheduler.tokens.DynamoDbTokenStore;
import dev.zoomscheduler.tokens.ReauthorizationAlerts;
import dev.zoomscheduler.tokens.RefreshBudget;
import dev.zoomscheduler.tokens.TokenRotation;
import dev.zoomscheduler.tokens.TokenSettings;
import dev.zoomscheduler.tokens.TokenStore;
import dev.zoomscheduler.tokens.ZoomTokenEndpoint;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Independent {@link TokenRotation}s for the Quarkus tests, as separate Lambda instances have them: each with a DynamoDB
 * client of its own (through the tests' DynamoDB proxy), its own memory and locks, sharing only the table and Zoom. An
 * instance serves user connections only (no {@code ZOOM_ACCOUNT_ID}) on the system clock, with the application's token
 * endpoint, settings, refresh budget, metrics and alerts, unless its test says otherwise.
 */
@Singleton
public class TokenRotations {

    /** No {@code ZOOM_ACCOUNT_ID}: user connections only. */
    public static final DefaultAccountConnection USER_CONNECTIONS_ONLY = new DefaultAccountConnection(Optional.empty());

    private final ZoomTokenEndpoint tokenEndpoint;
    private final TokenSettings settings;
    private final RefreshBudget budget;
    private final Metrics metrics;
    private final ReauthorizationAlerts alerts;
    private final ClientSecret secret;
    private final List<DynamoDbClient> clients = new CopyOnWriteArrayList<>();

    TokenRotations(ZoomTokenEndpoint tokenEndpoint, TokenSettings settings, RefreshBudget budget, Metrics metrics,
            ReauthorizationAlerts alerts, ClientSecret secret) {
        this.tokenEndpoint = tokenEndpoint;
        this.settings = settings;
        this.budget = budget;
        this.metrics = metrics;
        this.alerts = alerts;
        this.secret = secret;
    }

    /** A new instance's DynamoDB client, open until {@link #closeClients()}. */
    public DynamoDbClient newClient() {
        DynamoDbClient client = MotoServer.clientOf(ZoomAndAws.dynamo().endpoint());
        clients.add(client);
        return client;
    }

    /** A new instance's token store: the real one, on the application's table. */
    public DynamoDbTokenStore newStore() {
        return new DynamoDbTokenStore(newClient(), settings);
    }

    /**
     * Timeouts short enough for a lease to lapse within a test: a token request of 300 ms and DynamoDB calls of 100 ms,
     * so a worst case of about 0.7 s and a lease of at least {@code leaseFloor}.
     */
    public RefreshBudget shortBudget(Duration leaseFloor) {
        return new RefreshBudget(Duration.ofMillis(300), Duration.ofMillis(100), leaseFloor, secret);
    }

    public Instance instance() {
        return new Instance();
    }

    /** Closes the clients of the instances made so far (after each test). */
    public void closeClients() {
        clients.forEach(DynamoDbClient::close);
        clients.clear();
    }

    /** One instance: what its test changes, then {@link #build()}. */
    public final class Instance {

        private TokenStore store;
        private TokenSettings instanceSettings = settings;
        private DefaultAccountConnection defaultAccount = USER_CONNECTIONS_ONLY;
        private RefreshBudget instanceBudget = budget;
        private Metrics instanceMetrics = metrics;
        private ReauthorizationAlerts instanceAlerts = alerts;

        private Instance() {
        }

        /** Instead of a new {@link DynamoDbTokenStore} of its own. */
        public Instance store(TokenStore tokenStore) {
            this.store = tokenStore;
            return this;
        }

        public Instance settings(TokenSettings tokenSettings) {
            this.instanceSettings = tokenSettings;
            return this;
        }

        public Instance defaultAccount(DefaultAccountConnection connection) {
            this.defaultAccount = connection;
            return this;
        }

        public Instance budget(RefreshBudget refreshBudget) {
            this.instanceBudget = refreshBudget;
            return this;
        }

        public Instance metrics(Metrics instanceMetrics) {
            this.instanceMetrics = instanceMetrics;
            return this;
        }

        public Instance alerts(ReauthorizationAlerts reauthorizationAlerts) {
            this.instanceAlerts = reauthorizationAlerts;
            return this;
        }

        public TokenRotation build() {
            TokenStore tokenStore = store != null ? store : new DynamoDbTokenStore(newClient(), instanceSettings);
            return new TokenRotation(tokenStore, defaultAccount, tokenEndpoint, Clock.systemUTC(), instanceSettings, instanceBudget,
                    instanceMetrics, instanceAlerts, new Backoff(Clock.systemUTC()));
        }
    }
}
