{{/* Names and labels shared by every object of the chart. */}}
{{- define "meridian.fullname" -}}
{{- if contains "meridian" .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-meridian" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "meridian.labels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
{{ include "meridian.baseLabels" . }}
{{- end -}}

{{/* The labels of every object but the instance (which the selector labels below carry). */}}
{{- define "meridian.baseLabels" -}}
app.kubernetes.io/part-of: meridian
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* The app's pods (selector labels: stable across upgrades). */}}
{{- define "meridian.appSelector" -}}
app.kubernetes.io/name: meridian-app
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The migration Job's pods: they reach the database like the app. */}}
{{- define "meridian.migrateSelector" -}}
app.kubernetes.io/name: meridian-migrate
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "meridian.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "meridian.pgCluster" -}}{{ include "meridian.fullname" . }}-db{{- end -}}
{{- define "meridian.esName" -}}{{ include "meridian.fullname" . }}-search{{- end -}}
{{- define "meridian.kcName" -}}{{ include "meridian.fullname" . }}-keycloak{{- end -}}
{{- define "meridian.kcDb" -}}{{ include "meridian.fullname" . }}-keycloak-db{{- end -}}

{{/* The JDBC URL of the CloudNativePG read-write service (the primary), by a name in CNPG's server certificate. */}}
{{- define "meridian.dbUrl" -}}
jdbc:postgresql://{{ include "meridian.pgCluster" . }}-rw.{{ .Release.Namespace }}.svc:5432/meridian?sslmode=verify-full&sslrootcert=/etc/meridian/db-ca/ca.crt
{{- end -}}

{{/* The restricted security context of every container of the chart (Pod Security Standard "restricted"). */}}
{{- define "meridian.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "meridian.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Environment of a process that connects to PostgreSQL as the app role. */}}
{{- define "meridian.dbAppEnv" -}}
- name: MERIDIAN_DB_URL
  value: {{ include "meridian.dbUrl" . | quote }}
- name: MERIDIAN_DB_USER
  valueFrom:
    secretKeyRef: {name: {{ .Values.postgresql.appSecret }}, key: username}
- name: MERIDIAN_DB_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ .Values.postgresql.appSecret }}, key: password}
{{- end -}}

{{/* CloudNativePG backup to object storage (WAL archive + base backups), shared by both clusters. */}}
{{- define "meridian.backup" -}}
{{- $b := .Values.postgresql.backup -}}
retentionPolicy: {{ $b.retentionPolicy | quote }}
barmanObjectStore:
  destinationPath: {{ $b.destinationPath }}
  {{- with $b.endpointURL }}
  endpointURL: {{ . }}
  {{- end }}
  s3Credentials:
    accessKeyId:
      name: {{ $b.s3CredentialsSecret }}
      key: ACCESS_KEY_ID
    secretAccessKey:
      name: {{ $b.s3CredentialsSecret }}
      key: ACCESS_SECRET_KEY
  wal:
    compression: gzip
  data:
    compression: gzip
{{- end -}}

{{- define "meridian.scheduledBackup" -}}
apiVersion: postgresql.cnpg.io/v1
kind: ScheduledBackup
metadata:
  name: {{ .cluster }}-daily
  labels:
    {{- include "meridian.labels" .root | nindent 4 }}
spec:
  schedule: {{ .root.Values.postgresql.backup.schedule | quote }}
  backupOwnerReference: self
  method: barmanObjectStore
  immediate: true
  cluster:
    name: {{ .cluster }}
{{- end -}}

{{/*
SMART launch on Kubernetes (ADR 0028, 0032): "true" when smart.launch.enabled. It needs keycloak.image with
Meridian's Keycloak provider (infra/keycloak/Dockerfile): the realm then keeps the provider's mappers, which the
operator's own image could not import.
*/}}
{{- define "meridian.smartLaunch" -}}
{{- $smart := .Values.smart | default dict -}}
{{- $enabled := dig "launch" "enabled" false $smart | toString | eq "true" -}}
{{- if and $enabled (not .Values.keycloak.image) -}}
{{- fail "smart.launch.enabled needs keycloak.image: a Keycloak image with Meridian's provider (infra/keycloak/Dockerfile, docs/deploy.md)" -}}
{{- end -}}
{{- if and (not $enabled) $smart.apps -}}
{{- fail "smart.apps needs smart.launch.enabled (without Meridian's Keycloak provider a launch carries no context)" -}}
{{- end -}}
{{- $enabled -}}
{{- end -}}

{{/* The app's meridian.smart.apps (clientId|name|launchUrl;…): smart.apps when SMART launch is on, else none. */}}
{{- define "meridian.smartApps" -}}
{{- if and (include "meridian.smartLaunch" . | eq "true") .Values.smart.apps -}}
{{- if contains "meridian-demo-app|" .Values.smart.apps -}}
{{- fail "smart.apps: meridian-demo-app is the local stack's demo client; the chart does not import it" -}}
{{- end -}}
{{- .Values.smart.apps -}}
{{- else -}}
none
{{- end -}}
{{- end -}}

{{/*
Keycloak's MERIDIAN_SMART_PICKER_BASES (ADR 0032): the Meridian bases the patient picker may live at, a regular
expression the whole base must match — smart.pickerBases, else exactly https://<hostname> (anchored, dots escaped).
*/}}
{{- define "meridian.smartPickerBases" -}}
{{- .Values.smart.pickerBases | default (printf "^https://%s$" (regexQuoteMeta .Values.hostname)) -}}
{{- end -}}
