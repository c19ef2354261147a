package dev.zoomscheduler.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.testing.FunctionEnvironment;
import dev.zoomscheduler.testing.FunctionProcess;
import dev.zoomscheduler.testing.LambdaRuntimeEmulator;
import dev.zoomscheduler.testing.LocalHttpApi;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.zoom.ZoomFake;

/**
 * {@code ./mvnw -Plocal}: runs the packaged function on this machine as Lambda would (function.zip under AWS's runtime
 * interface client) behind a local stand-in for API Gateway, with moto_server as DynamoDB, and creates a meeting through
 * it. Zoom is the local fake unless ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET and ZOOM_REFRESH_TOKEN are set, in which case the
 * real Zoom is called. {@code -Dlocal.serve=true} keeps the API up on {@code -Dlocal.port} (8080) until Ctrl-C.
 *
 * <p>{@code -Dlocal.stand-ins=true} starts only what {@code sam local invoke}/{@code start-api} need beside the function,
 * on the ports env.json names (moto_server on 5000, the Zoom stand-in on 8090), with the tables and the {@code default}
 * connection, and keeps them up until Ctrl-C. The stand-in then creates meetings with the id of the sample events while
 * that id is free, so the steps of docs/deployment.md run one after another.
 */
public final class LocalRun {

    /** The meeting id the sample events of events/ name. */
    static final long SAMPLE_MEETING_ID = 86220627999L;

    private LocalRun() {
    }

    private static void awaitCtrlC() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
        stopped.await();
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // before any JDK HttpServer (the fake, the local API) starts
        boolean serve = Boolean.getBoolean("local.serve");
        int port = Integer.getInteger("local.port", serve ? 8080 : 0);
        Path target = Path.of("target");
        String refreshToken = System.getenv("ZOOM_REFRESH_TOKEN");
        boolean realZoom = System.getenv("ZOOM_CLIENT_ID") != null && System.getenv("ZOOM_CLIENT_SECRET") != null && refreshToken != null;

        boolean standInsOnly = Boolean.getBoolean("local.stand-ins");
        MotoServer moto = standInsOnly ? MotoServer.start(Integer.getInteger("local.moto-port", 5000)) : MotoServer.start();
        ZoomFake zoom = realZoom ? null : ZoomFake.start(standInsOnly ? Integer.getInteger("local.zoom-port", 8090) : 0);
        LambdaRuntimeEmulator runtime = LambdaRuntimeEmulator.start();
        FunctionProcess function = null;
        LocalHttpApi api = null;
        try {
            moto.createTables(MotoServer.TOKEN_TABLE, MotoServer.REQUEST_TABLE);
            FunctionEnvironment env = FunctionEnvironment.onTables(moto.endpoint());
            TokenTable table = new TokenTable(moto.client(), MotoServer.TOKEN_TABLE);
            if (realZoom) {
                for (String name : List.of("ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET", "ZOOM_API_URL", "ZOOM_OAUTH_URL")) {
                    if (System.getenv(name) != null) {
                        env.with(name, System.getenv(name));
                    }
                }
                table.seed("default", "", refreshToken, 0);
                System.out.println("Zoom: the real one, with the refresh token from ZOOM_REFRESH_TOKEN (it is rotated now;"
                        + " the new one stays in the local table only)");
            } else {
                env.zoom(zoom);
                table.seedExpired("default", zoom.authorize());
                System.out.println("Zoom: the local stand-in at " + zoom.oauthUrl() + " (set ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET and"
                        + " ZOOM_REFRESH_TOKEN to use the real Zoom)");
            }

            if (standInsOnly) {
                if (zoom != null) {
                    zoom.createWithIdWhileFree(SAMPLE_MEETING_ID);
                }
                System.out.println("DynamoDB: " + moto.endpoint() + " (tables " + MotoServer.TOKEN_TABLE + ", " + MotoServer.REQUEST_TABLE
                        + "). Run the sam local commands of docs/deployment.md until Ctrl-C.");
                awaitCtrlC();
                return;
            }
            if (serve) {
                // The install flow's redirect back to this machine: plain HTTP, unlike API Gateway.
                env.with("ZOOM_REDIRECT_URI", "http://127.0.0.1:" + port + "/oauth/callback");
            }
            function = FunctionProcess.start(target, runtime.address(), env.variables(), List.of());
            runtime.awaitPollers(1, Duration.ofSeconds(90));
            api = LocalHttpApi.start(port, runtime);
            System.out.println("Function: target/function.zip under AWS's runtime interface client, log " + function.logFile());
            System.out.println("API:      " + api.url());

            String meeting = new ObjectMapper().readTree(Files.readString(Path.of("events/http-create-meeting.json"))).get("body").asText();
            HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.url() + "/meetings"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(meeting)).build(), HttpResponse.BodyHandlers.ofString());
            System.out.println();
            System.out.println("POST " + api.url() + "/meetings  (body of events/http-create-meeting.json)");
            System.out.println("-> " + created.statusCode());
            System.out.println(created.body());
            System.out.println();

            if (serve) {
                System.out.println("Serving until Ctrl-C. Try:");
                System.out.println("  curl -s " + api.url() + "/meetings");
                System.out.println("  curl -s -X POST -H 'Content-Type: application/json' -d '{\"topic\":\"Demo\",\"type\":2,"
                        + "\"start_time\":\"2026-12-24T10:00:00Z\",\"duration\":30}' " + api.url() + "/meetings");
                System.out.println("  curl -s " + api.url() + "/connections");
                System.out.println("  open " + api.url() + "/oauth/install?connection=demo in a browser: the install flow, with the"
                        + (realZoom ? " real Zoom (register that redirect URL with your app)" : " stand-in's consent page"));
                awaitCtrlC();
            }
            if (created.statusCode() != 201) {
                throw new IllegalStateException("The meeting was not created; see " + function.logFile());
            }
        } finally {
            if (api != null) {
                api.close();
            }
            if (function != null) {
                function.close();
            }
            runtime.close();
            if (zoom != null) {
                zoom.close();
            }
            moto.kill();
        }
    }
}
