package health.meridian.bench.synthea;

import java.nio.file.Path;

/** One file Synthea wrote: the shared hospital/practitioner bundles, or one patient's transaction bundle. */
public record SyntheaFile(Path path, Kind kind) {

    public enum Kind { HOSPITALS, PRACTITIONERS, PATIENT }

    public static SyntheaFile of(Path path) {
        String name = path.getFileName().toString();
        if (name.startsWith("hospitalInformation")) {
            return new SyntheaFile(path, Kind.HOSPITALS);
        }
        if (name.startsWith("practitionerInformation")) {
            return new SyntheaFile(path, Kind.PRACTITIONERS);
        }
        return new SyntheaFile(path, Kind.PATIENT);
    }

    public String name() {
        return path.getFileName().toString();
    }

    public boolean isPatient() {
        return kind == Kind.PATIENT;
    }
}
