// ElectricSync v1alpha1: the resource's types, its CRD (generated from the runtime's configuration schema where they
// overlap), defaults, and the status vocabulary (phases, condition types, reasons). No I/O.
export * from './types.ts';
export { conditionTypes, reasons, prerequisiteReasons, type ConditionType, type Reason } from './conditions.ts';
export { withDefaults } from './defaults.ts';
export { buildElectricSyncCrd, renderCrdYaml, renderChartCrdTemplate, printerColumns } from './crd.ts';
export { electricSyncOpenApiSchema, maxNameLength } from './crd-schema.ts';
export { runtimeSettings, managedVariables, publisherPasswordVariable, valueAt, settingEntries } from './runtime-settings.ts';
export { formatSize, sizePattern } from './size.ts';
