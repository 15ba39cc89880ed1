/** Annotation on catalog Resource entities made from provisioned resources: the resource id. @public */
export const ANNOTATION_RESOURCE_ID = 'paved.dev/resource-id';
/** Annotation with the resource's lifecycle state. @public */
export const ANNOTATION_RESOURCE_STATE = 'paved.dev/resource-state';
/** Annotation with the resource's type id. @public */
export const ANNOTATION_RESOURCE_TYPE = 'paved.dev/resource-type';
/** Pattern of resource names: a DNS label of at most 40 characters. @public */
export const RESOURCE_NAME_PATTERN = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;
