package health.meridian.domain.ingest;

/**
 * One input of a job, in processing order: an ndjson file of the import directory or an uploaded body
 * ({@code source} "upload"). {@code linesDone} is the load's checkpoint (lines committed or refused),
 * {@code validatedLines} the background validation's.
 */
public record ImportInput(int ordinal, String resourceType, String source, int linesDone, int validatedLines,
                          long committed) {

    public static final String UPLOAD = "upload";

    public boolean uploaded() {
        return UPLOAD.equals(source);
    }
}
