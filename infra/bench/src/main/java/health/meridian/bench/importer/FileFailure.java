package health.meridian.bench.importer;

/** A file the server refused (or that could not be sent), with the status and the OperationOutcome's text. */
public record FileFailure(String tenant, String file, int status, String outcome) {

    @Override
    public String toString() {
        return file + " (" + tenant + "): HTTP " + status + " " + outcome;
    }
}
