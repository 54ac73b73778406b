package health.meridian.web.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Another app instance beside the one Arquillian deployed: a Payara Micro process of its own with the same WAR, the
 * same database, search index and identity provider (it inherits the test JVM's environment, which carries them),
 * on a free port and the same context root. Multi-node tests use it to prove what must hold across instances; a test
 * can end it gently ({@link #close()}) or as a crash would ({@link #kill()}: SIGKILL, no shutdown hook runs).
 */
public final class AppInstance implements AutoCloseable {

    private final Process process;
    private final String app;
    private final Path log;

    private AppInstance(Process process, String app, Path log) {
        this.process = process;
        this.app = app;
        this.log = log;
    }

    /**
     * Starts an instance and waits until it reports ready. {@code name} names its log file and is its
     * {@code MERIDIAN_INSTANCE_NAME} (the instance's name in job leases); {@code env} adds settings of its own.
     */
    public static AppInstance start(URL arquillianBase, String name, Map<String, String> env) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String context = arquillianBase.getPath().replaceAll("^/+|/+$", "");
        Path log = Path.of(System.getProperty("meridian.war")).resolveSibling(name + "-instance.log");
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", System.getProperty("payara.microJar"), "--port",
                Integer.toString(port), "--contextroot", context.isEmpty() ? "/" : context, "--deploy",
                System.getProperty("meridian.war")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().put("MERIDIAN_INSTANCE_NAME", name);
        pb.environment().putAll(env);
        Process process = pb.start();
        AppInstance instance = new AppInstance(process, null, log);
        try {
            String app = TestStack.app(new URL("http://127.0.0.1:" + port + "/" + context
                    + (context.isEmpty() ? "" : "/")));
            return new AppInstance(process, app, log);
        } catch (RuntimeException | Error e) {
            instance.close();
            throw e;
        }
    }

    /** The instance's base address, as {@link TestStack#app(URL)} gives the deployed one's. */
    public String app() {
        return app;
    }

    public Path log() {
        return log;
    }

    /** Ends the process as a crash would: SIGKILL, waited for. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the instance did not die: " + process.pid());
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
