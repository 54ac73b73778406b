package health.meridian.web.mirror;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.search.IndexUnavailableException;
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
 * atomic step and the old one is deleted. A reconciliation against the new index closes the run.
 */
@ApplicationScoped
public class IndexRebuilder {

    private static final Logger LOG = Logger.getLogger(IndexRebuilder.class.getName());
    static final int PAGE = 1000;

    @Inject
    RecordIndex index;
    @Inject
    TenantService tenants;
    @Inject
    RebuildPages pages;
    @Inject
    MirrorReconciler reconciler;
    @Inject
    FhirContext fhir;

    /** What a rebuild did. */
    public record Report(String previousIndex, String index, long documents, long tookMs,
                         MirrorReconciler.Report verification) {
    }

    public Report rebuild() throws IndexUnavailableException {
        long start = System.nanoTime();
        String previous = index.liveIndex();
        String target = index.beginRebuild();
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
                    index.load(target, page.stream().map(docs::toIndexed).toList());
                    documents += page.size();
                    StoredResource last = page.get(page.size() - 1);
                    afterType = last.key().type();
                    afterId = last.key().id();
                    if (page.size() < PAGE) {
                        break;
                    }
                }
            }
            index.completeRebuild(target);
        } catch (IndexUnavailableException | RuntimeException e) {
            index.abortRebuild(target);
            throw e;
        }
        long took = (System.nanoTime() - start) / 1_000_000;
        final long loaded = documents;
        LOG.info(() -> "search mirror rebuilt into " + target + ": " + loaded + " documents in " + took + " ms");
        return new Report(previous, target, documents, took, reconciler.verify(false));
    }
}
