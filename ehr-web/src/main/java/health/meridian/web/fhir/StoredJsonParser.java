package health.meridian.web.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Resource;

/**
 * HAPI's parser with one difference when it encodes: a stored record answered without its model
 * ({@link RecordResources#answer}) is written from its stored JSON by {@link StoredJson} — alone (a read) or as a
 * Bundle's entry (a search page, a batch). Everything around it (the Bundle, its links, headers, status) is still
 * HAPI's. Whenever the answer asks for more than the plain compact JSON of the resource — XML, {@code _pretty},
 * {@code _summary}, {@code _elements}, suppressed narratives, a forced or omitted id, references relative to this
 * server's base — the stored record is parsed into the model first and HAPI encodes it exactly as before.
 */
final class StoredJsonParser implements IParser {

    private final IParser delegate;
    private final StoredJson stored;
    private final RecordResources records;
    private final boolean json;
    private boolean plain = true;
    private String serverBase;

    StoredJsonParser(IParser delegate, StoredJson stored, RecordResources records) {
        this.delegate = delegate;
        this.stored = stored;
        this.records = records;
        this.json = delegate.getEncoding() == EncodingEnum.JSON;
    }

    // --- encoding -------------------------------------------------------------------------------------------

    @Override
    public String encodeResourceToString(IBaseResource resource) throws DataFormatException {
        StringWriter out = new StringWriter();
        try {
            encodeResourceToWriter(resource, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @Override
    public void encodeResourceToWriter(IBaseResource resource, Writer writer) throws IOException {
        RecordResources.Stored content = RecordResources.stored(resource);
        if (content != null) {
            if (asStored(content)) {
                try {
                    stored.write(content.tree(), content.custodian(), writer);
                    return;
                } catch (StoredJson.Unsupported e) {
                    // written through the model below
                }
            }
            delegate.encodeResourceToWriter(records.parse(resource), writer);
            return;
        }
        if (resource instanceof Bundle bundle && holdsStored(bundle)) {
            encodeBundle(bundle, writer);
            return;
        }
        delegate.encodeResourceToWriter(resource, writer);
    }

    @Override
    public String encodeToString(IBase element) throws DataFormatException {
        if (element instanceof IBaseResource r) {
            return encodeResourceToString(r);
        }
        return delegate.encodeToString(element);
    }

    @Override
    public void encodeToWriter(IBase element, Writer writer) throws DataFormatException, IOException {
        if (element instanceof IBaseResource r) {
            encodeResourceToWriter(r, writer);
            return;
        }
        delegate.encodeToWriter(element, writer);
    }

    /**
     * A Bundle with stored records among its entries (nested Bundles too): each is swapped for a marker resource,
     * HAPI encodes the Bundle, and each marker's encoding is replaced by the record's stored JSON. If any record
     * cannot be written that way, or the answer is not plain JSON, every stored record is parsed into the model and
     * HAPI encodes the whole Bundle.
     */
    private void encodeBundle(Bundle bundle, Writer writer) throws IOException {
        List<BundleEntryComponent> entries = new ArrayList<>();
        collect(bundle, entries);
        boolean raw = true;
        for (BundleEntryComponent e : entries) {
            raw &= asStored(RecordResources.stored(e.getResource()));
        }
        if (!raw) {
            hydrate(entries);
            delegate.encodeResourceToWriter(bundle, writer);
            return;
        }
        String nonce = "meridian-stored-" + UUID.randomUUID().toString().replace("-", "");
        List<Resource> originals = new ArrayList<>(entries.size());
        List<String> written = new ArrayList<>(entries.size());
        try {
            for (int i = 0; i < entries.size(); i++) {
                Resource original = entries.get(i).getResource();
                RecordResources.Stored c = RecordResources.stored(original);
                written.add(stored.toString(c.tree(), c.custodian()));
                originals.add(original);
                entries.get(i).setResource(new Basic().setId(nonce + "-" + i));
            }
        } catch (StoredJson.Unsupported e) {
            for (int i = 0; i < originals.size(); i++) {
                entries.get(i).setResource(originals.get(i));
            }
            hydrate(entries);
            delegate.encodeResourceToWriter(bundle, writer);
            return;
        }
        String shell;
        try {
            shell = delegate.encodeResourceToString(bundle);
        } finally {
            for (int i = 0; i < originals.size(); i++) {
                entries.get(i).setResource(originals.get(i));
            }
        }
        int from = 0;
        for (int i = 0; i < written.size(); i++) {
            String marker = "{\"resourceType\":\"Basic\",\"id\":\"" + nonce + "-" + i + "\"}";
            int at = shell.indexOf(marker, from);
            if (at < 0) {
                throw new IllegalStateException("EHR-1164 the encoded Bundle lost entry " + i);
            }
            writer.write(shell, from, at - from);
            writer.write(written.get(i));
            from = at + marker.length();
        }
        writer.write(shell, from, shell.length() - from);
    }

    private static void collect(Bundle bundle, List<BundleEntryComponent> into) {
        for (BundleEntryComponent e : bundle.getEntry()) {
            if (RecordResources.stored(e.getResource()) != null) {
                into.add(e);
            } else if (e.getResource() instanceof Bundle nested) {
                collect(nested, into);
            }
        }
    }

    private static boolean holdsStored(Bundle bundle) {
        for (BundleEntryComponent e : bundle.getEntry()) {
            if (RecordResources.stored(e.getResource()) != null
                    || e.getResource() instanceof Bundle nested && holdsStored(nested)) {
                return true;
            }
        }
        return false;
    }

    private void hydrate(List<BundleEntryComponent> entries) {
        for (BundleEntryComponent e : entries) {
            e.setResource((Resource) records.parse(e.getResource()));
        }
    }

    /** Whether this record may be written from its stored JSON: plain compact JSON, nothing left out or rewritten. */
    private boolean asStored(RecordResources.Stored content) {
        return json && plain && content != null
                && (serverBase == null || serverBase.isEmpty() || !content.json().contains(serverBase));
    }

    // --- settings: anything but the defaults means "through the model" ---------------------------------------------

    @Override
    public IParser setPrettyPrint(boolean prettyPrint) {
        plain &= !prettyPrint;
        delegate.setPrettyPrint(prettyPrint);
        return this;
    }

    @Override
    public IParser setSummaryMode(boolean summaryMode) {
        plain &= !summaryMode;
        delegate.setSummaryMode(summaryMode);
        return this;
    }

    @Override
    public IParser setSuppressNarratives(boolean suppressNarratives) {
        plain &= !suppressNarratives;
        delegate.setSuppressNarratives(suppressNarratives);
        return this;
    }

    @Override
    public IParser setOmitResourceId(boolean omitResourceId) {
        plain &= !omitResourceId;
        delegate.setOmitResourceId(omitResourceId);
        return this;
    }

    @Override
    public IParser setEncodeForceResourceId(IIdType encodeForceResourceId) {
        plain &= encodeForceResourceId == null;
        delegate.setEncodeForceResourceId(encodeForceResourceId);
        return this;
    }

    @Override
    public IParser setEncodeElements(Set<String> encodeElements) {
        plain &= encodeElements == null || encodeElements.isEmpty();
        delegate.setEncodeElements(encodeElements);
        return this;
    }

    @Override
    public IParser setDontEncodeElements(Collection<String> dontEncodeElements) {
        plain &= dontEncodeElements == null || dontEncodeElements.isEmpty();
        delegate.setDontEncodeElements(dontEncodeElements);
        return this;
    }

    @Override
    public IParser setStripVersionsFromReferences(Boolean strip) {
        plain &= strip == null;
        delegate.setStripVersionsFromReferences(strip);
        return this;
    }

    @Override
    public IParser setDontStripVersionsFromReferencesAtPaths(String... paths) {
        plain &= paths == null || paths.length == 0;
        delegate.setDontStripVersionsFromReferencesAtPaths(paths);
        return this;
    }

    @Override
    public IParser setDontStripVersionsFromReferencesAtPaths(Collection<String> paths) {
        plain &= paths == null || paths.isEmpty();
        delegate.setDontStripVersionsFromReferencesAtPaths(paths);
        return this;
    }

    @Override
    public IParser setServerBaseUrl(String url) {
        serverBase = url;
        delegate.setServerBaseUrl(url);
        return this;
    }

    // --- the rest is HAPI's ------------------------------------------------------------------------------------------

    @Override
    public IIdType getEncodeForceResourceId() {
        return delegate.getEncodeForceResourceId();
    }

    @Override
    public EncodingEnum getEncoding() {
        return delegate.getEncoding();
    }

    @Override
    public List<Class<? extends IBaseResource>> getPreferTypes() {
        return delegate.getPreferTypes();
    }

    @Override
    public void setPreferTypes(List<Class<? extends IBaseResource>> preferTypes) {
        delegate.setPreferTypes(preferTypes);
    }

    @Override
    public boolean isOmitResourceId() {
        return delegate.isOmitResourceId();
    }

    @Override
    public Boolean getStripVersionsFromReferences() {
        return delegate.getStripVersionsFromReferences();
    }

    @Override
    public boolean isSummaryMode() {
        return delegate.isSummaryMode();
    }

    @Override
    public <T extends IBaseResource> T parseResource(Class<T> type, Reader reader) throws DataFormatException {
        return delegate.parseResource(type, reader);
    }

    @Override
    public <T extends IBaseResource> T parseResource(Class<T> type, InputStream input) throws DataFormatException {
        return delegate.parseResource(type, input);
    }

    @Override
    public <T extends IBaseResource> T parseResource(Class<T> type, String text) throws DataFormatException {
        return delegate.parseResource(type, text);
    }

    @Override
    public IBaseResource parseResource(Reader reader) throws DataFormatException {
        return delegate.parseResource(reader);
    }

    @Override
    public IBaseResource parseResource(InputStream input) throws DataFormatException {
        return delegate.parseResource(input);
    }

    @Override
    public IBaseResource parseResource(String text) throws DataFormatException {
        return delegate.parseResource(text);
    }

    @Override
    public boolean isEncodeElementsAppliesToChildResourcesOnly() {
        return delegate.isEncodeElementsAppliesToChildResourcesOnly();
    }

    @Override
    public void setEncodeElementsAppliesToChildResourcesOnly(boolean value) {
        delegate.setEncodeElementsAppliesToChildResourcesOnly(value);
    }

    @Override
    public IParser setParserErrorHandler(IParserErrorHandler handler) {
        delegate.setParserErrorHandler(handler);
        return this;
    }

    @Override
    public IParser setOverrideResourceIdWithBundleEntryFullUrl(Boolean value) {
        delegate.setOverrideResourceIdWithBundleEntryFullUrl(value);
        return this;
    }

    @Override
    public Set<String> getDontStripVersionsFromReferencesAtPaths() {
        return delegate.getDontStripVersionsFromReferencesAtPaths();
    }

    @Override
    public void parseInto(Reader reader, IBase target) throws IOException {
        delegate.parseInto(reader, target);
    }
}
