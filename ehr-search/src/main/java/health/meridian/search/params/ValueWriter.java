package health.meridian.search.params;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.search.params.SearchParamCatalogue.Param;
import java.math.BigDecimal;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Timing;

/** Writes one FHIRPath result value of a parameter into {@link IndexedValues}, by parameter kind and value type. */
final class ValueWriter {

    private final FhirContext fhir;

    ValueWriter(FhirContext fhir) {
        this.fhir = fhir;
    }

    void write(IndexedValues out, Param p, IBase value) {
        write(out, p.name(), p.kind(), value);
    }

    /** A value written under {@code name} (a composite writes its second part as {@code name$first}). */
    void write(IndexedValues out, String name, health.meridian.search.params.SearchParamCatalogue.Kind kind,
               IBase value) {
        switch (kind) {
            case TOKEN -> token(out, name, value);
            case STRING -> string(out, name, value);
            case DATE -> date(out, name, value);
            case REFERENCE -> reference(out, name, value);
            case QUANTITY, NUMBER -> number(out, name, value);
            case URI -> {
                if (value instanceof PrimitiveType<?> prim) {
                    out.uri(name, prim.getValueAsString());
                }
            }
            default -> {
            }
        }
    }

    private void token(IndexedValues out, String param, IBase value) {
        if (value instanceof CodeableConcept cc) {
            cc.getCoding().forEach(c -> coding(out, param, c));
            if (cc.hasText()) {
                out.tokenText(param, cc.getText());
            }
        } else if (value instanceof Coding c) {
            coding(out, param, c);
        } else if (value instanceof Identifier id) {
            out.token(param, id.getSystem(), id.getValue());
            if (id.hasType() && id.getType().hasText()) {
                out.tokenText(param, id.getType().getText());
            }
        } else if (value instanceof ContactPoint cp) {
            out.token(param, cp.hasSystem() ? cp.getSystem().toCode() : null, cp.getValue());
        } else if (value instanceof Enumeration<?> e && e.getValue() != null) {
            out.token(param, e.getSystem(), e.getValueAsString());
        } else if (value instanceof BooleanType b && b.getValue() != null) {
            out.token(param, null, b.getValueAsString());
        } else if (value instanceof PrimitiveType<?> prim && prim.hasValue()) {
            out.token(param, null, prim.getValueAsString());
        }
    }

    private static void coding(IndexedValues out, String param, Coding c) {
        out.token(param, c.getSystem(), c.getCode());
        if (c.hasDisplay()) {
            out.tokenText(param, c.getDisplay());
        }
    }

    private static void string(IndexedValues out, String param, IBase value) {
        if (value instanceof HumanName n) {
            out.string(param, n.getFamily());
            n.getGiven().forEach(g -> out.string(param, g.getValue()));
            n.getPrefix().forEach(g -> out.string(param, g.getValue()));
            n.getSuffix().forEach(g -> out.string(param, g.getValue()));
            out.string(param, n.getText());
        } else if (value instanceof Address a) {
            a.getLine().forEach(l -> out.string(param, l.getValue()));
            out.string(param, a.getCity());
            out.string(param, a.getDistrict());
            out.string(param, a.getState());
            out.string(param, a.getPostalCode());
            out.string(param, a.getCountry());
            out.string(param, a.getText());
        } else if (value instanceof PrimitiveType<?> prim) {
            out.string(param, prim.getValueAsString());
        }
    }

    private static void date(IndexedValues out, String param, IBase value) {
        if (value instanceof BaseDateTimeType d) {
            out.date(param, FhirDates.span(d.getValueAsString()).orElse(null));
        } else if (value instanceof Period period) {
            out.date(param, period(period));
        } else if (value instanceof Timing timing) {
            timing.getEvent().forEach(e -> out.date(param, FhirDates.span(e.getValueAsString()).orElse(null)));
            if (timing.getRepeat().hasBoundsPeriod()) {
                out.date(param, period(timing.getRepeat().getBoundsPeriod()));
            }
        } else if (value instanceof PrimitiveType<?> prim) {
            out.date(param, FhirDates.span(prim.getValueAsString()).orElse(null));
        }
    }

    /** A Period covers from its start's first instant to its end's last; a missing bound is open. */
    private static FhirDates.Span period(Period p) {
        Long low = bound(p.getStartElement(), true);
        Long high = bound(p.getEndElement(), false);
        return new FhirDates.Span(low, high);
    }

    private static Long bound(DateTimeType d, boolean low) {
        if (d == null || !d.hasValue()) {
            return null;
        }
        return FhirDates.span(d.getValueAsString()).map(s -> low ? s.low() : s.high()).orElse(null);
    }

    private void reference(IndexedValues out, String param, IBase value) {
        if (value instanceof Reference ref) {
            IIdType id = ref.getReferenceElement();
            if (ref.hasReference()) {
                boolean absolute = id.isAbsolute() || ref.getReference().contains(":");
                out.reference(param, id.getResourceType(), id.getIdPart(), absolute ? ref.getReference() : null);
            }
            if (ref.hasIdentifier()) {
                out.token(param + ".identifier", ref.getIdentifier().getSystem(), ref.getIdentifier().getValue());
            }
        } else if (value instanceof PrimitiveType<?> prim && prim.hasValue()) {
            out.reference(param, null, null, prim.getValueAsString());
        } else if (value instanceof org.hl7.fhir.instance.model.api.IBaseResource r && r.getIdElement().hasIdPart()) {
            out.reference(param, fhir.getResourceType(r), r.getIdElement().getIdPart(), null);
        }
    }

    private static void number(IndexedValues out, String param, IBase value) {
        if (value instanceof Quantity q) {
            out.number(param, q.getValue(), q.getSystem(), q.getCode(), q.getUnit());
        } else if (value instanceof Money m) {
            out.number(param, m.getValue(), "urn:iso:std:iso:4217", m.getCurrency(), m.getCurrency());
        } else if (value instanceof Range r) {
            number(out, param, r.getLow());
            number(out, param, r.getHigh());
        } else if (value instanceof DecimalType d) {
            out.number(param, d.getValue(), null, null, null);
        } else if (value instanceof IntegerType i && i.getValue() != null) {
            out.number(param, BigDecimal.valueOf(i.getValue()), null, null, null);
        } else if (value instanceof StringType s) {
            try {
                out.number(param, new BigDecimal(s.getValue()), null, null, null);
            } catch (RuntimeException e) {
                // not a number: nothing to index
            }
        }
    }
}
