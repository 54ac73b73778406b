package health.meridian.bench.importer;

import java.util.List;

/** The outcome of an import run: patient files committed, resources in them, wall time of the patient phase. */
public record ImportReport(int patientFiles, int skippedFiles, long resources, double seconds, List<FileFailure> failures) {

    public double resourcesPerSecond() {
        return seconds <= 0 ? 0 : resources / seconds;
    }

    public boolean ok() {
        return failures.isEmpty();
    }
}
