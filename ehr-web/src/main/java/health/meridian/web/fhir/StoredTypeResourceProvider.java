package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Typed;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The one provider of every stored type without interactions of its own: the read, vread, create, update, delete,
 * history and search of {@link RecordResourceProvider} for the type it is made to serve ({@link ServedProviders}
 * makes one per type of the resource catalogue). Not a provider bean by itself ({@code @Typed}), so the server
 * never sees one that serves no type.
 */
@Dependent
@Typed(StoredTypeResourceProvider.class)
public class StoredTypeResourceProvider extends RecordResourceProvider<IBaseResource> {

    private Class<IBaseResource> type;

    @SuppressWarnings("unchecked")
    StoredTypeResourceProvider serving(Class<? extends IBaseResource> served) {
        if (this.type != null) {
            throw new IllegalStateException("already serves " + this.type.getSimpleName());
        }
        this.type = (Class<IBaseResource>) served;
        return this;
    }

    @Override
    public Class<IBaseResource> getResourceType() {
        return type;
    }
}
