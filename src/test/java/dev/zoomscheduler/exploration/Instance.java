package dev.zoomscheduler.exploration;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.idempotency.Idempotency;
import dev.zoomscheduler.idempotency.IdempotencySettings;
import dev.zoomscheduler.idempotency.RequestStore;
import dev.zoomscheduler.install.Installation;
import dev.zoomscheduler.install.PendingInstallStore;
import dev.zoomscheduler.management.KeepAliveRun;
import dev.zoomscheduler.meetings.MeetingRecords;
import dev.zoomscheduler.meetings.MeetingRecovery;
import dev.zoomscheduler.meetings.MeetingScheduler;
import dev.zoomscheduler.meetings.Meetings;
import dev.zoomscheduler.observability.Metrics;
import dev.zoomscheduler.outcomes.Outbox;
import dev.zoomscheduler.testing.FixedKeepAliveSettings;
import dev.zoomscheduler.testing.FixedTokenSettings;
import dev.zoomscheduler.time.Backoff;
import dev.zoomscheduler.tokens.ClientSecret;
import dev.zoomscheduler.tokens.ConnectionStore;
import dev.zoomscheduler.tokens.DefaultAccountConnection;
import dev.zoomscheduler.tokens.ReauthorizationAlerts;
import dev.zoomscheduler.tokens.RefreshBudget;
import dev.zoomscheduler.tokens.TokenRotation;
import dev.zoomscheduler.tokens.TokenSettings;
import dev.zoomscheduler.tokens.TokenStore;
import dev.zoomscheduler.tokens.ZoomTokenEndpoint;
import dev.zoomscheduler.webhooks.WebhookEvents;
import dev.zoomscheduler.zoom.ZoomCallSettings;
import dev.zoomscheduler.zoom.ZoomCaller;

/**
 * One Lambda instance of the function: the real protocol classes, wired as CDI wires them, with the default settings of
 * application.properties, its own clock (skewed from the others') and memory, and its own connections to the shared
 * tables, Zoom and EventBridge, each step of which the schedule's faults may hit.
 */
final class Instance {

    final String name;
    final Clock clock;
    final TokenRotation rotation;
    final MeetingScheduler scheduler;
    final Meetings meetings;
    final Installation installation;
    final WebhookEvents webhooks;
    final Outbox outbox;
    final KeepAliveRun keepAlive;

    Instance(String name, Duration skew, World world) {
        this.name = name;
        Simulation sim = world.sim;
        ObjectMapper json = world.json;
        this.clock = sim.clock(skew);
        Backoff backoff = new Backoff(clock, duration -> sim.spend(duration.toMillis()), sim::below);
        TokenStore tokenStore = FaultyStore.of(TokenStore.class, world.tokens, sim, world.faults);
        ConnectionStore connectionStore = FaultyStore.of(ConnectionStore.class, world.tokens, sim, world.faults);
        RequestStore requestStore = FaultyStore.of(RequestStore.class, world.requests, sim, world.faults);
        MeetingRecords meetingRecords = FaultyStore.of(MeetingRecords.class, world.requests, sim, world.faults);
        PendingInstallStore pending = FaultyStore.of(PendingInstallStore.class, world.pending, sim, world.faults);
        // the secret as a plain variable: Secrets Manager is never asked
        ClientSecret secret = new ClientSecret(Optional.of(SimulatedZoom.CLIENT_SECRET), Optional.empty(), null);
        ZoomTokenEndpoint tokenEndpoint = new ZoomTokenEndpoint(world.zoom.oauthClient(), json, clock, Optional.of(SimulatedZoom.CLIENT_ID),
                secret);
        // the defaults: ZOOM_CONNECT_TIMEOUT_MS + ZOOM_TOKEN_READ_TIMEOUT_MS, DYNAMODB_CALL_TIMEOUT_MS, TOKEN_LEASE_SECONDS
        RefreshBudget budget = new RefreshBudget(Duration.ofSeconds(8), Duration.ofSeconds(3), Duration.ofSeconds(15), secret);
        Metrics metrics = new Metrics(json, clock, "Explorer", false);
        DefaultAccountConnection noAccount = new DefaultAccountConnection(Optional.empty());
        ReauthorizationAlerts alerts = new ReauthorizationAlerts(world.bus, connectionStore, metrics, clock);
        this.rotation = new TokenRotation(tokenStore, noAccount, tokenEndpoint, clock, TOKEN_SETTINGS, budget, metrics, alerts, backoff);
        ZoomCaller caller = new ZoomCaller(rotation, json, clock, CALL_SETTINGS, metrics, backoff);
        this.meetings = new Meetings(world.zoom.meetingsClient(), caller);
        this.outbox = new Outbox(world.bus, requestStore, clock);
        Idempotency idempotency = new Idempotency(requestStore, clock, world.idempotencySettings, outbox, backoff);
        this.scheduler = new MeetingScheduler(meetings, idempotency, new MeetingRecovery(meetings, meetingRecords, json), json);
        this.installation = new Installation(pending, connectionStore, tokenStore, noAccount, tokenEndpoint, world.zoom.userClient(), rotation,
                budget, json, clock, "https://zoom.example", Duration.ofSeconds(600));
        this.webhooks = new WebhookEvents(connectionStore, meetingRecords, rotation, alerts, json, clock, metrics,
                Optional.of(SimulatedZoom.CLIENT_ID));
        this.keepAlive = new KeepAliveRun(connectionStore, rotation, alerts, noAccount, FixedKeepAliveSettings.defaults(), metrics, clock);
    }

    @Override
    public String toString() {
        return name;
    }

    private static final TokenSettings TOKEN_SETTINGS = FixedTokenSettings.defaults("zoom-tokens");

    private static final ZoomCallSettings CALL_SETTINGS = new ZoomCallSettings() {
        @Override
        public Duration timeout() {
            return Duration.ofSeconds(10);
        }

        @Override
        public int maxAttempts() {
            return 3;
        }

        @Override
        public Duration longestRetryWait() {
            return Duration.ofSeconds(2);
        }

        @Override
        public Duration answerMargin() {
            return Duration.ofSeconds(1);
        }
    };

    /** IDEMPOTENCY_* with its defaults, and the in-doubt period the explorer is given (a negative control sets it to 0). */
    static IdempotencySettings idempotencySettings(Duration inDoubt) {
        return new IdempotencySettings() {
            @Override
            public String table() {
                return "zoom-requests";
            }

            @Override
            public Duration ttl() {
                return Duration.ofHours(24);
            }

            @Override
            public Duration waitTimeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration inDoubt() {
                return inDoubt;
            }
        };
    }
}
