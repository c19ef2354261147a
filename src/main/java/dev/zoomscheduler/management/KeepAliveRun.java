package dev.zoomscheduler.management;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.zoomscheduler.connections.ConnectionInfo;
import dev.zoomscheduler.connections.ConnectionKind;
import dev.zoomscheduler.connections.ConnectionStatus;
import dev.zoomscheduler.observability.LogContext;
import dev.zoomscheduler.observability.Metrics;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.tokens.ConnectionStore;
import dev.zoomscheduler.tokens.DefaultAccountConnection;
import dev.zoomscheduler.tokens.ReauthorizationAlerts;
import dev.zoomscheduler.tokens.TokenRotation;

/**
 * One keep-alive run (the template's schedule sends it through the queue, daily by default): Zoom's refresh tokens may die
 * when idle, so every user connection whose last token request is older than {@code KEEPALIVE_AFTER_DAYS} (or unknown) is
 * refreshed, oldest first, through the rotation protocol ({@link TokenRotation#keepAlive}): under its lease, once however
 * many runs and requests meet on it. A run stops before its deadline and after {@code KEEPALIVE_MAX_CONNECTIONS}; what it
 * leaves is still due, oldest first, for the next run. Server-to-Server connections have no chain and are left alone. Then
 * it publishes the {@code Connection Needs Reauthorization} events that earlier occurrences left pending. A request never
 * waits for any of this: the run is an invocation of its own.
 */
@ApplicationScoped
public class KeepAliveRun {

    private static final Logger LOG = Logger.getLogger(KeepAliveRun.class);

    private final ConnectionStore connections;
    private final TokenRotation rotation;
    private final ReauthorizationAlerts alerts;
    private final DefaultAccountConnection defaultAccount;
    private final KeepAliveSettings settings;
    private final Metrics metrics;
    private final Clock clock;

    public KeepAliveRun(ConnectionStore connections, TokenRotation rotation, ReauthorizationAlerts alerts,
            DefaultAccountConnection defaultAccount, KeepAliveSettings settings, Metrics metrics, Clock clock) {
        this.connections = connections;
        this.rotation = rotation;
        this.alerts = alerts;
        this.defaultAccount = defaultAccount;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * What one run did with the connections that were due.
     *
     * @param fresh refreshed meanwhile by another run or a request: left as they were
     * @param failing the refresh failed for a passing reason (recorded as their health; still due)
     * @param reauthorizationRequired Zoom refused their chain
     * @param left not reached before the deadline or the run's limit: the next run's
     */
    public record Report(int due, int refreshed, int fresh, int failing, int reauthorizationRequired, int left) {
    }

    /** Runs until everything due is done, {@code KEEPALIVE_MAX_CONNECTIONS} were tried, or too little time is left. */
    public Report run(Instant deadline) {
        long refreshedBefore = clock.instant().minus(Duration.ofDays(settings.afterDays())).getEpochSecond();
        List<ConnectionInfo> candidates = connections.keepAliveCandidates(refreshedBefore);
        List<ConnectionInfo> due = candidates.stream().filter(candidate -> due(candidate, refreshedBefore))
                .sorted(Comparator.comparingLong(ConnectionInfo::refreshedAt)).toList();
        int tried = 0;
        int refreshed = 0;
        int fresh = 0;
        int failing = 0;
        int lost = 0;
        for (ConnectionInfo connection : due) {
            if (tried == settings.maxConnections()) {
                break;
            }
            LogContext.connection(connection.connectionId()); // the queue's processor clears it with the message
            try {
                switch (rotation.keepAlive(connection.connectionId(), refreshedBefore, deadline)) {
                    case REFRESHED -> refreshed++;
                    case FRESH -> fresh++;
                }
            } catch (ProblemException e) {
                if (e.type() == ProblemType.INVOCATION_TIME_SHORT) {
                    break; // stopped before its deadline, before Zoom was asked: this one and the rest are the next run's
                }
                if (e.type() == ProblemType.REAUTHORIZATION_REQUIRED) {
                    lost++;
                } else {
                    failing++;
                    LOG.warnf("Keep-alive: the refresh of connection %s failed (%s); the next run tries again", connection.connectionId(),
                            e.type().uri());
                }
            } catch (RuntimeException e) {
                failing++;
                LOG.warnf("Keep-alive: the refresh of connection %s failed (%s); the next run tries again", connection.connectionId(),
                        e.getClass().getSimpleName());
            }
            tried++;
        }
        // after the refreshes, which come first: an EventBridge that does not answer cannot keep a chain from its refresh
        candidates.stream().filter(ConnectionInfo::reauthorizationEventPending)
                .forEach(pending -> alerts.publishPending(pending.connectionId(), deadline));
        Report report = new Report(due.size(), refreshed, fresh, failing, lost, due.size() - tried);
        record(report);
        return report;
    }

    /** A user connection that can be used, not refreshed since the cut-off; not the default of ZOOM_ACCOUNT_ID. */
    private boolean due(ConnectionInfo connection, long refreshedBefore) {
        return connection.kind() == ConnectionKind.USER && connection.status() == ConnectionStatus.ACTIVE
                && connection.refreshedAt() < refreshedBefore && !defaultAccount.governs(connection.connectionId());
    }

    private void record(Report report) {
        metrics.count("KeepAlive", report.refreshed(), "Result", "refreshed");
        metrics.count("KeepAlive", report.fresh(), "Result", "fresh");
        metrics.count("KeepAlive", report.failing(), "Result", "failing");
        metrics.count("KeepAlive", report.reauthorizationRequired(), "Result", "reauthorization_required");
        metrics.count("KeepAlive", report.left(), "Result", "left");
        LOG.infof("Keep-alive: %d connections due; %d refreshed, %d refreshed meanwhile elsewhere, %d failing, %d need to be authorised"
                + " again; %d left for the next run", report.due(), report.refreshed(), report.fresh(), report.failing(),
                report.reauthorizationRequired(), report.left());
    }
}
