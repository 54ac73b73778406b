import FHIR from 'fhirclient';

/**
 * The demo app's launch page (ADR 0028, 0032). EHR launch: the chart opens it with `launch` and `iss`; standalone:
 * open it with `?iss=<Meridian FHIR base>` only — it asks for `launch/patient`, and after sign-in Meridian's patient
 * picker sets the patient context (a patient picks one of their own records, a clinician a patient they may read).
 * fhirclient reads the SMART configuration of `iss` and sends the user to Keycloak (authorization code with PKCE
 * S256, public client meridian-demo-app).
 */
const params = new URLSearchParams(window.location.search);
const ehrLaunch = params.has('launch');
sessionStorage.setItem('meridian-demo-launch', ehrLaunch ? 'EHR launch' : 'Standalone launch');
FHIR.oauth2.authorize({
  clientId: 'meridian-demo-app',
  scope: ehrLaunch
    ? 'launch openid fhirUser patient/Patient.rs patient/Observation.rs'
    : 'launch/patient openid fhirUser patient/Patient.rs patient/Observation.rs',
  redirectUri: './index.html',
  pkceMode: 'required',
}).catch((e: unknown) => {
  const status = document.getElementById('status');
  if (status) status.textContent = `Launch failed: ${e instanceof Error ? e.message : String(e)}`;
});
