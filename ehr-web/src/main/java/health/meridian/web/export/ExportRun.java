package health.meridian.web.export;

import health.meridian.domain.export.ExportJob;
import health.meridian.web.security.Caller;
import java.time.Duration;

/** One run of an export job on this instance: the job, the caller it reads for, its lease and its files. */
record ExportRun(ExportJob job, Caller caller, String owner, Duration lease, ExportFiles files) {

    /** The job's {@code _typeFilter} searches (checked at kick-off). */
    java.util.List<TypeFilter> filters() {
        return job.typeFilters().stream().map(TypeFilter::parse).toList();
    }
}
