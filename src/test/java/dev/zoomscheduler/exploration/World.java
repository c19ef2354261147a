package dev.zoomscheduler.exploration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.zoomscheduler.connections.ConnectionHealth;
import dev.zoomscheduler.connections.ConnectionInfo;
import dev.zoomscheduler.connections.ConnectionKind;
import dev.zoomscheduler.connections.ConnectionStatus;
import dev.zoomscheduler.idempotency.Idempotency.Refusals;
import dev.zoomscheduler.idempotency.IdempotencySettings;
import dev.zoomscheduler.idempotency.RequestRecord;
import dev.zoomscheduler.idempotency.RequestStatus;
import dev.zoomscheduler.management.KeepAliveRun;
import dev.zoomscheduler.meetings.ListQuery;
import dev.zoomscheduler.meetings.MeetingCommand;
import dev.zoomscheduler.outcomes.OutcomeEvent;
import dev.zoomscheduler.outcomes.OutcomeEvents;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.testing.HttpApiEvents;
import dev.zoomscheduler.tokens.StoredToken;

/**
 * One explored schedule: the shared tables, Zoom and EventBridge; Lambda instances made, reused and lost as callers come;
 * the callers of a small, contentious workload (one booking sent twice, an identical booking under another key, reads that
 * need refreshes, an install clicked twice, Zoom's edits of a booked meeting delivered out of order, the keep-alive run,
 * often twice at once, on connections that are due: Alice's, which the others use too, and Dave's, idle); then a calm phase
 * in which every caller's request and a last keep-alive run are taken to their end; then the invariants.
 */
final class World {

    static final String ALICE = "alice";
    static final String CAROL = "carol";
    /** An idle connection: only the keep-alive touches it. */
    static final String DAVE = "dave";
    /** A keep-alive message is alone in its batch (BatchSize 1): its invocation has the function's whole timeout. */
    private static final long KEEP_ALIVE_BUDGET_MILLIS = 29_000;
    /** SQS delivers a message again after its visibility timeout when its invocation did not answer. */
    private static final long VISIBILITY_TIMEOUT_MILLIS = 180_000;
    private static final String REDIRECT_URI = "https://api.example/oauth/callback";
    /** How long Zoom may take to carry out what it accepted: the product promises correctness within its in-doubt period. */
    private static final long ZOOM_LATE_WINDOW_MILLIS = 29_000;
    private static final int MOST_INSTANCES = 4;

    final long seed;
    final Simulation sim;
    final Faults faults;
    final ObjectMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    final InMemoryTokenTable tokens;
    final InMemoryRequestTable requests = new InMemoryRequestTable();
    final InMemoryPendingInstalls pending = new InMemoryPendingInstalls();
    final SimulatedZoom zoom;
    final SimulatedBus bus;
    final IdempotencySettings idempotencySettings;

    private final List<Instance> idle = new ArrayList<>();
    private final Set<Instance> crashed = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Instance> cutAtDeadline = Collections.newSetFromMap(new IdentityHashMap<>());
    private int instancesMade;
    private final Map<String, String> bookings = new LinkedHashMap<>();
    private final Set<String> deliveredEdits = new java.util.HashSet<>();
    private boolean installed;
    private String daveChain;
    private final List<String> violations = new ArrayList<>();
    private final Map<String, Integer> excused = new HashMap<>();

    /** What a negative control switches off; the real product has both on. */
    record Controls(boolean leasesHonoured, Duration inDoubt, boolean refreshTimesKept) {
        static final Controls PRODUCT = new Controls(true, Duration.ofSeconds(30), true);
    }

    World(long seed, Controls controls) {
        this.seed = seed;
        this.sim = new Simulation(seed, Instant.parse("2026-12-05T09:00:00Z").toEpochMilli() + seed % 86_400_000);
        this.faults = new Faults(sim, 4 + (int) sim.below(10));
        this.tokens = new InMemoryTokenTable(sim, controls.leasesHonoured(), controls.refreshTimesKept());
        this.zoom = new SimulatedZoom(sim, faults, json, ZOOM_LATE_WINDOW_MILLIS, this::refreshSent);
        this.bus = new SimulatedBus(sim, faults);
        this.idempotencySettings = Instance.idempotencySettings(controls.inDoubt());
    }

    /** Runs the schedule; the invariants it broke (empty: none). */
    List<String> explore() {
        SimulatedZoom.Issued alice = zoom.authorizeDirectly("user-alice");
        long expiresAt = sim.now() / 1000 + sim.below(700); // within the refresh margin, or not far from it
        // never refreshed here: due for the keep-alive, whose run meets the requests that refresh her token
        tokens.seed(new StoredToken(ALICE, alice.accessToken(), alice.refreshToken(), expiresAt, 1, ConnectionStatus.ACTIVE,
                ConnectionKind.USER, null, null, 0, "user-alice", null, null, 0));
        SimulatedZoom.Issued dave = zoom.authorizeDirectly("user-dave");
        daveChain = zoom.chainOfRefreshToken(dave.refreshToken()).id;
        tokens.seed(new StoredToken(DAVE, dave.accessToken(), dave.refreshToken(), sim.now() / 1000 + 3000, 1, ConnectionStatus.ACTIVE,
                ConnectionKind.USER, null, null, 0, "user-dave", null, null, sim.now() / 1000 - 8 * 86_400 - sim.below(86_400)));
        String booking = "{\"topic\":\"Consultation\",\"type\":2,\"start_time\":\"2026-12-15T01:00:00Z\",\"duration\":30}";
        bookings.put("booking-1", booking);
        bookings.put("booking-2", booking); // another booking, identical: the same host, topic and time
        sim.spawn("booker", sim.below(2000), actor -> create(actor, "booking-1", 600_000));
        sim.spawn("double-submit", sim.below(6000), actor -> create(actor, "booking-1", 600_000));
        sim.spawn("other-booker", sim.below(25_000), actor -> create(actor, "booking-2", 600_000));
        sim.spawn("reader", sim.below(30_000), this::read);
        sim.spawn("installer", sim.below(10_000), this::install);
        sim.spawn("zoom-edits", 5000, this::editAndNotify);
        long scheduled = sim.below(30_000);
        sim.spawn("keep-alive", scheduled, this::keepAlive);
        if (sim.chance(0.7)) {
            sim.spawn("keep-alive-overlapping", scheduled + sim.below(3000), this::keepAlive); // two runs at once
        }
        sim.run();

        faults.calm();
        for (String key : bookings.keySet()) {
            sim.spawn("settler-" + key, sim.now(), actor -> create(actor, key, Long.MAX_VALUE));
        }
        for (int i = 0; i < MOST_INSTANCES; i++) {
            sim.spawn("toucher-" + i, sim.now() + 1, this::read); // every warm instance serves one more request
        }
        sim.spawn("keep-alive-settler", sim.now() + 2, this::settleKeepAlive);
        sim.run();
        if (sim.failure() != null) {
            violations.add("an actor failed: " + sim.failure());
        }
        checkChains();
        checkMeetings();
        checkEvents();
        checkEdits();
        checkKeepAlive();
        checkReauthorizationEvents();
        return violations;
    }

    Map<String, Integer> excused() {
        return excused;
    }

    int instancesMade() {
        return instancesMade;
    }

    // ---- the callers ----------------------------------------------------------------------------------------------------

    /** What a caller heard: Zoom's status, or the problem's, or 0 (no answer: the instance stopped); with Retry-After. */
    private record Answer(int status, long retryAfterMillis, String body) {
        static final Answer NONE = new Answer(0, 1000, null);

        /** Worth sending again: no answer, in progress or in doubt, rate-limited, 5xx; not a connection that needs a human. */
        boolean retryable() {
            boolean needsAHuman = body != null && body.startsWith(ProblemType.REAUTHORIZATION_REQUIRED.uri());
            return !needsAHuman && (status == 0 || status == 409 || status == 429 || status >= 500);
        }
    }

    /** A booking system: sends its keyed create until it gets a final answer (honouring Retry-After), or gives up. */
    private void create(Simulation.Actor actor, String key, long patience) {
        long giveUpAt = patience == Long.MAX_VALUE ? Long.MAX_VALUE : sim.now() + patience;
        for (int attempt = 0; attempt < 40 && sim.now() < giveUpAt; attempt++) {
            byte[] body = bookings.get(key).getBytes(StandardCharsets.UTF_8);
            Answer answer = invoke(actor, key, (instance, deadline) -> {
                MeetingCommand command = MeetingCommand.create(ALICE, "me", parse(body), body);
                return answer(instance.scheduler.schedule(key, command, Refusals.LEAVE_NO_TRACE, deadline).reply().status());
            });
            if (!answer.retryable()) {
                return;
            }
            sim.spend(Math.max(500, Math.min(answer.retryAfterMillis(), 60_000)));
        }
    }

    /** Reads that need Alice's token: refreshes under contention. */
    private void read(Simulation.Actor actor) {
        for (int i = 0; i < 2; i++) {
            invoke(actor, null, (instance, deadline) -> answer(instance.meetings.list(ALICE, "me", new ListQuery(null, 30, null, null, null),
                    deadline).status()));
            sim.spend(sim.below(20_000));
        }
    }

    /** Carol installs the app: the backend gets a link, Carol consents, her browser follows the redirect (sometimes twice at once). */
    private void install(Simulation.Actor actor) {
        for (int tries = 0; tries < 3 && !installed; tries++) {
            String[] state = new String[1];
            Answer begun = invoke(actor, null, (instance, deadline) -> {
                state[0] = HttpApiEvents.queryOf(instance.installation.begin(CAROL, REDIRECT_URI).url()).get("state");
                return new Answer(302, 0, null);
            });
            if (begun.status() != 302) {
                sim.spend(2000);
                continue;
            }
            String code = zoom.consent("user-carol", REDIRECT_URI);
            if (sim.chance(0.4)) {
                sim.spawn("installer-double-click", sim.now() + sim.below(300), again -> callback(again, state[0], code));
            }
            callback(actor, state[0], code);
        }
    }

    private void callback(Simulation.Actor actor, String state, String code) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Answer answer = invoke(actor, null, (instance, deadline) -> {
                instance.installation.complete(state, code, null, deadline);
                return new Answer(200, 0, null);
            });
            if (answer.status() == 200) {
                installed = true;
            }
            if (answer.status() != 503 && answer.status() != 0) {
                return; // done, or the link is used up: the user starts again
            }
            sim.spend(1000);
        }
    }

    /** Someone edits the booked meeting at Zoom twice; Zoom notifies each change, out of order and sometimes twice. */
    private void editAndNotify(Simulation.Actor actor) {
        RequestRecord booked = null;
        for (int wait = 0; wait < 120 && booked == null; wait++) {
            sim.spend(2000);
            booked = requests.all().values().stream().filter(r -> r.key().equals("booking-1") && r.status() == RequestStatus.COMPLETED)
                    .findFirst().orElse(null);
        }
        if (booked == null) {
            return;
        }
        long id = Long.parseLong(booked.meetingId());
        ObjectNode topic = zoom.edit(id, "topic", "Consultation, moved");
        sim.spend(1 + sim.below(3000));
        ObjectNode agenda = zoom.edit(id, "agenda", "Bring the contract");
        List<ObjectNode> deliveries = new ArrayList<>(List.of(agenda, topic));
        if (sim.chance(0.5)) {
            deliveries.add(topic); // Zoom delivers again when an answer is slow
        }
        Collections.swap(deliveries, 0, (int) sim.below(deliveries.size()));
        for (ObjectNode notification : deliveries) {
            for (int retry = 0; retry < 4; retry++) { // Zoom retries a failed delivery (sooner here than its minutes)
                Answer answer = invoke(actor, null, (instance, deadline) -> {
                    instance.webhooks.handle("meeting.updated", notification, deadline);
                    return new Answer(204, 0, null);
                });
                if (answer.status() == 204) {
                    deliveredEdits.add(notification.toString());
                    break;
                }
                sim.spend(5000);
            }
        }
    }

    /** The keep-alive schedule's message: a run on some instance, delivered again after the visibility timeout if it did not end. */
    private void keepAlive(Simulation.Actor actor) {
        for (int receive = 0; receive < 3; receive++) {
            Answer answer = invoke(actor, null, KEEP_ALIVE_BUDGET_MILLIS, (instance, deadline) -> {
                instance.keepAlive.run(deadline);
                return new Answer(200, 0, null);
            });
            if (answer.status() == 200) {
                return;
            }
            sim.spend(VISIBILITY_TIMEOUT_MILLIS);
        }
    }

    /** The next scheduled runs, in calm: until one leaves nothing due that it could do. */
    private void settleKeepAlive(Simulation.Actor actor) {
        for (int run = 0; run < 5; run++) {
            KeepAliveRun.Report[] report = new KeepAliveRun.Report[1];
            Answer answer = invoke(actor, null, KEEP_ALIVE_BUDGET_MILLIS, (instance, deadline) -> {
                report[0] = instance.keepAlive.run(deadline);
                return new Answer(200, 0, null);
            });
            if (answer.status() == 200 && report[0].left() == 0 && report[0].failing() == 0) {
                return;
            }
            sim.spend(1000);
        }
    }

    // ---- Lambda: instances and invocations ------------------------------------------------------------------------------

    /**
     * One invocation on a warm instance, or a new one: every invocation first publishes what the instance remembers
     * (RememberedOutcomes). A stopped instance is gone, and its caller hears nothing.
     */
    private Answer invoke(Simulation.Actor actor, String requestKey, BiFunction<Instance, Instant, Answer> work) {
        return invoke(actor, requestKey, 3000 + sim.below(26_000), work);
    }

    /** @param budget the invocation's time left when its work begins (a message late in a batch has little) */
    private Answer invoke(Simulation.Actor actor, String requestKey, long budget, BiFunction<Instance, Instant, Answer> work) {
        Instance instance = idle.isEmpty() || instancesMade < MOST_INSTANCES && sim.chance(0.2) ? newInstance()
                : idle.remove((int) sim.below(idle.size()));
        actor.invocation(sim.now() + budget);
        actor.instance = instance;
        actor.requestKey = requestKey;
        Answer answer;
        try {
            instance.outbox.publishRemembered();
            answer = work.apply(instance, instance.clock.instant().plusMillis(budget));
        } catch (ProblemException problem) {
            answer = new Answer(problem.status(), problem.retryAfter() == null ? 1000 : problem.retryAfter().toMillis(),
                    problem.type().uri() + " " + problem.getMessage());
        } catch (Simulation.Stopped stopped) {
            answer = Answer.NONE;
        } catch (RuntimeException unmapped) {
            answer = new Answer(500, 1000, unmapped.toString()); // ProblemMapper answers it 500 (an SDK failure of a store, say)
        }
        String stop = actor.stopReason();
        sim.trace("invocation on " + instance + " (key " + requestKey + ", budget " + budget + "): " + (stop != null ? "STOPPED " + stop
                : answer.status() + " " + (answer.body() == null ? "" : answer.body())));
        actor.invocationEnded();
        if (stop == null) {
            idle.add(instance);
            return answer;
        }
        boolean deadline = "deadline".equals(stop);
        (deadline ? cutAtDeadline : crashed).add(instance);
        faults.happened(deadline ? "invocation.cut-at-deadline" : "invocation.crashed");
        return Answer.NONE; // whatever the code had come to, nobody heard it
    }

    private Instance newInstance() {
        instancesMade++;
        return new Instance("instance-" + instancesMade, Duration.ofMillis(sim.below(2000) - 1000), this);
    }

    private static Answer answer(int status) {
        return new Answer(status, 0, null);
    }

    /** At Zoom, a refresh arrives: sent by an instance that must hold the connection's lease (one refresh per token, by design). */
    private void refreshSent(String refreshToken) {
        Object sender = sim.current() == null ? null : sim.current().instance;
        String problem = tokens.leaseProblem(refreshToken, sender, sim.now());
        if (problem != null) {
            violations.add("a refresh of " + refreshToken + " was sent by " + sender + ", " + problem);
        }
    }

    // ---- the invariants --------------------------------------------------------------------------------------------------

    /** A connection's stored refresh token is Zoom's live one, unless Zoom itself refused the chain; no token refreshed twice. */
    private void checkChains() {
        for (String connection : List.of(ALICE, CAROL, DAVE)) {
            StoredToken item = tokens.read(connection).orElse(null);
            if (item == null || item.refreshToken() == null) {
                continue;
            }
            SimulatedZoom.Chain chain = zoom.chainOfRefreshToken(item.refreshToken());
            if (chain == null) {
                violations.add(connection + ": holds a refresh token Zoom never issued");
            } else if ("revoked".equals(chain.deadBecause)) {
                violations.add(connection + " (" + item.status() + "): holds a chain that the function revoked");
            } else if (chain.deadBecause != null) {
                excused.merge("chain ended by Zoom (" + chain.deadBecause + ")", 1, Integer::sum);
            } else if (!item.refreshToken().equals(chain.liveRefreshToken)) {
                SimulatedZoom.RefreshToken live = zoom.refreshToken(chain.liveRefreshToken);
                if (live.receivedBy == null) {
                    excused.merge("chain lost: Zoom's answer with the new token never arrived", 1, Integer::sum);
                } else if (crashed.contains(live.receivedBy)) {
                    excused.merge("chain lost: the instance holding the new token crashed before storing it", 1, Integer::sum);
                } else {
                    violations.add(connection + ": stores a dead refresh token; the live one went to " + live.receivedBy
                            + (cutAtDeadline.contains(live.receivedBy) ? ", cut at its deadline" : ", which lives on"));
                }
            } else if (item.status() == ConnectionStatus.REAUTHORIZATION_REQUIRED) {
                violations.add(connection + ": marked reauthorization_required though it holds its chain's live refresh token");
            }
        }
        for (SimulatedZoom.RefreshToken reused : zoom.reusedTokens()) {
            // every refresh was sent under its lease (refreshSent): a second use is Zoom carrying out a request late, after
            // its first answer was lost, or a holder whose stores DynamoDB refused and whose lease ran out
            excused.merge("invalid_grant from a second use of a refresh token, not sent twice under one lease", 1, Integer::sum);
        }
    }

    /**
     * At most one meeting per key, and the key's answer names it; no meeting belongs to two keys; every key ended. Requests
     * that are identical in everything Zoom shows (another booking of the same host, topic and time) cannot be told apart when
     * both are in doubt: each still gets exactly one meeting and none is left over, but which of the two it gets is not known.
     */
    private void checkMeetings() {
        Map<Long, String> creators = zoom.creatorKeys();
        Map<String, RequestRecord> records = requests.all();
        Map<String, String> namedBy = new HashMap<>();
        for (String key : bookings.keySet()) {
            RequestRecord record = records.get(key);
            if (record == null || record.status() == RequestStatus.IN_PROGRESS) {
                if (tokens.read(ALICE).map(StoredToken::status).orElse(null) == ConnectionStatus.ACTIVE) {
                    violations.add(key + ": never ended (" + (record == null ? "no record" : "in progress") + ")");
                } else {
                    excused.merge("request left for a human: its connection must be authorised again", 1, Integer::sum);
                }
            } else if (record.status() == RequestStatus.COMPLETED) {
                String meeting = record.meetingId();
                String previous = namedBy.put(meeting, key);
                if (previous != null) {
                    violations.add("meeting " + meeting + " is the answer of two keys: " + previous + " and " + key);
                }
                String madeFor = creators.get(Long.parseLong(meeting));
                if (madeFor == null || !bookings.get(key).equals(bookings.get(madeFor))) {
                    violations.add(key + ": answers meeting " + meeting + ", made for " + madeFor + ", another request");
                } else if (!key.equals(madeFor)) {
                    excused.merge("identical requests, both in doubt, answered each other's meeting", 1, Integer::sum);
                }
            }
        }
        for (Map.Entry<Long, String> made : creators.entrySet()) {
            RequestRecord owner = records.get(made.getValue());
            boolean ended = owner != null && owner.status() != RequestStatus.IN_PROGRESS; // an unended one adopts it later
            if (bookings.containsKey(made.getValue()) && ended && !namedBy.containsKey(made.getKey().toString())) {
                violations.add("meeting " + made.getKey() + ", made for " + made.getValue() + ", is nobody's answer: a second meeting of "
                        + made.getValue() + " (" + owner.status() + ")");
            }
        }
    }

    /** Every ended request has its outcome event (one eventId, repeats allowed), matching its record. */
    private void checkEvents() {
        Map<String, List<JsonNode>> byKey = new HashMap<>();
        for (OutcomeEvent event : bus.received()) {
            JsonNode detail = parse(event.detail().getBytes(StandardCharsets.UTF_8));
            byKey.computeIfAbsent(detail.path("idempotencyKey").asText(), k -> new ArrayList<>())
                    .add(((ObjectNode) detail).put("detail-type", event.detailType()));
        }
        for (RequestRecord record : requests.all().values()) {
            if (!bookings.containsKey(record.key()) || record.status() == RequestStatus.IN_PROGRESS) {
                continue;
            }
            List<JsonNode> events = byKey.getOrDefault(record.key(), List.of());
            String expected = record.status() == RequestStatus.COMPLETED ? "Meeting Scheduled" : "Scheduling Failed";
            if (events.isEmpty()) {
                violations.add(record.key() + ": ended (" + record.status() + ") without an outcome event");
            }
            for (JsonNode event : events) {
                if (!expected.equals(event.path("detail-type").asText())
                        || record.status() == RequestStatus.COMPLETED && !record.meetingId().equals(event.at("/meeting/id").asText())
                        || !events.get(0).path("eventId").equals(event.path("eventId"))) {
                    violations.add(record.key() + ": its event " + event + " does not match its record (" + record.status() + ", meeting "
                            + record.meetingId() + ")");
                }
            }
        }
    }

    /**
     * The keep-alive: Dave's chain, due and used by nobody else, was refreshed by Zoom exactly once however many runs met on
     * it (every refresh under its own lease is checked as it is sent); and, unless Zoom itself lost it, it ends healthy.
     */
    private void checkKeepAlive() {
        long refreshes = zoom.refreshesOf(daveChain);
        if (refreshes != 1) {
            violations.add(DAVE + ": the keep-alive runs made " + refreshes + " refreshes of its chain, not one");
        }
        ConnectionInfo dave = tokens.describe(DAVE).orElseThrow();
        if (dave.health() == ConnectionHealth.REFRESH_FAILING) {
            violations.add(DAVE + ": still refresh_failing (" + dave.lastError() + ") after the calm keep-alive run");
        }
    }

    /**
     * A connection whose usable chain ended got a Connection Needs Reauthorization event for it (at least once, the same
     * eventId each time), none is left pending after the calm run, and no connection has more eventIds than ends.
     */
    private void checkReauthorizationEvents() {
        Map<String, Set<String>> eventIds = new HashMap<>();
        for (OutcomeEvent event : bus.received()) {
            if (OutcomeEvents.NEEDS_REAUTHORIZATION.equals(event.detailType())) {
                JsonNode detail = parse(event.detail().getBytes(StandardCharsets.UTF_8));
                eventIds.computeIfAbsent(detail.path("connectionId").asText(), c -> new java.util.HashSet<>()).add(detail.path("eventId").asText());
            }
        }
        for (String connection : List.of(ALICE, CAROL, DAVE)) {
            ConnectionInfo info = tokens.describe(connection).orElse(null);
            Set<String> announced = eventIds.getOrDefault(connection, Set.of());
            if (announced.size() > tokens.chainEnds(connection)) {
                violations.add(connection + ": " + announced.size() + " different reauthorization events for " + tokens.chainEnds(connection)
                        + " ends of its chain");
            }
            if (info == null || info.health() != ConnectionHealth.REAUTHORIZATION_REQUIRED || info.lastError() == null) {
                continue;
            }
            if (info.reauthorizationEventPending()) {
                violations.add(connection + ": its reauthorization event is still pending after the calm keep-alive run");
            }
            String expected = parse(OutcomeEvents.needsReauthorization(connection, info.lastError().reason(), info.lastError().at()).detail()
                    .getBytes(StandardCharsets.UTF_8)).path("eventId").asText();
            if (!announced.contains(expected)) {
                violations.add(connection + ": needs reauthorization (" + info.lastError().reason() + ") and was never announced");
            }
        }
    }

    /** Zoom's edits of the booked meeting, each delivered, are all in the stored answer: the newest value of each field. */
    private void checkEdits() {
        RequestRecord record = requests.all().get("booking-1");
        if (record == null || record.status() != RequestStatus.COMPLETED || deliveredEdits.size() < 2) {
            return;
        }
        ObjectNode meeting = zoom.meeting(Long.parseLong(record.meetingId()));
        JsonNode stored = parse(record.resultBody().getBytes(StandardCharsets.UTF_8));
        for (String field : List.of("topic", "agenda")) {
            if (meeting != null && !meeting.path(field).equals(stored.path(field))) {
                violations.add("booking-1: its answer shows " + field + " " + stored.path(field) + ", Zoom's meeting " + meeting.path(field)
                        + " after every edit was notified");
            }
        }
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
