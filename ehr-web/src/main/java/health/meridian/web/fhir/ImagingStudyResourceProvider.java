package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.ImagingStudy;

/** FHIR ImagingStudy: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class ImagingStudyResourceProvider extends ClinicalResourceProvider<ImagingStudy> {

    @Override
    public Class<ImagingStudy> getResourceType() {
        return ImagingStudy.class;
    }
}
