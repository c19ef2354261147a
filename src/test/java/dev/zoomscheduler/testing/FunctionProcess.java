package dev.zoomscheduler.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Runs a packaged {@code function.zip} the way AWS Lambda does, in a process of its own polling a Runtime API. Which
 * runtime is decided by the zip, as on Lambda:
 * <ul>
 * <li>a zip with {@code bootstrap} at its root (the native build) runs as a custom runtime on {@code provided.al2023}:
 * {@code bootstrap} itself, started in the unzipped task root with {@code AWS_LAMBDA_RUNTIME_API};</li>
 * <li>any other zip (the JVM build) runs under Lambda's managed Java runtime: a separate JVM whose class path holds only
 * the runtime interface client (RIC) jars, started in the unzipped task root with main class
 * {@code com.amazonaws.services.lambda.runtime.api.client.AWSLambda} and the handler from {@code sam.jvm.yaml}. The RIC
 * itself builds the function's class loader, as on Lambda: it takes the task root from the working directory
 * ({@code user.dir}, not LAMBDA_TASK_ROOT) and loads the root directory, then {@code lib/*.jar} in lexical order, then
 * {@code /opt/java/lib} (layers) – parent-first over the RIC jars, like {@code /var/runtime/lib} on Lambda.</li>
 * </ul>
 * The project's packaged function is {@code target/function.zip}, or the zip named by the system property
 * {@value #ARTIFACT_PROPERTY}: the one switch that points every test starting the packaged function at another
 * artifact, such as the native build's (docs/deployment.md, "The native executable on a machine without Docker").
 */
public final class FunctionProcess implements AutoCloseable {

    public static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    public static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    public static final String FUNCTION_NAME = "zoom-meeting-scheduler";
    /** The function.zip that {@link #start(Path, String, Map, List)} runs instead of {@code target/function.zip}. */
    public static final String ARTIFACT_PROPERTY = "packaged.function";
    /** What Lambda runs in a custom runtime's zip. */
    static final String BOOTSTRAP = "bootstrap";
    /** template.yaml's MemorySize for the native executable. */
    static final int NATIVE_MEMORY_MB = 256;

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** Distinguishes the log files of successive test runs. */
    private static final String RUN = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now());

    static {
        // A test JVM that exits (normally, SIGTERM, Ctrl-C) must not leave function JVMs behind.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "function-process-reaper"));
    }

    private final Process process;
    private final Process watchdog;
    private final Path logFile;

    private FunctionProcess(Process process, Process watchdog, Path logFile) {
        this.process = process;
        this.watchdog = watchdog;
        this.logFile = logFile;
    }

    /**
     * Starts one process of the project's packaged function ({@link #packagedFunction(Path)}) polling
     * {@code runtimeApiAddress}. {@code env} is the function's environment (configuration, JAVA_TOOL_OPTIONS, ...); the
     * process does not inherit the test JVM's environment apart from PATH, so nothing on the developer's machine
     * (AWS_PROFILE, ...) leaks in. {@code extraOptions} are JVM options, or the native executable's arguments.
     */
    public static FunctionProcess start(Path projectTarget, String runtimeApiAddress, Map<String, String> env, List<String> extraOptions) {
        return start(packagedFunction(projectTarget), projectTarget, runtimeApiAddress, env, extraOptions);
    }

    /** {@code target/function.zip}, or the zip named by {@value #ARTIFACT_PROPERTY}. */
    public static Path packagedFunction(Path projectTarget) {
        String chosen = System.getProperty(ARTIFACT_PROPERTY, "");
        return chosen.isBlank() ? projectTarget.resolve("function.zip") : Path.of(chosen);
    }

    /** Whether {@code functionZip} is a custom runtime's zip ({@code bootstrap} at its root), such as the native build's. */
    public static boolean isCustomRuntime(Path functionZip) {
        try (ZipFile zip = new ZipFile(requireZip(functionZip).toFile())) {
            return zip.getEntry(BOOTSTRAP) != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * As {@link #start(Path, String, Map, List)}, for the function in {@code functionZip} (another build, such as the
     * benchmark's baseline function), with the RIC jars ({@code lambda-ric/}) and the log directory of
     * {@code projectTarget}. A JVM zip's handler and memory size come from the {@code sam.jvm.yaml} beside it.
     */
    public static FunctionProcess start(Path functionZip, Path projectTarget, String runtimeApiAddress, Map<String, String> env,
            List<String> extraOptions) {
        try {
            Path zip = functionZip.toAbsolutePath().normalize();
            Path target = projectTarget.toAbsolutePath().normalize();
            int seq = SEQUENCE.incrementAndGet();
            boolean custom = isCustomRuntime(zip);
            Path taskRoot = unzip(zip);

            Launch launch = custom ? customRuntime(taskRoot, runtimeApiAddress, seq, env, extraOptions)
                    : javaRuntime(zip, taskRoot, target.resolve("lambda-ric"), runtimeApiAddress, seq, env, extraOptions);
            List<String> command = launch.command();

            ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile()).redirectErrorStream(true);
            Map<String, String> environment = builder.environment();
            environment.clear();
            environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            environment.putAll(launch.environment());

            Path logs = Files.createDirectories(target.resolve("lambda-logs"));
            Path logFile = logs.resolve(FUNCTION_NAME + "-" + RUN + "-" + seq + (custom ? "-native" : "") + ".log");
            Files.writeString(logFile, "=== " + Instant.now() + " starting in " + taskRoot + ": " + String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));

            Process process = builder.start();
            LIVE.add(process);
            process.onExit().thenRun(() -> LIVE.remove(process));
            return new FunctionProcess(process, watchdog(process.pid()), logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A process's command line and its environment (PATH aside). */
    private record Launch(List<String> command, Map<String, String> environment) {
    }

    /** {@code bootstrap} as {@code provided.al2023} runs it. */
    private static Launch customRuntime(Path taskRoot, String runtimeApi, int seq, Map<String, String> env, List<String> extraOptions) {
        int memoryMb = Integer.parseInt(env.getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(NATIVE_MEMORY_MB)));
        List<String> command = new ArrayList<>();
        command.add(taskRoot.resolve(BOOTSTRAP).toString());
        // On Lambda the executable sees the function's memory as all there is and takes 80% of it for its heap; here it
        // would see the whole machine.
        command.add("-Xmx" + (memoryMb * 1024L * 80 / 100) + "k");
        command.addAll(extraOptions);
        Map<String, String> lambdaEnv = lambdaEnvironment(taskRoot, taskRoot, runtimeApi, memoryMb, seq, env);
        lambdaEnv.remove("AWS_EXECUTION_ENV"); // not set for OS-only runtimes such as provided.al2023
        return new Launch(command, lambdaEnv);
    }

    /** The JVM zip under AWS's runtime interface client, as Lambda's managed Java runtime runs it. */
    private static Launch javaRuntime(Path zip, Path taskRoot, Path ricDir, String runtimeApi, int seq, Map<String, String> env,
            List<String> extraOptions) throws IOException {
        List<Path> ricJars = ricJars(ricDir);
        Path jni = jniLibrary(ricJars, ricDir);
        String samTemplate = Files.readString(zip.resolveSibling("sam.jvm.yaml"));
        String handler = env.getOrDefault("_HANDLER", samProperty(samTemplate, "Handler", null));
        int memoryMb = Integer.parseInt(env.getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", samProperty(samTemplate, "MemorySize", "512")));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Close to the managed runtime's own flags (heap ~85% of the configured memory; C1 only since java17).
        command.addAll(List.of("-XX:MaxHeapSize=" + (memoryMb * 1024L * 85 / 100) + "k", "-XX:+UseSerialGC",
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Djava.net.preferIPv4Stack=true",
                // As the managed runtime: org.crac's hooks go to the RIC's CRaC context (SnapStart).
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
                // Without this the RIC unpacks its JNI library to one fixed /tmp path: parallel processes would race.
                "-D" + JNI_PROPERTY + "=" + jni));
        command.addAll(extraOptions);
        command.add("-cp");
        command.add(ricJars.stream().map(Path::toString).collect(Collectors.joining(":")));
        command.add(MAIN_CLASS);
        command.add(handler);
        Map<String, String> lambdaEnv = lambdaEnvironment(taskRoot, ricDir, runtimeApi, memoryMb, seq, env);
        lambdaEnv.put("_HANDLER", handler);
        return new Launch(command, lambdaEnv);
    }

    /**
     * No shutdown hook runs when the test JVM is SIGKILLed, and the function JVM would then live on (Quarkus's
     * non-daemon threads outlive the RIC's failing main thread). This small shell loop kills it once we are gone.
     */
    private static Process watchdog(long child) throws IOException {
        long parent = ProcessHandle.current().pid();
        String script = "while kill -0 " + parent + " 2>/dev/null && kill -0 " + child + " 2>/dev/null; do sleep 1; done; "
                + "kill -0 " + parent + " 2>/dev/null || kill -9 " + child + " 2>/dev/null";
        Process watchdog = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        LIVE.add(watchdog);
        watchdog.onExit().thenRun(() -> LIVE.remove(watchdog));
        return watchdog;
    }

    private static Map<String, String> lambdaEnvironment(Path taskRoot, Path runtimeDir, String runtimeApi, int memoryMb, int seq,
            Map<String, String> given) {
        Map<String, String> env = new HashMap<>();
        String region = given.getOrDefault("AWS_REGION", "us-east-1");
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
        env.put("AWS_LAMBDA_FUNCTION_NAME", FUNCTION_NAME);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + FUNCTION_NAME);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local/" + seq);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", runtimeDir.toString());
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        if (!given.containsKey("AWS_ACCESS_KEY_ID")) {
            env.put("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
            env.put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
            env.put("AWS_SESSION_TOKEN", "local-test-session-token");
        }
        env.putAll(given);
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        return env;
    }

    /**
     * Unzips into lambda-task/MTIME-SIZE/ beside the zip (reused while the zip is unchanged, also by later test runs;
     * older copies are removed; for target/function.zip, mvn clean removes all).
     */
    private static synchronized Path unzip(Path zip) throws IOException {
        Path parent = Files.createDirectories(zip.resolveSibling("lambda-task"));
        Path root = parent.resolve(Files.getLastModifiedTime(zip).toMillis() + "-" + Files.size(zip));
        if (Files.isDirectory(root)) {
            return root;
        }
        Path tmp = Files.createTempDirectory(parent, "unzipping-");
        try (ZipFile zipFile = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(zipFile.entries())) {
                Path out = tmp.resolve(entry.getName()).normalize();
                if (!out.startsWith(tmp)) {
                    throw new IOException("zip entry escapes the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = zipFile.getInputStream(entry)) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        // java.util.zip does not restore file modes; Lambda keeps the zip's, and bootstrap is 755 in it.
        tmp.resolve(BOOTSTRAP).toFile().setExecutable(true, false);
        Files.move(tmp, root, StandardCopyOption.ATOMIC_MOVE);
        try (Stream<Path> old = Files.list(parent)) {
            old.filter(p -> !p.equals(root)).forEach(FunctionProcess::deleteQuietly);
        }
        return root;
    }

    private static Path requireZip(Path zip) {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: run `mvn package` first (or build the native function.zip it names)");
        }
        return zip;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: stale copies only cost disk space
        }
    }

    private static List<Path> ricJars(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(dir + " is missing: the maven-dependency-plugin execution copy-lambda-ric fills it during `mvn package`");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            if (jars.stream().noneMatch(p -> p.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))) {
                throw new IllegalStateException("no aws-lambda-java-runtime-interface-client jar in " + dir);
            }
            return jars;
        }
    }

    /** Extracts the RIC's JNI library for this OS/arch/libc (once) and returns its path. */
    private static synchronized Path jniLibrary(List<Path> ricJars, Path dir) throws IOException {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> throw new IllegalStateException("the RIC has no JNI library for " + System.getProperty("os.arch"));
        };
        if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
            throw new IllegalStateException("the RIC's JNI library exists only for Linux");
        }
        boolean musl = Files.exists(Path.of("/lib/ld-musl-" + (arch.equals("x86_64") ? "x86_64" : "aarch64") + ".so.1"));
        String name = "libaws-lambda-jni.linux" + (musl ? "_musl" : "") + "-" + arch + ".so";
        Path lib = dir.resolve("jni").resolve(name);
        if (Files.isRegularFile(lib)) {
            return lib;
        }
        Path ric = ricJars.stream().filter(p -> p.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))
                .findFirst().orElseThrow();
        try (ZipFile jar = new ZipFile(ric.toFile())) {
            ZipEntry entry = jar.getEntry("jni/" + name);
            if (entry == null) {
                throw new IllegalStateException(ric + " has no jni/" + name);
            }
            Files.createDirectories(lib.getParent());
            Path tmp = Files.createTempFile(lib.getParent(), name, ".tmp");
            try (InputStream in = jar.getInputStream(entry)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return lib;
    }

    /** Reads a scalar property of the (single) function in a SAM template, e.g. {@code Handler: a.b.C::m}. */
    private static String samProperty(String template, String name, String fallback) {
        Matcher m = Pattern.compile("^\\s*" + name + ":\\s*['\"]?([^'\"\\s]+)", Pattern.MULTILINE).matcher(template);
        if (m.find()) {
            return m.group(1);
        }
        if (fallback == null) {
            throw new IllegalStateException("no " + name + " in sam.jvm.yaml");
        }
        return fallback;
    }

    /** stdout and stderr of the process, appended to a file under target/lambda-logs/. */
    public Path logFile() {
        return logFile;
    }

    /** The log so far. */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Resident set size from /proc/PID/status (Linux), or -1 when unknown (e.g. the process has exited). */
    public long residentMemoryKiB() {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid()), "status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D+", "")))
                    .findFirst().orElse(-1L);
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /** SIGKILL now, to simulate a crash; returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(10);
        watchdog.destroy();
    }

    /** SIGTERM, a few seconds' grace, then SIGKILL. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!awaitExit(5)) {
                process.destroyForcibly();
                awaitExit(10);
            }
        }
        watchdog.destroy();
        LIVE.remove(process);
    }

    private boolean awaitExit(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
