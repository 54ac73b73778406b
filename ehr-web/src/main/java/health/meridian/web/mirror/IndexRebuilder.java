package health.meridian.web.mirror;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.PersonIndex;
import health.meridian.domain.search.RecordIndex;
import health.meridian.domain.tenant.Institution;
import health.meridian.search.SearchDocuments;
import health.meridian.web.record.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Logger;

/**
 * Rebuilds the whole search mirror from the system of record with no downtime: a new index is created and filled
 * from PostgreSQL page by page (each institution under its own row-level security binding) while the live index
 * keeps serving and every change made meanwhile is shipped to both; then the alias moves to the new index in one
 * atomic step and the old one is deleted. The person cohort index is rebuilt the same way from the same pages
 * (each page's records applied to their persons' documents in the new person index). A reconciliation against
 * the new indexes closes the run.
 */
@ApplicationScoped
public class IndexRebuilder {

    private static final Logger LOG = Logger.getLogger(IndexRebuilder.class.getName());
    static final int PAGE = 1000;

    @Inject
    RecordIndex index;
    @Inject
    PersonIndex persons;
    @Inject
    TenantService tenants;
    @Inject
    RebuildPages pages;
    @Inject
    MirrorReconciler reconciler;
    @Inject
    FhirContext fhir;

    /** What a rebuild did. */
    public record Report(String previousIndex, String index, String personIndex, long documents, long tookMs,
                         MirrorReconciler.Report verification) {
    }

    public Report rebuild() throws IndexUnavailableException {
        long start = System.nanoTime();
        String previous = index.liveIndex();
        String target = index.beginRebuild();
        String personTarget;
        try {
            personTarget = persons.beginRebuild();
        } catch (IndexUnavailableException | RuntimeException e) {
            index.abortRebuild(target);
            throw e;
        }
        long documents = 0;
        try {
            SearchDocuments docs = new SearchDocuments(fhir);
            for (Institution institution : tenants.all()) {
                String afterType = null;
                String afterId = null;
                while (true) {
                    List<StoredResource> page = pages.page(institution, afterType, afterId);
                    if (page.isEmpty()) {
                        break;
                    }
                    List<RecordIndex.IndexedRecord> indexed = page.stream().map(docs::toIndexed).toList();
                    index.load(target, indexed);
                    persons.load(personTarget, indexed);
                    documents += page.size();
                    StoredResource last = page.get(page.size() - 1);
                    afterType = last.key().type();
                    afterId = last.key().id();
                    if (page.size() < PAGE) {
                        break;
                    }
                }
            }
            persons.completeRebuild(personTarget);
        } catch (IndexUnavailableException | RuntimeException e) {
            index.abortRebuild(target);
            persons.abortRebuild(personTarget);
            throw e;
        }
        // the person index is live now; a failure to swap the records index leaves it rebuilt and the old one live
        try {
            index.completeRebuild(target);
        } catch (IndexUnavailableException | RuntimeException e) {
            index.abortRebuild(target);
            throw e;
        }
        long took = (System.nanoTime() - start) / 1_000_000;
        final long loaded = documents;
        LOG.info(() -> "search mirror rebuilt into " + target + ": " + loaded + " documents in " + took + " ms");
        return new Report(previous, target, personTarget, documents, took, reconciler.verify(false));
    }
}
