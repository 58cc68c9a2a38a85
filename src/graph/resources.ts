/**
 * Graph's URL space above the vppTokens, as far as the mock needs it to tell another Graph resource from a mistaken
 * vppTokens path (docs/decisions/0520). Graph routes segments in any case, so each set is looked up lower-cased.
 *
 * GRAPH_ROOTS: the entity sets and singletons of Graph's entity container (the first segment after /beta or /v1.0),
 * beta and v1.0 together: microsoftgraph/msgraph-metadata clean_v10_metadata/cleanMetadata.xml (f54f11b, 2026-08),
 * clean_beta_metadata/cleanMetadata.xml and schemas/beta-USNat.csdl (2026-08), and the root request builders of
 * microsoftgraph/msgraph-beta-sdk-go (graph_base_service_client.go), which name the newer beta roots.
 */
const ROOTS = `accessReviewDecisions accessReviews activitystatistics admin administrativeUnits agreementAcceptances agreements
allowedDataLocations app appCatalogs applications applicationTemplates appRoleAssignments approvalWorkflowProviders auditLogs
authenticationMethodConfigurations authenticationMethodsPolicy bookingBusinesses bookingCurrencies branding businessFlowTemplates
certificateBasedAuthConfiguration chats commands communications compliance conditionalAccess connections contacts contracts copilot
dataClassification dataPolicyOperations deviceAppManagement deviceManagement devices directory directoryObjects directoryRoles
directoryRoleTemplates directorySettingTemplates domainDnsRecords domains drive drives education employeeExperience
entitlementManagement external filterOperators financials functions governanceResources governanceRoleAssignmentRequests
governanceRoleAssignments governanceRoleDefinitions governanceRoleSettings governanceSubjects groupLifecyclePolicies groups
groupSettings groupSettingTemplates identity identityGovernance identityProtection identityProviders informationProtection
invitations me messageEvents messageRecipients messageTraces mobilityManagementPolicies monitoring oauth2PermissionGrants
officeConfiguration onPremisesPublishingProfiles organization payloadResponse permissionGrants places planner policies print privacy
privilegedAccess privilegedApproval privilegedOperationEvents privilegedRoleAssignmentRequests privilegedRoleAssignments
privilegedRoles privilegedSignupStatus programControls programControlTypes programs reports riskDetections riskyUsers
roleManagement schemaExtensions scopedRoleMemberships search security servicePrincipals settings shares sites solutions storage
subscribedSkus subscriptions teams teamsTemplates teamTemplateDefinition teamwork tenantRelationships termStore threatSubmission
trustFramework users workbooks`.split(/\s+/);

/**
 * What Graph has under /deviceAppManagement, the vppTokens' parent, beta and v1.0 together: its navigation and
 * structural properties (msgraph-metadata schemas/type-mappings/*-entity-types.json, f54f11b) and the action bound
 * to it (syncMicrosoftStoreForBusinessApps, v1.0's metadata). Any other segment there is a mistaken vppTokens path.
 */
const DEVICE_APP_MANAGEMENT = `androidManagedAppProtections defaultManagedAppProtections deviceAppManagementTasks
enterpriseCodeSigningCertificates iosLobAppProvisioningConfigurations iosManagedAppProtections managedAppPolicies
managedAppRegistrations managedAppStatuses managedEBookCategories managedEBooks mdmWindowsInformationProtectionPolicies
mobileAppCatalogPackages mobileAppCategories mobileAppConfigurations mobileAppRelationships mobileApps policySets
symantecCodeSigningCertificate targetedManagedAppConfigurations vppTokens wdacSupplementalPolicies
windowsInformationProtectionDeviceRegistrations windowsInformationProtectionPolicies windowsInformationProtectionWipeActions
windowsManagedAppProtections windowsManagementApp isEnabledForMicrosoftStoreForBusiness microsoftStoreForBusinessLanguage
microsoftStoreForBusinessLastCompletedApplicationSyncTime microsoftStoreForBusinessLastSuccessfulSyncDateTime
microsoftStoreForBusinessPortalSelection syncMicrosoftStoreForBusinessApps`.split(/\s+/);

const byLowerCase = (names: readonly string[]): ReadonlyMap<string, string> => new Map(names.map((name) => [name.toLowerCase(), name]));

/** Graph's root resources, by lower-cased name, each to its own spelling. */
export const GRAPH_ROOTS: ReadonlyMap<string, string> = byLowerCase(ROOTS);
/** What Graph has under /deviceAppManagement, by lower-cased name, each to its own spelling. */
export const DEVICE_APP_MANAGEMENT_MEMBERS: ReadonlyMap<string, string> = byLowerCase(DEVICE_APP_MANAGEMENT);
