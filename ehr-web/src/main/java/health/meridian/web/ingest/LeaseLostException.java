package health.meridian.web.ingest;

/** Another instance holds the job now (this one was silent past its lease): this run stops, its chunk rolls back. */
class LeaseLostException extends RuntimeException {
    LeaseLostException(String job) {
        super("EHR-1031 import job " + job + " is leased to another worker");
    }
}
