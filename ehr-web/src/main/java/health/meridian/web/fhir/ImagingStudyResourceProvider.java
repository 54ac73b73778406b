package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.ImagingStudy;

/** FHIR ImagingStudy: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class ImagingStudyResourceProvider extends RecordResourceProvider<ImagingStudy> {

    @Override
    public Class<ImagingStudy> getResourceType() {
        return ImagingStudy.class;
    }
}
