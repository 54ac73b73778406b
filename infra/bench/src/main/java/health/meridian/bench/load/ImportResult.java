package health.meridian.bench.load;

/** One timed import run: clients, patients, resources, wall time, failed files. */
public record ImportResult(int clients, int patients, long resources, double seconds, int failedFiles) {

    public double resourcesPerSecond() {
        return seconds <= 0 ? 0 : resources / seconds;
    }
}
